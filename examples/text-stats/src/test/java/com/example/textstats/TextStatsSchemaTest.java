package com.example.textstats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankJson;
import org.junit.jupiter.api.Test;

/** The schemas generated from the records keep the contract the worker once wrote by hand. */
class TextStatsSchemaTest {

    private final CapabilitySchema published = CapabilitySchema.builder("analyze", "text_stats").version("1.0.0")
            .inputSchema(TextStatsInput.class).outputSchema(TextStats.class).build();

    @Test
    void inputSchemaHasTheHandWrittenFieldsAndLimits() {
        JsonNode expected = CrankJson.parse("""
                {
                  "$schema": "https://json-schema.org/draft/2020-12/schema",
                  "type": "object",
                  "required": ["text"],
                  "additionalProperties": false,
                  "properties": {
                    "text": {"type": "string", "minLength": 1, "maxLength": 1000000},
                    "words_per_minute": {"type": "integer", "minimum": 50, "maximum": 1000, "default": 238}
                  }
                }
                """);

        assertThat(reread(published.inputSchema())).isEqualTo(expected);
    }

    @Test
    void outputSchemaRequiresEveryCountWithItsMinimum() {
        JsonNode output = reread(published.outputSchema());

        assertThat(output.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(output.path("required")).extracting(JsonNode::asText).containsExactlyInAnyOrder("word_count",
                "unique_word_count", "sentence_count", "paragraph_count", "character_count", "average_word_length",
                "average_words_per_sentence", "words_per_minute", "reading_time_seconds");
        ObjectNode properties = (ObjectNode) output.path("properties");
        assertThat(properties.path("character_count").path("minimum").asInt()).isEqualTo(1);
        assertThat(properties.path("words_per_minute").path("minimum").asInt()).isEqualTo(50);
        assertThat(properties.path("average_word_length").path("type").asText()).isEqualTo("number");
        assertThat(properties.path("word_count").path("type").asText()).isEqualTo("integer");
        assertThat(published.validateOutput(CrankJson.tree(TextStats.of("It was the best of times.", 238)))).isEmpty();
    }

    /** Numbers re-read from text: the generator writes some limits as longs, the parser as ints. */
    private static JsonNode reread(JsonNode schema) {
        return CrankJson.parse(CrankJson.string(schema));
    }
}
