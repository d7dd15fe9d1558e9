package dev.crank.workers.helloworld;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankJson;
import org.junit.jupiter.api.Test;

/**
 * The schemas generated from {@link GreetInput} and {@link Greeting} are the contract hello-world
 * published by hand before: the same fields, types, limits and defaults, so no caller notices.
 */
class GreetingSchemaTest {

    /** The hand-written input schema of hello-world 1.0.0. */
    private static final String HAND_WRITTEN_INPUT = """
            {
              "type": "object",
              "required": ["message"],
              "additionalProperties": false,
              "properties": {
                "message": {"type": "string", "minLength": 1, "maxLength": 10000, "pattern": "\\\\S",
                            "description": "Text to greet; not blank after trimming"},
                "options": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "uppercase": {"type": "boolean", "default": false},
                    "reverse": {"type": "boolean", "default": false},
                    "exclamations": {"type": "integer", "minimum": 0, "maximum": 10, "default": 1}
                  }
                }
              }
            }
            """;
    /** The hand-written output schema of hello-world 1.0.0, which allowed more than the worker ever sent. */
    private static final String HAND_WRITTEN_OUTPUT = """
            {
              "type": "object",
              "required": ["greeting", "metadata", "processing_time_ms"],
              "properties": {
                "greeting": {"type": "string"},
                "metadata": {
                  "type": "object",
                  "required": ["total_greetings", "options_applied", "character_count"],
                  "properties": {
                    "total_greetings": {"type": "integer", "minimum": 1},
                    "options_applied": {"type": "array", "items": {"type": "string"}},
                    "character_count": {"type": "integer", "minimum": 1}
                  }
                },
                "processing_time_ms": {"type": "number", "minimum": 0}
              }
            }
            """;

    private final CapabilitySchema published = CapabilitySchema.builder("greet", "hello_world").version("1.0.0")
            .inputSchema(GreetInput.class).outputSchema(Greeting.class).build();

    @Test
    void generatedInputSchemaIsTheHandWrittenOne() {
        JsonNode generated = published.inputSchema();

        assertThat(generated.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(normalised(generated)).isEqualTo(normalised(CrankJson.parse(HAND_WRITTEN_INPUT)));
    }

    @Test
    void generatedOutputSchemaIsTheHandWrittenOneClosedToUnknownFields() {
        ObjectNode expected = (ObjectNode) CrankJson.parse(HAND_WRITTEN_OUTPUT);
        expected.put("additionalProperties", false);
        ((ObjectNode) expected.path("properties").path("metadata")).put("additionalProperties", false);

        assertThat(normalised(published.outputSchema())).isEqualTo(normalised(expected));
    }

    /**
     * Without {@code $schema}, {@code required} sorted (the order of names does not matter) and numbers
     * re-read from text (the generator writes some limits as longs, the parser as ints).
     */
    private static JsonNode normalised(JsonNode schema) {
        JsonNode copy = CrankJson.parse(CrankJson.string(schema));
        if (copy instanceof ObjectNode object) {
            object.remove("$schema");
            JsonNode required = object.get("required");
            if (required != null) {
                object.set("required", CrankJson.tree(java.util.stream.StreamSupport.stream(required.spliterator(), false)
                        .map(JsonNode::asText).sorted().toList()));
            }
            object.properties().forEach(field -> object.set(field.getKey(), normalised(field.getValue())));
        }
        return copy;
    }
}
