package dev.crank.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SchemaValidatorTest {

    @Test
    void reportsEveryViolationWithItsPointer() {
        SchemaValidator validator = SchemaValidator.compile(Json.parse("""
                {"type":"object","required":["a"],"properties":{"a":{"type":"string"},"b":{"type":"integer","maximum":3}}}
                """));

        assertThat(validator.validate(Json.parse("{\"a\":\"x\",\"b\":2}"))).isEmpty();
        assertThat(validator.validate(Json.parse("{\"b\":9}"))).hasSize(2)
                .anySatisfy(error -> assertThat(error).contains("/b"))
                .anySatisfy(error -> assertThat(error).contains("a"));
    }

    @Test
    void refusesSchemasThatAreNotSchemas() {
        assertThatThrownBy(() -> SchemaValidator.compileUntrusted(Json.parse("{\"type\":\"no-such-type\"}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid JSON Schema");
        assertThatThrownBy(() -> SchemaValidator.compileUntrusted(Json.parse("{\"properties\":{\"a\":{\"minimum\":\"x\"}}}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SchemaValidator.compileUntrusted(Json.parse("{\"type\":\"object\"}")).validate(Json.parse("{}"))).isEmpty();
    }

    @Test
    void neverFetchesARemoteReference() {
        assertThatThrownBy(() -> SchemaValidator.compileUntrusted(Json.parse(
                "{\"$ref\":\"https://schemas.example.invalid/remote.json\"}")).validate(Json.parse("{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not allowed to be loaded");
    }
}
