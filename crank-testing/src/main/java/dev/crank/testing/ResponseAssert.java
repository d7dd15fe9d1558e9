package dev.crank.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.ClientResponse;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankJson;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link ClientResponse}: its status, a problem answer ({@code application/problem+json}
 * with a {@code code}), or an answer that conforms to a capability's {@code output_schema}. Every failure
 * message carries the body, so a failed check says what the server answered.
 */
public final class ResponseAssert extends AbstractAssert<ResponseAssert, ClientResponse> {

    private static final String PROBLEM = "application/problem+json";

    ResponseAssert(ClientResponse actual) {
        super(actual, ResponseAssert.class);
    }

    /** The status is {@code status}. */
    public ResponseAssert hasStatus(int status) {
        isNotNull();
        if (actual.status() != status) {
            failWithMessage("expected status %d but was %d; body: %s", status, actual.status(), actual.bodyText());
        }
        return this;
    }

    /** The status is 200. */
    public ResponseAssert isOk() {
        return hasStatus(200);
    }

    /** The header {@code name} (case-insensitive) is present with {@code value}. */
    public ResponseAssert hasHeader(String name, String value) {
        isNotNull();
        Optional<String> header = actual.header(name);
        if (header.isEmpty() || !header.get().equals(value)) {
            failWithMessage("expected header %s: %s but was %s", name, value, header.orElse("<absent>"));
        }
        return this;
    }

    /**
     * A problem answer (RFC 9457) with {@code status} and {@code code}: the content type is
     * {@code application/problem+json}, and the body repeats the status and carries a title and a detail.
     */
    public ResponseAssert isProblem(int status, String code) {
        hasStatus(status);
        String type = actual.header("content-type").orElse("");
        if (!type.startsWith(PROBLEM)) {
            failWithMessage("expected content-type %s but was '%s'; body: %s", PROBLEM, type, actual.bodyText());
        }
        JsonNode problem = body();
        if (!code.equals(problem.path("code").asText(null))) {
            failWithMessage("expected problem code %s but was %s; body: %s", code, problem.path("code").asText("<absent>"), actual.bodyText());
        }
        if (problem.path("status").asInt(-1) != status) {
            failWithMessage("expected the problem to repeat status %d; body: %s", status, actual.bodyText());
        }
        if (problem.path("title").asText("").isBlank() || problem.path("detail").asText("").isBlank()) {
            failWithMessage("expected the problem to carry a title and a detail; body: %s", actual.bodyText());
        }
        return this;
    }

    /** The body is JSON that conforms to {@code capability}'s {@code output_schema}. */
    public ResponseAssert matchesOutputSchema(CapabilitySchema capability) {
        isNotNull();
        List<String> violations = capability.validateOutput(body());
        if (!violations.isEmpty()) {
            failWithMessage("expected the answer to match the output_schema of %s, but: %s; body: %s",
                    capability.key(), violations, actual.bodyText());
        }
        return this;
    }

    private JsonNode body() {
        try {
            return CrankJson.read(actual.body());
        } catch (IllegalArgumentException e) {
            failWithMessage("expected a JSON body but got: %s", actual.bodyText());
            throw new AssertionError("unreachable");
        }
    }
}
