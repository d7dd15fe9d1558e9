package dev.crank.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.CrankClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/** One real, valid call per capability, with what its answer must show. */
final class Samples {

    record Call(Map<String, String> headers, byte[] body, Consumer<CrankClient.Response> check) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final Map<String, Call> CALLS = Map.of(
            "greet:hello_world", json("{\"message\":\"World\",\"options\":{\"uppercase\":true,\"exclamations\":2}}",
                    response -> assertThat(response.json().get("greeting").asText()).isEqualTo("Hello, WORLD!!")));

    private Samples() {}

    static Call of(String capability) {
        Call call = CALLS.get(capability);
        if (call == null) {
            throw new AssertionError("no sample call for " + capability + ": add one to " + Samples.class.getName());
        }
        return call;
    }

    /** Checks after the bad-input run that stored data survived (the zettel store, once it ships). */
    static void verifyStoredData(PlatformProcesses platform, Map<String, PlatformProcesses.Node> nodes) {
        assertThat(nodes).containsKey("controller");
    }

    private static Call json(String body, Consumer<CrankClient.Response> check) {
        return new Call(Map.of("content-type", "application/json"), body.getBytes(StandardCharsets.UTF_8), check);
    }
}
