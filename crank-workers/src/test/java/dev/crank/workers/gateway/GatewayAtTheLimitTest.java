package dev.crank.workers.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.controller.ControllerSettings;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankClient;
import dev.crank.core.CrankResponse;
import dev.crank.core.CrankServer;
import dev.crank.core.Handler;
import dev.crank.core.testing.RawHttps;
import dev.crank.core.testing.TestTls;
import dev.crank.testing.Await;
import dev.crank.testing.CrankPlatform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway under load it cannot serve: the control plane keeps answering, the excess is refused with
 * 429 (never 502), a slow caller slows the worker instead of filling the controller's memory, metric
 * series stay bounded, and the trace context reaches the worker unchanged.
 */
class GatewayAtTheLimitTest {

    /** A hang guard on calls that must answer, not a timing assertion. */
    private static final long ANSWER_GUARD_SECONDS = 10;

    @TempDir
    Path dir;

    @Test
    void aWorkerAnsweringAfterTwentySecondsSaturatedWithThreeHundredCallsLeavesRegisterHeartbeatAndHealthAnswering() throws Exception {
        try (CrankPlatform platform = CrankPlatform.withoutController(dir);
             CrankClient callers = callers(platform)) {
            platform.startController(Clock.systemUTC(), ControllerSettings.defaults(dir));
            AtomicInteger holding = new AtomicInteger();
            try (CrankServer slow = bareWorker(platform, "crank-slow", request -> {
                holding.incrementAndGet();
                Thread.sleep(20_000);
                return CrankResponse.json(Map.of("done", true));
            })) {
                register(platform, "crank-slow", slow.port(), capability("slow", "call", 200));
                List<CompletableFuture<ClientResponse>> calls = fire(platform, callers, "/invoke/slow/call", 300);
                Await.until("the worker holds its 200 calls", CrankPlatform.TIMEOUT, () -> holding.get() == 200);

                for (int round = 0; round < 5; round++) {
                    assertThat(answer(platform, "GET", "/health", null).status()).as("/health").isEqualTo(200);
                    assertThat(answer(platform, "POST", "/heartbeat", "{\"worker_id\":\"crank-slow\"}").status()).as("/heartbeat").isEqualTo(200);
                    ClientResponse registered = answer(platform, "POST", "/register", "{\"worker_id\":\"crank-other-" + round
                            + "\",\"worker_url\":\"https://localhost:" + slow.port() + "\",\"capabilities\":[" + capability("other", "call", 1) + "]}");
                    assertThat(registered.status()).as("/register").isEqualTo(200);
                    assertThat(answer(platform, "POST", "/route", "{\"verb\":\"slow\",\"capability\":\"call\"}").status()).as("/route").isEqualTo(200);
                }
                assertThat(holding.get()).as("all this while the 200 calls are still held").isEqualTo(200);

                Map<Integer, Integer> statuses = statuses(calls);
                assertThat(statuses).containsOnlyKeys(200, 429).containsEntry(200, 200).containsEntry(429, 100);
            }
        }
    }

    @Test
    void threeHundredCallsToAWorkerOfMaxConcurrencyTwoHundredGetNo502AndTheExcessGets429WithRetryAfter() throws Exception {
        try (CrankPlatform platform = CrankPlatform.withoutController(dir);
             CrankClient callers = callers(platform)) {
            platform.startController(Clock.systemUTC(), ControllerSettings.defaults(dir));
            Semaphore release = new Semaphore(0);
            AtomicInteger holding = new AtomicInteger();
            try (CrankServer worker = bareWorker(platform, "crank-busy", request -> {
                holding.incrementAndGet();
                release.tryAcquire(30, TimeUnit.SECONDS);
                return CrankResponse.json(Map.of("done", true));
            })) {
                register(platform, "crank-busy", worker.port(), capability("busy", "call", 200));
                List<CompletableFuture<ClientResponse>> calls = fire(platform, callers, "/invoke/busy/call", 300);
                Await.until("the worker holds 200 calls", CrankPlatform.TIMEOUT, () -> holding.get() == 200);
                // The 100 beyond max_concurrency are answered while the 200 are still held.
                Await.until("the excess is answered", CrankPlatform.TIMEOUT, () -> calls.stream().filter(CompletableFuture::isDone).count() >= 100);
                List<ClientResponse> refused = new ArrayList<>();
                for (CompletableFuture<ClientResponse> call : calls) {
                    if (call.isDone()) {
                        refused.add(call.join());
                    }
                }
                release.release(1000);
                Map<Integer, Integer> statuses = statuses(calls);

                assertThat(statuses).containsOnlyKeys(200, 429).containsEntry(200, 200).containsEntry(429, 100);
                assertThat(refused).hasSize(100).allSatisfy(response -> {
                    assertThat(response.status()).isEqualTo(429);
                    assertThat(response.header("retry-after")).isPresent();
                    assertThat(response.json().get("code").asText()).isEqualTo("TOO_MANY_REQUESTS");
                });
                assertThat(holding.get()).as("the worker never saw more than its max_concurrency").isEqualTo(200);
            }
        }
    }

    @Test
    void aCallerReadingAStreamSlowlySlowsTheWorkerAndTheControllerBuffersABoundedAmount() throws Exception {
        long total = 64L * 1024 * 1024;
        byte[] event = ("data: " + "x".repeat(16 * 1024 - 8) + "\n\n").getBytes(StandardCharsets.UTF_8);
        AtomicLong produced = new AtomicLong();
        try (CrankPlatform platform = CrankPlatform.start(dir);
             CrankServer worker = bareWorker(platform, "crank-flood", request -> CrankResponse.stream("text/event-stream", out -> {
                 while (produced.get() < total) {
                     out.write(event);
                     produced.addAndGet(event.length);
                 }
             }))) {
            register(platform, "crank-flood", worker.port(), capability("flood", "events", 4));
            SSLContext tls = TestTls.forcedClient(platform.pki().adminMaterial("admin"), platform.pki().caCertificate());
            try (RawHttps.Lines lines = RawHttps.open(tls, platform.controller().port(),
                    RawHttps.request("POST", "/invoke/flood/events", "application/json", "{}".getBytes(StandardCharsets.UTF_8)))) {
                assertThat(lines.status()).isEqualTo(200);
                assertThat(lines.next()).as("a first event arrives").isNotNull();

                long stalled = Await.untilSteady(CrankPlatform.TIMEOUT, produced::get);
                assertThat(stalled).as("the worker is held back while the caller does not read").isLessThan(total / 2);
                JsonNode status = platform.get(platform.controllerUrl(), "/status").json();
                long peak = status.get("gateway_relay_buffered_bytes_peak").asLong();
                System.out.printf("slow reader: worker produced %d of %d bytes while stalled; controller buffered at most %d bytes%n",
                        stalled, total, peak);
                assertThat(peak).as("bytes the controller held for the call").isPositive().isLessThanOrEqualTo(1024 * 1024);

                int read = 0;
                String line;
                while (read < 2000 && (line = lines.next()) != null) {
                    if (line.startsWith("data:")) {
                        read++;
                    }
                }
                Await.until("the worker resumes once the caller reads", CrankPlatform.TIMEOUT, () -> produced.get() > stalled);
            }
            long peakAfter = platform.get(platform.controllerUrl(), "/status").json().get("gateway_relay_buffered_bytes_peak").asLong();
            assertThat(peakAfter).as("still bounded after reading").isLessThanOrEqualTo(1024 * 1024);
            // The caller left mid-stream: the worker's stream is stopped and the call no longer counts as in flight.
            Await.until("the worker's stream is stopped", CrankPlatform.TIMEOUT, () -> worker.inFlight() == 0);
            Await.until("the controller ended the call", CrankPlatform.TIMEOUT,
                    () -> platform.get(platform.controllerUrl(), "/status").json().get("in_flight").asInt() <= 1);
            assertThat(produced.get()).as("the worker did not run to the end").isLessThan(total);
        }
    }

    @Test
    void fiveThousandCallsToRandomUnknownCapabilitiesDoNotGrowTheGatewaySeries() throws Exception {
        try (CrankPlatform platform = CrankPlatform.start(dir);
             CrankClient callers = callers(platform)) {
            assertThat(call(callers, platform, "/invoke/warm/up").status()).isEqualTo(404);
            Map<String, Double> before = gatewaySeries(platform);

            Semaphore window = new Semaphore(64);
            List<CompletableFuture<ClientResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                window.acquire();
                String path = "/invoke/v" + ThreadLocalRandom.current().nextInt(1 << 30) + "/n" + ThreadLocalRandom.current().nextInt(1 << 30);
                calls.add(send(callers, platform, path).whenComplete((response, error) -> window.release()));
            }
            assertThat(statuses(calls)).containsOnlyKeys(404);
            Map<String, Double> after = gatewaySeries(platform);

            assertThat(after.keySet()).as("crank_gateway_* series").isEqualTo(before.keySet());
            assertThat(after.entrySet()).as("every call counted under the one unknown tag")
                    .filteredOn(series -> series.getKey().startsWith("crank_gateway_requests_seconds_count{")
                            && series.getKey().contains("capability=\"unknown\"") && series.getKey().contains("status=\"404\""))
                    .singleElement().satisfies(series -> assertThat(series.getValue()).isEqualTo(5001.0));
            assertThat(after.keySet()).as("latency is a Prometheus histogram")
                    .anyMatch(series -> series.startsWith("crank_gateway_requests_seconds_bucket{capability=\"unknown\""));
        }
    }

    @Test
    void theW3cTraceContextReachesTheWorkerUnchanged() throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        try (CrankPlatform platform = CrankPlatform.start(dir);
             CrankServer worker = bareWorker(platform, "crank-traced", request -> {
                 for (String name : List.of("traceparent", "tracestate", "baggage", "x-request-id")) {
                     request.header(name).ifPresent(value -> seen.put(name, value));
                 }
                 return CrankResponse.json(Map.of());
             });
             CrankClient callers = callers(platform)) {
            register(platform, "crank-traced", worker.port(), capability("traced", "call", 4));
            Map<String, String> trace = Map.of(
                    "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                    "tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
                    "baggage", "userId=alice,serverNode=DF%2028,isProduction=false",
                    "x-request-id", "trace-test-1");
            Map<String, String> headers = new TreeMap<>(trace);
            headers.put("content-type", "application/json");
            ClientResponse response = callers.send(new ClientRequest("POST", platform.controllerUrl().resolve("/invoke/traced/call"),
                    headers, "{}".getBytes(StandardCharsets.UTF_8), CrankPlatform.TIMEOUT)).get(ANSWER_GUARD_SECONDS, TimeUnit.SECONDS);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("x-request-id")).contains("trace-test-1");
            assertThat(seen).isEqualTo(trace);
        }
    }

    @Test
    void theLogLinesOfACallCarryItsRequestIdCapabilityAndTraceParentInTheMdc() throws Exception {
        ch.qos.logback.classic.Logger gatewayLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.crank.controller.GatewayCall");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        gatewayLog.addAppender(lines);
        try (CrankPlatform platform = CrankPlatform.start(dir);
             CrankClient callers = callers(platform)) {
            int closedPort;
            try (CrankServer gone = bareWorker(platform, "crank-gone", request -> CrankResponse.json(Map.of()))) {
                closedPort = gone.port();
            }
            register(platform, "crank-gone", closedPort, capability("gone", "call", 4));
            String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
            ClientResponse response = callers.send(new ClientRequest("POST", platform.controllerUrl().resolve("/invoke/gone/call"),
                    Map.of("content-type", "application/json", "x-request-id", "mdc-test-1", "traceparent", traceparent),
                    "{}".getBytes(StandardCharsets.UTF_8), CrankPlatform.TIMEOUT)).get(ANSWER_GUARD_SECONDS, TimeUnit.SECONDS);

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.json().get("code").asText()).isEqualTo("UPSTREAM_UNAVAILABLE");
            assertThat(lines.list).as("the gateway logged the failed attempt").isNotEmpty().allSatisfy(line -> {
                assertThat(line.getMDCPropertyMap()).containsEntry("request_id", "mdc-test-1")
                        .containsEntry("capability", "gone:call").containsEntry("traceparent", traceparent);
            });
        } finally {
            gatewayLog.detachAppender(lines);
        }
    }

    @Test
    void refusesAWorkerUrlThatIsTheControllersOwnAddress() {
        try (CrankPlatform platform = CrankPlatform.start(dir)) {
            int port = platform.controller().port();
            for (String url : List.of("https://localhost:" + port, "https://127.0.0.1:" + port + "/", "https://[::1]:" + port)) {
                ClientResponse refused = platform.postJson(platform.controllerUrl(), "/register",
                        "{\"worker_id\":\"crank-loop\",\"worker_url\":\"" + url + "\",\"capabilities\":[" + capability("loop", "call", 1) + "]}");
                assertThat(refused.status()).as(url).isEqualTo(400);
                assertThat(refused.json().get("code").asText()).isEqualTo("WORKER_URL_IS_CONTROLLER");
            }
            assertThat(platform.route("loop", "call").status()).as("nothing was registered").isEqualTo(404);
        }
    }

    // ---- helpers

    /**
     * A client for the test's own load: more connections than calls, so the test's side never queues, and a
     * handshake deadline that 300 handshakes at once on two shared cores (leak detection on) can meet.
     */
    private static CrankClient callers(CrankPlatform platform) {
        return CrankClient.builder(platform.pki().adminMaterial("admin")).maxConnectionsPerHost(512)
                .connectTimeout(CrankPlatform.TIMEOUT).build();
    }

    private static CrankServer bareWorker(CrankPlatform platform, String id, Handler handler) {
        return CrankServer.builder(platform.pki().workerMaterial(id), handler).name(id).bindHost("127.0.0.1").build().start();
    }

    private static String capability(String verb, String name, int maxConcurrency) {
        return CapabilitySchema.builder(verb, name).version("1.0.0").maxConcurrency(maxConcurrency)
                .inputSchema("{\"type\":\"object\"}").build().toJson().toString();
    }

    private static void register(CrankPlatform platform, String id, int port, String capability) {
        ClientResponse registered = platform.postJson(platform.controllerUrl(), "/register",
                "{\"worker_id\":\"" + id + "\",\"worker_url\":\"https://localhost:" + port + "\",\"capabilities\":[" + capability + "]}");
        assertThat(registered.status()).as(registered.bodyText()).isEqualTo(200);
    }

    private static CompletableFuture<ClientResponse> send(CrankClient client, CrankPlatform platform, String path) {
        return client.send(new ClientRequest("POST", platform.controllerUrl().resolve(path), Map.of("content-type", "application/json"),
                "{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60)));
    }

    private static ClientResponse call(CrankClient client, CrankPlatform platform, String path) throws Exception {
        return send(client, platform, path).get(ANSWER_GUARD_SECONDS, TimeUnit.SECONDS);
    }

    private static List<CompletableFuture<ClientResponse>> fire(CrankPlatform platform, CrankClient client, String path, int count) {
        List<CompletableFuture<ClientResponse>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(send(client, platform, path));
        }
        return calls;
    }

    /** A control-plane call with the platform's admin client (its own connections), with a hang guard. */
    private static ClientResponse answer(CrankPlatform platform, String method, String path, String json) throws Exception {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = json == null ? Map.of() : Map.of("content-type", "application/json");
        return platform.admin().send(new ClientRequest(method, platform.controllerUrl().resolve(path), headers, body,
                Duration.ofSeconds(ANSWER_GUARD_SECONDS))).get(ANSWER_GUARD_SECONDS + 1, TimeUnit.SECONDS);
    }

    private static Map<Integer, Integer> statuses(List<CompletableFuture<ClientResponse>> calls) {
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (CompletableFuture<ClientResponse> call : calls) {
            statuses.merge(call.join().status(), 1, Integer::sum);
        }
        return statuses;
    }

    /** Every {@code crank_gateway_*} series in the controller's {@code /metrics}, with its value. */
    private static Map<String, Double> gatewaySeries(CrankPlatform platform) {
        Map<String, Double> series = new TreeMap<>();
        for (String line : platform.get(platform.controllerUrl(), "/metrics").bodyText().split("\n")) {
            if (line.startsWith("crank_gateway_")) {
                int space = line.lastIndexOf(' ');
                series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return series;
    }
}
