package dev.crank.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.internal.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The platform's one JSON mapper, for workers and tools: snake_case on the wire, unknown properties
 * ignored, nesting bounded to {@value #MAX_NESTING_DEPTH} levels.
 *
 * <pre>{@code
 * ObjectNode answer = CrankJson.object().put("word_count", 42);
 * Stats stats = CrankJson.convert(request.json(), Stats.class);
 * }</pre>
 */
public final class CrankJson {

    /** Deeper documents are refused instead of exhausting the stack. */
    public static final int MAX_NESTING_DEPTH = Json.MAX_NESTING_DEPTH;

    private CrankJson() {}

    /** A new empty JSON object. */
    public static ObjectNode object() {
        return Json.object();
    }

    /** A new empty JSON array. */
    public static ArrayNode array() {
        return Json.mapper().createArrayNode();
    }

    /** Parses bytes from the outside; malformed JSON is a 400 {@code MALFORMED_JSON}, none a 400 {@code EMPTY_BODY}. */
    public static JsonNode parse(byte[] json) {
        return Json.parse(json);
    }

    /** Parses JSON text the program itself wrote (schemas, resources); invalid text is an {@link IllegalArgumentException}. */
    public static JsonNode parse(String json) {
        return Json.parse(json);
    }

    /**
     * Reads a JSON document another program wrote (an answer, a file); no content is a
     * {@link com.fasterxml.jackson.databind.node.MissingNode}, invalid JSON an {@link IllegalArgumentException}.
     */
    public static JsonNode read(byte[] json) {
        return read(new ByteArrayInputStream(json));
    }

    /** Like {@link #read(byte[])}, from {@code in} (not closed). */
    public static JsonNode read(InputStream in) {
        try {
            return Json.mapper().readTree(in);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code value} as UTF-8 JSON bytes. */
    public static byte[] bytes(Object value) {
        return Json.bytes(value);
    }

    /** {@code value} as compact JSON text. */
    public static String string(Object value) {
        return Json.string(value);
    }

    /** {@code value} as indented JSON text, for people. */
    public static String prettyString(Object value) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
        }
    }

    /** {@code value} (a record, a map, ...) as a JSON tree, names in snake_case. */
    public static JsonNode tree(Object value) {
        return Json.mapper().valueToTree(value);
    }

    /** Binds {@code node} to {@code type} (a record, a map, ...); a mismatch is an {@link IllegalArgumentException}. */
    public static <T> T convert(JsonNode node, Class<T> type) {
        return Json.convert(node, type);
    }
}
