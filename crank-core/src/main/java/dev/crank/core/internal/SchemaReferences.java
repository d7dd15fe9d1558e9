package dev.crank.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The allow-list for references in a schema that a worker sends: {@code $ref} and its dynamic
 * variants point inside the schema ({@code #...}) or at a meta-schema bundled with the validator;
 * {@code $schema} names a bundled meta-schema; {@code $id} is a {@code urn:}, which names a schema
 * without locating it. Every other value is refused, whatever its scheme ({@code jar:}, {@code file:},
 * {@code classpath:}, relative paths...), before anything is compiled.
 */
final class SchemaReferences {

    private static final String META_PREFIX = "https://json-schema.org/draft/";
    private static final String BUNDLED_PREFIX = "classpath:draft/";
    private static final Set<String> REFERENCES = Set.of("$ref", "$dynamicRef", "$recursiveRef");
    /** Keywords whose values are data, not schemas: a {@code "$ref"} in an example is just a string. */
    private static final Set<String> DATA = Set.of("const", "enum", "default", "examples");
    /** Deep enough for real schemas; the JSON parser already bounds nesting, this bounds the walk. */
    private static final int MAX_DEPTH = 256;

    private SchemaReferences() {}

    /** Whether {@code iri} is a meta-schema the validator ships (after or before it maps it to its jar). */
    static boolean isBundled(String iri) {
        if (iri.startsWith(BUNDLED_PREFIX)) {
            return !iri.contains("..");
        }
        return iri.startsWith(META_PREFIX) && iri.substring(META_PREFIX.length()).matches("[0-9a-z-]+/(schema|meta/[a-z-]+)(#.*)?");
    }

    /** Throws {@link IllegalArgumentException} naming the first reference that is not allowed. */
    static void check(JsonNode schema) {
        walk(schema, "", 0);
    }

    private static void walk(JsonNode node, String pointer, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("the schema nests deeper than " + MAX_DEPTH + " levels");
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, depth + 1);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            String at = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
            if (DATA.contains(name)) {
                continue;
            }
            if (value.isTextual()) {
                checkKeyword(name, value.asText(), at);
            }
            walk(value, at, depth + 1);
        }
    }

    private static void checkKeyword(String name, String value, String at) {
        if (REFERENCES.contains(name) && !value.startsWith("#") && !isBundled(value)) {
            throw refused(at, value, "only references inside the schema (#...) and the bundled meta-schemas are allowed");
        }
        if (name.equals("$schema") && !isBundled(value)) {
            throw refused(at, value, "expected a bundled meta-schema such as https://json-schema.org/draft/2020-12/schema");
        }
        if (name.equals("$id") && !value.startsWith("urn:")) {
            throw refused(at, value, "expected a urn: identifier (an $id that is a location could be dereferenced)");
        }
    }

    private static IllegalArgumentException refused(String at, String value, String expected) {
        String shown = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        return new IllegalArgumentException(at + ": '" + shown + "' is not allowed (" + expected + ")");
    }
}
