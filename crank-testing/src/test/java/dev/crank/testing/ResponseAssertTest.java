package dev.crank.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import dev.crank.core.ClientResponse;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crank.core.CapabilitySchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The assertions pass on what they describe and fail, with the body in the message, on anything else. */
class ResponseAssertTest {

    private static final String PROBLEM = """
            {"type":"urn:crank:problem:invalid-input","title":"Bad Request","status":400,"detail":"text: missing","code":"INVALID_INPUT"}""";
    private static final CapabilitySchema UPPER = CapabilitySchema.builder("convert", "upper").version("1.0.0")
            .outputSchema("""
                    {"type":"object","required":["text"],"properties":{"text":{"type":"string"}},"additionalProperties":false}""")
            .build();

    @Test
    void isProblemChecksStatusTypeCodeAndTheProblemsOwnFields() {
        ClientResponse problem = response(400, "application/problem+json", PROBLEM);
        assertThatCode(() -> CrankAssertions.assertThat(problem).isProblem(400, "INVALID_INPUT")).doesNotThrowAnyException();

        assertThatThrownBy(() -> CrankAssertions.assertThat(problem).isProblem(400, "OTHER"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("INVALID_INPUT").hasMessageContaining("OTHER");
        assertThatThrownBy(() -> CrankAssertions.assertThat(problem).isProblem(422, "INVALID_INPUT"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("text: missing");
        assertThatThrownBy(() -> CrankAssertions.assertThat(response(400, "application/json", PROBLEM)).isProblem(400, "INVALID_INPUT"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("application/problem+json");
        assertThatThrownBy(() -> CrankAssertions.assertThat(response(400, "application/problem+json",
                "{\"status\":400,\"code\":\"INVALID_INPUT\"}")).isProblem(400, "INVALID_INPUT"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("title and a detail");
        assertThatThrownBy(() -> CrankAssertions.assertThat(response(400, "application/problem+json", "<html>")).isProblem(400, "X"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("<html>");
    }

    @Test
    void matchesOutputSchemaNamesTheViolations() {
        assertThatCode(() -> CrankAssertions.assertThat(response(200, "application/json", "{\"text\":\"HI\"}"))
                .isOk().matchesOutputSchema(UPPER)).doesNotThrowAnyException();
        assertThatThrownBy(() -> CrankAssertions.assertThat(response(200, "application/json", "{\"text\":1,\"extra\":true}"))
                .matchesOutputSchema(UPPER))
                .isInstanceOf(AssertionError.class).hasMessageContaining("convert:upper").hasMessageContaining("extra");
        assertThatThrownBy(() -> CrankAssertions.assertThat(response(500, "application/json", "{\"text\":\"HI\"}")).isOk())
                .isInstanceOf(AssertionError.class).hasMessageContaining("500");
    }

    @Test
    void hasHeaderIsCaseInsensitiveOnTheName() {
        ClientResponse response = response(429, "application/problem+json", PROBLEM);
        assertThatCode(() -> CrankAssertions.assertThat(response).hasHeader("Content-Type", "application/problem+json"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> CrankAssertions.assertThat(response).hasHeader("retry-after", "1"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("<absent>");
    }

    private static ClientResponse response(int status, String contentType, String body) {
        return new ClientResponse(status, Map.of("content-type", List.of(contentType)), body.getBytes(StandardCharsets.UTF_8));
    }
}
