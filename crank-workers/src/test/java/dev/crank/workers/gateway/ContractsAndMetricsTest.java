package dev.crank.workers.gateway;

import static dev.crank.testing.CrankAssertions.assertThat;
import dev.crank.core.ClientResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.testing.Await;
import dev.crank.testing.CrankPlatform;
import dev.crank.testing.CrankPlatformExtension;
import dev.crank.workers.helloworld.HelloWorldWorker;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ContractsAndMetricsTest {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)");
    private static final String CAPABILITY = "{\"verb\":\"greet\",\"name\":\"hello_world\",\"version\":\"%s\",\"input_schema\":%s}";

    @RegisterExtension
    final CrankPlatformExtension crank = CrankPlatformExtension.withController();

    @Test
    void compilesSchemasAtRegistrationAndRefusesConflictingContracts() {
        CrankPlatform platform = crank.platform();
        assertThat(register(platform, "crank-x", String.format(CAPABILITY, "1.0.0", "{\"type\":\"nonsense\"}")))
                .isProblem(400, "INVALID_SCHEMA");

        assertThat(register(platform, "crank-x", String.format(CAPABILITY, "1.0.0", "{\"type\":\"object\"}")).status()).isEqualTo(200);
        assertThat(register(platform, "crank-y", String.format(CAPABILITY, "1.2.0", "{\"type\":\"object\",\"required\":[\"other\"]}")))
                .isProblem(409, "SCHEMA_CONFLICT");
        assertThat(register(platform, "crank-y", String.format(CAPABILITY, "1.2.0", "{\"type\":\"object\"}")).status())
                .as("same contract, other minor version").isEqualTo(200);
        assertThat(register(platform, "crank-z", String.format(CAPABILITY, "2.0.0", "{\"type\":\"array\"}")))
                .as("no second major version while the first has providers").isProblem(409, "VERSION_CONFLICT");
        platform.controller().registry().deregister("crank-x");
        platform.controller().registry().deregister("crank-y");
        assertThat(register(platform, "crank-z", String.format(CAPABILITY, "2.0.0", "{\"type\":\"array\"}")).status())
                .as("a new major version may change the contract once the old one is drained").isEqualTo(200);
    }

    @Test
    void heartbeatsCarryLoadAndEveryListenerExposesPrometheusMetrics() {
        CrankPlatform platform = crank.platform();
        HelloWorldWorker worker = platform.worker(HelloWorldWorker.WORKER_ID, HelloWorldWorker::new);
        platform.awaitRegistered(worker);
        for (int i = 0; i < 5; i++) {
            assertThat(platform.postJson(platform.controllerUrl(), "/invoke/greet/hello_world", "{\"message\":\"m\"}").status()).isEqualTo(200);
        }
        assertThat(platform.postJson(platform.controllerUrl(), "/invoke/greet/hello_world", "{\"message\":1}").status()).isEqualTo(400);

        Await.until("a heartbeat reports latency", CrankPlatform.TIMEOUT, () -> platform.get(platform.controllerUrl(), "/workers")
                .json().get("workers").get(0).get("load").has("latency_ms"));
        JsonNode load = platform.get(platform.controllerUrl(), "/workers").json().get("workers").get(0).get("load");
        assertThat(load.get("in_flight").has("greet:hello_world")).isTrue();
        assertThat(load.get("queue_depth").asInt()).isZero();
        assertThat(load.get("rejected").get("greet:hello_world").asLong()).as("429s by capability").isZero();
        assertThat(load.get("device").asText()).isEqualTo("cpu");
        assertThat(load.get("latency_ms").get("greet:hello_world").get("p99").asDouble()).isNotNegative();

        Map<String, Double> controller = scrape(platform, platform.controllerUrl());
        assertThat(controller).containsKey("crank_gateway_requests_seconds_count{capability=\"greet:hello_world\",status=\"200\",worker_id=\"crank-controller\"}");
        assertThat(controller.get("crank_gateway_requests_seconds_count{capability=\"greet:hello_world\",status=\"200\",worker_id=\"crank-controller\"}")).isEqualTo(5.0);
        assertThat(controller.keySet()).as("gateway latency as histogram buckets")
                .anyMatch(key -> key.startsWith("crank_gateway_requests_seconds_bucket{capability=\"greet:hello_world\",status=\"200\"") && key.contains(",le="));
        assertThat(controller.keySet()).as("JVM meters").anyMatch(key -> key.startsWith("jvm_memory_used_bytes{"));
        assertThat(controller.get("crank_registry_workers{worker_id=\"crank-controller\"}")).isEqualTo(1.0);
        assertThat(controller.get("crank_registry_registrations_total{worker_id=\"crank-controller\"}")).isEqualTo(1.0);
        assertThat(controller.get("crank_registry_heartbeats_total{worker_id=\"crank-controller\"}")).isPositive();
        assertThat(controller).containsKeys("crank_registry_evictions_total{worker_id=\"crank-controller\"}", "crank_gateway_rejected_total{worker_id=\"crank-controller\"}");

        Map<String, Double> helloWorld = scrape(platform, URI.create("https://localhost:" + worker.port()));
        assertThat(helloWorld.get("crank_capability_requests_seconds_count{capability=\"greet:hello_world\",status=\"200\",worker_id=\"crank-hello-world\"}")).isEqualTo(5.0);
        assertThat(helloWorld).as("latency as buckets that add up across instances (p50/p99 still reach the heartbeat)")
                .containsKey("crank_capability_latency_seconds_bucket{capability=\"greet:hello_world\",worker_id=\"crank-hello-world\",le=\"+Inf\"}");
        assertThat(helloWorld).containsKey("crank_capability_in_flight{capability=\"greet:hello_world\",worker_id=\"crank-hello-world\"}");

        JsonNode catalog = platform.get(platform.controllerUrl(), "/catalog").json();
        JsonNode greet = catalog.get("capabilities").get("greet:hello_world");
        assertThat(catalog.get("capability_count").asInt()).isEqualTo(1);
        assertThat(greet.get("versions").get("1.0.0").get("input_schema").get("required").get(0).asText()).isEqualTo("message");
        assertThat(greet.get("providers").get(0).get("worker_id").asText()).isEqualTo(HelloWorldWorker.WORKER_ID);
        assertThat(greet.get("providers").get(0).get("healthy").asBoolean()).isTrue();
        assertThat(greet.get("counters").get("gateway_calls").asLong()).isEqualTo(6);
        assertThat(greet.get("counters").get("gateway_non_2xx").asLong()).isEqualTo(1);
    }

    private static ClientResponse register(CrankPlatform platform, String id, String capability) {
        return platform.postJson(platform.controllerUrl(), "/register",
                "{\"worker_id\":\"" + id + "\",\"worker_url\":\"https://localhost:1\",\"capabilities\":[" + capability + "]}");
    }

    /** Parses Prometheus text exposition; fails on any line that is neither a comment nor a sample. */
    private static Map<String, Double> scrape(CrankPlatform platform, URI base) {
        ClientResponse response = platform.get(base, "/metrics");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.bodyText().split("\n")) {
            if (line.isBlank() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher matcher = SAMPLE.matcher(line);
            assertThat(matcher.matches()).as("a Prometheus sample line: %s", line).isTrue();
            samples.put(matcher.group(1) + (matcher.group(2) == null ? "" : matcher.group(2)), Double.parseDouble(matcher.group(3)
                    .replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
        }
        return samples;
    }
}
