package dev.crank.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.internal.Json;
import org.junit.jupiter.api.Test;

class CapabilitySchemaTest {

    @Test
    void roundTripsInSnakeCaseAndKeepsUnknownFields() {
        JsonNode wire = Json.parse("""
                {"name":"email_intent","verb":"classify","version":"2.1.0-beta.1",
                 "input_schema":{"type":"object"},"requires_gpu":true,"max_concurrency":4,
                 "idempotent":true,"description":"d","tags":["nlp"],"error_codes":["X"],
                 "future_field":{"nested":[1,2]}}
                """);
        CapabilitySchema schema = CapabilitySchema.fromJson(wire);

        assertThat(schema.key()).isEqualTo("classify:email_intent");
        assertThat(schema.requiresGpu()).isTrue();
        assertThat(schema.maxConcurrency()).isEqualTo(4);
        assertThat(schema.majorVersion()).isEqualTo(2);
        assertThat(schema.extra()).containsKey("future_field");
        JsonNode back = Json.parse(Json.string(schema));
        assertThat(back.get("future_field")).isEqualTo(wire.get("future_field"));
        assertThat(back.get("input_schema")).isEqualTo(wire.get("input_schema"));
        assertThat(back.get("max_concurrency").intValue()).isEqualTo(4);
        assertThat(CapabilitySchema.fromJson(back)).isEqualTo(schema);
    }

    @Test
    void appliesDefaults() {
        CapabilitySchema schema = CapabilitySchema.fromJson(Json.parse("{\"name\":\"a\",\"verb\":\"b\",\"version\":\"1.0.0\"}"));

        assertThat(schema.maxConcurrency()).isEqualTo(10);
        assertThat(schema.requiresGpu()).isFalse();
        assertThat(schema.idempotent()).isFalse();
        assertThat(schema.inputSchema()).isEqualTo(Json.object());
        assertThat(schema.outputSchema()).isEqualTo(Json.object());
    }

    @Test
    void rejectsBadIdentifiersVersionsAndConcurrency() {
        assertThatThrownBy(() -> CapabilitySchema.builder("Classify", "x").version("1.0.0").build())
                .hasMessageContaining("verb: 'Classify'");
        assertThatThrownBy(() -> CapabilitySchema.builder("classify", "x-y").version("1.0.0").build())
                .hasMessageContaining("name: 'x-y'");
        assertThatThrownBy(() -> CapabilitySchema.builder("classify", "x").version("1.0").build())
                .hasMessageContaining("version: '1.0'");
        assertThatThrownBy(() -> CapabilitySchema.builder("classify", "x").version("01.0.0").build())
                .hasMessageContaining("version");
        assertThatThrownBy(() -> CapabilitySchema.builder("classify", "x").version("1.0.0").maxConcurrency(0).build())
                .hasMessageContaining("max_concurrency: 0 (expected: >= 1)");
        assertThatThrownBy(() -> CapabilitySchema.fromJson(Json.parse("{\"name\":\"a\",\"verb\":\"b\"}")))
                .hasMessageContaining("version: missing");
        assertThatThrownBy(() -> CapabilitySchema.fromJson(Json.parse("{\"name\":\"a\",\"verb\":\"b\",\"version\":\"1.0.0\",\"max_concurrency\":\"3\"}")))
                .hasMessageContaining("max_concurrency");
        assertThatThrownBy(() -> CapabilitySchema.fromJson(Json.parse("[]"))).hasMessageContaining("expected a JSON object");
    }

    @Test
    void theBuilderAddsTheFrameworksErrorCodesBeforeTheWorkersOwn() {
        CapabilitySchema schema = CapabilitySchema.builder("classify", "x").version("1.0.0")
                .errorCodes("EMPTY_TEXT", "INVALID_INPUT").build();

        assertThat(schema.errorCodes()).startsWith(CapabilitySchema.FRAMEWORK_ERROR_CODES.toArray(String[]::new))
                .endsWith("EMPTY_TEXT").doesNotHaveDuplicates().contains("TOO_MANY_REQUESTS", "MALFORMED_JSON");
        assertThat(CapabilitySchema.fromJson(schema.toJson()).errorCodes()).isEqualTo(schema.errorCodes());
    }
}
