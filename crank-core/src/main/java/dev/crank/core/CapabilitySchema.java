package dev.crank.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.internal.Json;
import dev.crank.core.internal.RecordSchemas;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a worker offers: a {@code verb:name} capability, its version and its contracts.
 * Travels as snake_case JSON; fields this version does not know are kept in {@link #extra()}
 * and written back unchanged, so newer workers can talk to older controllers.
 *
 * <pre>{@code
 * CapabilitySchema greet = CapabilitySchema.builder("greet", "hello_world")
 *         .version("1.0.0")
 *         .inputSchema("{\"type\":\"object\",\"required\":[\"message\"]}")
 *         .build();
 * }</pre>
 */
public record CapabilitySchema(
        String name,
        String verb,
        String version,
        JsonNode inputSchema,
        JsonNode outputSchema,
        boolean requiresGpu,
        int maxConcurrency,
        boolean idempotent,
        String description,
        List<String> tags,
        List<String> errorCodes,
        Map<String, JsonNode> extra) {

    public static final int DEFAULT_MAX_CONCURRENCY = 10;

    /**
     * The codes the framework itself may answer any capability call with, before or around the worker's handler
     * (bad body, schema violation, wrong media type, too large, over {@code max_concurrency}, not ready, busy,
     * unexpected failure). {@link Builder#build()} puts them first in {@link #errorCodes()}; a worker lists only
     * its own.
     */
    public static final List<String> FRAMEWORK_ERROR_CODES = List.of("INVALID_INPUT", "MALFORMED_JSON", "EMPTY_BODY",
            "INVALID_UTF8", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE", "TOO_MANY_REQUESTS", "NOT_READY", "SERVER_BUSY",
            "INTERNAL_ERROR");

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]*");
    // Semantic Versioning 2.0.0, https://semver.org/#is-there-a-suggested-regular-expression-regex-to-check-a-semver-string
    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");
    private static final Set<String> KNOWN_FIELDS = Set.of("name", "verb", "version", "input_schema",
            "output_schema", "requires_gpu", "max_concurrency", "idempotent", "description", "tags", "error_codes");

    public CapabilitySchema {
        requireNonNull(name, "name");
        requireNonNull(verb, "verb");
        requireNonNull(version, "version");
        if (!IDENTIFIER.matcher(verb).matches()) {
            throw new IllegalArgumentException("verb: '" + verb + "' (expected: [a-z][a-z0-9_]*)");
        }
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: [a-z][a-z0-9_]*)");
        }
        if (!SEMVER.matcher(version).matches()) {
            throw new IllegalArgumentException("version: '" + version + "' (expected: a semantic version such as 1.0.0)");
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("max_concurrency: " + maxConcurrency + " (expected: >= 1)");
        }
        inputSchema = schemaOrEmpty(inputSchema, "input_schema");
        outputSchema = schemaOrEmpty(outputSchema, "output_schema");
        description = description == null ? "" : description;
        tags = tags == null ? List.of() : List.copyOf(tags);
        errorCodes = errorCodes == null ? List.of() : List.copyOf(errorCodes);
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    public static Builder builder(String verb, String name) {
        return new Builder(verb, name);
    }

    /** The routing key, {@code verb:name}. */
    public String key() {
        return verb + ':' + name;
    }

    /** The major part of {@link #version()}, which decides contract compatibility. */
    public int majorVersion() {
        return Integer.parseInt(version.substring(0, version.indexOf('.')));
    }

    /**
     * Checks a worker's answer against {@link #outputSchema()}: every violation as {@code /pointer: message},
     * empty when {@code output} conforms. Compiles the schema on each call; keep a {@link JsonSchemaValidator}
     * for a hot path.
     */
    public List<String> validateOutput(JsonNode output) {
        return JsonSchemaValidator.of(outputSchema).validate(output);
    }

    /** Reads the wire form; throws {@link IllegalArgumentException} naming the bad field. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CapabilitySchema fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("capability: expected a JSON object");
        }
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!KNOWN_FIELDS.contains(field.getKey())) {
                extra.put(field.getKey(), field.getValue());
            }
        }
        return new CapabilitySchema(
                text(node, "name", true),
                text(node, "verb", true),
                text(node, "version", true),
                node.get("input_schema"),
                node.get("output_schema"),
                bool(node, "requires_gpu", false),
                integer(node, "max_concurrency", DEFAULT_MAX_CONCURRENCY),
                bool(node, "idempotent", false),
                text(node, "description", false),
                strings(node, "tags"),
                strings(node, "error_codes"),
                extra);
    }

    /** The wire form, snake_case, with the unknown fields it was read with. */
    @JsonValue
    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("name", name);
        node.put("verb", verb);
        node.put("version", version);
        node.set("input_schema", inputSchema);
        node.set("output_schema", outputSchema);
        node.put("requires_gpu", requiresGpu);
        node.put("max_concurrency", maxConcurrency);
        node.put("idempotent", idempotent);
        if (!description.isEmpty()) {
            node.put("description", description);
        }
        ArrayNode tagArray = node.putArray("tags");
        tags.forEach(tagArray::add);
        ArrayNode codeArray = node.putArray("error_codes");
        errorCodes.forEach(codeArray::add);
        extra.forEach(node::set);
        return node;
    }

    private static JsonNode schemaOrEmpty(JsonNode schema, String field) {
        if (schema == null || schema.isNull()) {
            return Json.object();
        }
        if (!schema.isObject() && !schema.isBoolean()) {
            throw new IllegalArgumentException(field + ": expected a JSON Schema object");
        }
        return schema.deepCopy();
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException(field + ": missing (expected: a string)");
            }
            return "";
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(field + ": " + value.getNodeType() + " (expected: a string)");
        }
        return value.asText();
    }

    private static boolean bool(JsonNode node, String field, boolean defaultValue) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: true or false)");
        }
        return value.booleanValue();
    }

    private static int integer(JsonNode node, String field, int defaultValue) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: an integer)");
        }
        return value.intValue();
    }

    private static List<String> strings(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException(field + ": expected an array of strings");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException(field + ": " + item + " (expected: a string)");
            }
            result.add(item.asText());
        }
        return result;
    }

    /** Builds a {@link CapabilitySchema}; {@code version} is required. */
    public static final class Builder {
        private final String verb;
        private final String name;
        private String version = "";
        private JsonNode inputSchema;
        private JsonNode outputSchema;
        private boolean requiresGpu;
        private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
        private boolean idempotent;
        private String description = "";
        private List<String> tags = List.of();
        private List<String> errorCodes = List.of();

        private Builder(String verb, String name) {
            this.verb = requireNonNull(verb, "verb");
            this.name = requireNonNull(name, "name");
        }

        public Builder version(String version) {
            this.version = requireNonNull(version, "version");
            return this;
        }

        public Builder inputSchema(JsonNode schema) {
            this.inputSchema = requireNonNull(schema, "schema");
            return this;
        }

        public Builder inputSchema(String schemaJson) {
            return inputSchema(Json.parse(requireNonNull(schemaJson, "schemaJson")));
        }

        /**
         * The input schema generated from a record (see {@link Routes#capability(String, Class, CapabilityHandler)}):
         * names in snake_case; required are primitive components and those marked {@code @NotNull},
         * {@code @NotEmpty} or {@code @NotBlank}; constraints from Bean Validation annotations ({@code @Size},
         * {@code @Pattern}, {@code @Min}, {@code @Max}), descriptions from {@code @JsonPropertyDescription},
         * defaults from {@code @JsonProperty(defaultValue = "<JSON>")}; undeclared properties are refused.
         */
        public Builder inputSchema(Class<? extends Record> type) {
            return inputSchema(RecordSchemas.of(requireNonNull(type, "type")));
        }

        /** The output schema generated from a record, by the rules of {@link #inputSchema(Class)}. */
        public Builder outputSchema(Class<? extends Record> type) {
            return outputSchema(RecordSchemas.of(requireNonNull(type, "type")));
        }

        public Builder outputSchema(JsonNode schema) {
            this.outputSchema = requireNonNull(schema, "schema");
            return this;
        }

        public Builder outputSchema(String schemaJson) {
            return outputSchema(Json.parse(requireNonNull(schemaJson, "schemaJson")));
        }

        public Builder requiresGpu(boolean requiresGpu) {
            this.requiresGpu = requiresGpu;
            return this;
        }

        public Builder maxConcurrency(int maxConcurrency) {
            this.maxConcurrency = maxConcurrency;
            return this;
        }

        public Builder idempotent(boolean idempotent) {
            this.idempotent = idempotent;
            return this;
        }

        public Builder description(String description) {
            this.description = requireNonNull(description, "description");
            return this;
        }

        public Builder tags(String... tags) {
            this.tags = List.of(tags);
            return this;
        }

        /** The worker's own problem codes; the {@link #FRAMEWORK_ERROR_CODES} are added by {@link #build()}. */
        public Builder errorCodes(String... errorCodes) {
            this.errorCodes = List.of(errorCodes);
            return this;
        }

        public CapabilitySchema build() {
            java.util.LinkedHashSet<String> codes = new java.util.LinkedHashSet<>(FRAMEWORK_ERROR_CODES);
            codes.addAll(errorCodes);
            return new CapabilitySchema(name, verb, version, inputSchema, outputSchema, requiresGpu,
                    maxConcurrency, idempotent, description, tags, List.copyOf(codes), Map.of());
        }
    }
}
