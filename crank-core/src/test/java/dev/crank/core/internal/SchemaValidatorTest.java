package dev.crank.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
                .hasMessageContaining("is not allowed");
    }

    /** Behind the allow-list, the loader itself refuses every location but the bundled meta-schemas. */
    @ParameterizedTest
    @ValueSource(strings = {"jar:file:/tmp/x.zip!/s.json", "file:/etc/passwd", "classpath:logback.xml"})
    void theLoaderRefusesEveryLocationEvenForTrustedSchemas(String location) {
        assertThatThrownBy(() -> SchemaValidator.compile(Json.parse("{\"$ref\":\"" + location + "\"}")).validate(Json.parse("{}")))
                .hasMessageContaining("is not allowed to be loaded");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"$ref\":\"jar:http://127.0.0.1:1/x.jar!/s.json\"}",
            "{\"$ref\":\"jar:file:/tmp/x.zip!/s.json\"}",
            "{\"$ref\":\"JAR:FILE:/tmp/x.zip!/s.json\"}",
            "{\"$ref\":\"file:///etc/passwd\"}",
            "{\"$ref\":\"classpath:logback.xml\"}",
            "{\"$ref\":\"classpath:draft/../../logback.xml\"}",
            "{\"$ref\":\"other.json\"}",
            "{\"$ref\":\"//127.0.0.1/s.json\"}",
            "{\"$ref\":\"ftp://127.0.0.1/s.json\"}",
            "{\"$ref\":\"https://json-schema.org.evil.invalid/draft/2020-12/schema\"}",
            "{\"$ref\":\"https://json-schema.org/draft/2020-12/../../x\"}",
            "{\"$dynamicRef\":\"jar:file:/tmp/x.zip!/s.json\"}",
            "{\"$recursiveRef\":\"file:/etc/passwd\"}",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"items\":{\"allOf\":[{\"$ref\":\"jar:file:/x.zip!/s.json\"}]}}}}",
            "{\"$schema\":\"jar:file:/tmp/x.zip!/meta.json\"}",
            "{\"$id\":\"jar:file:/tmp/x.zip!/\",\"$ref\":\"#/$defs/a\",\"$defs\":{\"a\":{}}}",
            "{\"$id\":\"https://127.0.0.1/s.json\"}",
            "{\"$defs\":{\"a\":{\"$id\":\"file:/tmp/\",\"$ref\":\"b.json\"}}}"})
    void refusesEveryReferenceThatLeavesTheSchema(String schema) {
        assertThatThrownBy(() -> SchemaValidator.compileUntrusted(Json.parse(schema)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not allowed");
    }

    @Test
    void allowsLocalReferencesTheBundledMetaSchemaAndUrnIds() {
        SchemaValidator validator = SchemaValidator.compileUntrusted(Json.parse("""
                {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"urn:crank:greet",
                 "type":"object","properties":{"a":{"$ref":"#/$defs/short"}},
                 "$defs":{"short":{"type":"string","maxLength":3}},
                 "examples":[{"$ref":"just data"}]}
                """));
        assertThat(validator.validate(Json.parse("{\"a\":\"abc\"}"))).isEmpty();
        assertThat(validator.validate(Json.parse("{\"a\":\"abcd\"}"))).hasSize(1);
    }

    /** On a backtracking engine each of these runs for hours against its input; here they are linear. */
    @ParameterizedTest
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @ValueSource(strings = {"^(.*a){20}$", "^(a+)+$", "^(a|a)*$", "^(a|aa)+$", "^([a-z]*)*$", "(x+x+)+y", "^(\\w+\\s?)*$"})
    void catastrophicPatternsAreMatchedInLinearTime(String regex) {
        String hostile = "a".repeat(40) + "!" + " ".repeat(10) + "x".repeat(40);
        String escaped = regex.replace("\\", "\\\\");
        SchemaValidator property = SchemaValidator.compileUntrusted(Json.parse(
                "{\"properties\":{\"s\":{\"type\":\"string\",\"pattern\":\"" + escaped + "\"}}}"));
        SchemaValidator names = SchemaValidator.compileUntrusted(Json.parse(
                "{\"patternProperties\":{\"" + escaped + "\":{\"type\":\"integer\"}},\"propertyNames\":{\"pattern\":\"" + escaped + "\"}}"));

        assertThat(property.validate(Json.object().put("s", hostile))).hasSize(1);
        assertThat(names.validate(Json.object().put(hostile, 1))).isNotEmpty();
        assertThat(property.validate(Json.object().put("s", "a".repeat(100_000) + "!"))).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"(a)\\1", "(?=a)a", "(?!a)b", "(?<=a)b", "(?<!a)b", "a{2,1}", "(unclosed"})
    void patternsWithoutALinearTimeMatcherAreRefusedWhenCompiled(String regex) {
        String schema = "{\"properties\":{\"s\":{\"type\":\"string\",\"pattern\":\"" + regex.replace("\\", "\\\\") + "\"}}}";
        assertThatThrownBy(() -> SchemaValidator.compileUntrusted(Json.parse(schema)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pattern");
    }

    @Test
    void overlongPatternsAreRefused() {
        String schema = "{\"properties\":{\"s\":{\"pattern\":\"" + "a".repeat(LinearRegularExpressions.MAX_LENGTH + 1) + "\"}}}";
        assertThatThrownBy(() -> SchemaValidator.compileUntrusted(Json.parse(schema)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pattern");
    }

    @Test
    void ecmaUnicodeEscapesInPatternsAreUnderstood() {
        SchemaValidator validator = SchemaValidator.compileUntrusted(Json.parse(
                "{\"properties\":{\"s\":{\"type\":\"string\",\"not\":{\"pattern\":\"[\\\\n\\\\u2028\\\\u0085]\"}}}}"));
        assertThat(validator.validate(Json.object().put("s", "one line"))).isEmpty();
        assertThat(validator.validate(Json.object().put("s", "two\u2028lines"))).isNotEmpty();
        assertThat(LinearRegularExpressions.toRe2("a\\\\u0041\\u00e9")).isEqualTo("a\\\\u0041\\x{00e9}");
    }
}
