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

    private static final Map<String, Call> CALLS = Map.ofEntries(
            Map.entry("greet:hello_world", json("{\"message\":\"World\",\"options\":{\"uppercase\":true,\"exclamations\":2}}",
                    response -> assertThat(response.json().get("greeting").asText()).isEqualTo("Hello, WORLD!!"))),
            Map.entry("stream:text_events", json("{\"content\":\"one two three four five\",\"chunk_size\":2}",
                    response -> assertThat(response.bodyText()).contains("event: chunk", "\"content\":\"one two\"", "event: done"))),
            Map.entry("stream:sse_events", json("{\"interval_ms\":100,\"max_events\":2}",
                    response -> assertThat(response.bodyText()).contains("retry:", "\"worker_id\":\"crank-streaming\""))),
            Map.entry("analyze:philosophy", json("{\"text\":\"Decisions are made by many autonomous agents that coordinate without a "
                    + "central controller; agency is distributed across the network of teams.\"}",
                    response -> assertThat(response.json().get("dna_markers").get("AID").asDouble()).isPositive())));

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
