package dev.crank.testing;

import dev.crank.core.ClientResponse;

/**
 * AssertJ entry points for Crank answers; import next to AssertJ's own {@code assertThat}.
 *
 * <pre>{@code
 * import static dev.crank.testing.CrankAssertions.assertThat;
 *
 * assertThat(crank.invoke("analyze:text_stats", "{}")).isProblem(400, "INVALID_INPUT");
 * assertThat(crank.invoke("analyze:text_stats", "{\"text\":\"One.\"}")).isOk().matchesOutputSchema(worker.capability());
 * }</pre>
 */
public final class CrankAssertions {

    private CrankAssertions() {}

    public static ResponseAssert assertThat(ClientResponse actual) {
        return new ResponseAssert(actual);
    }
}
