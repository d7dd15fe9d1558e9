package dev.crank.workers.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.controller.ControllerSettings;
import dev.crank.core.CrankResponse;
import dev.crank.core.CrankServer;
import dev.crank.core.WorkerConfig;
import dev.crank.core.testing.RawHttps;
import dev.crank.core.testing.TestTls;
import dev.crank.testing.Await;
import dev.crank.testing.CrankPlatform;
import dev.crank.workers.helloworld.HelloWorldWorker;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controller as a gateway: one address, streaming relay, enforced concurrency, GPU preference, retries. */
class GatewayTest {

    @TempDir
    Path dir;

    private static ProbeWorker probe(CrankPlatform platform, String id, int holdConcurrency, String device) {
        WorkerConfig config = platform.config(id).metadata("device", device).build();
        ProbeWorker worker = platform.start(new ProbeWorker(config, holdConcurrency));
        platform.awaitRegistered(worker);
        return worker;
    }

    private static ClientResponse invoke(CrankPlatform platform, String capability, String json) {
        return platform.postJson(platform.controllerUrl(), "/invoke/" + capability.replace(':', '/'), json);
    }

    @Test
    void invokesJsonCapabilitiesThroughTheControllerAndForwardsTheCallersIdentity() {
        try (CrankPlatform platform = CrankPlatform.start(dir)) {
            platform.awaitRegistered(platform.worker(HelloWorldWorker.WORKER_ID, HelloWorldWorker::new));
            ProbeWorker probe = probe(platform, "crank-probe", 4, "cpu");

            ClientResponse greeting = invoke(platform, "greet:hello_world", "{\"message\":\"World\",\"options\":{\"uppercase\":true}}");
            assertThat(greeting.status()).isEqualTo(200);
            assertThat(greeting.json().get("greeting").asText()).isEqualTo("Hello, WORLD!");
            assertThat(greeting.header("x-crank-worker")).contains(HelloWorldWorker.WORKER_ID);
            assertThat(greeting.header("x-request-id")).isPresent();

            assertThat(invoke(platform, "probe:hold", "{\"hold_ms\":0}").status()).isEqualTo(200);
            assertThat(probe.lastCaller).isEqualTo("spiffe://crank.local/admin/admin");
        }
    }

    @Test
    void rejectsInvalidInputBeforeItReachesAWorkerAndUnknownCapabilities() {
        try (CrankPlatform platform = CrankPlatform.start(dir)) {
            ProbeWorker probe = probe(platform, "crank-probe", 4, "cpu");

            ClientResponse invalid = invoke(platform, "probe:hold", "{\"hold_ms\":\"soon\"}");
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(invalid.json().get("code").asText()).isEqualTo("INVALID_INPUT");
            assertThat(probe.received.get()).as("the worker never saw it").isZero();

            ClientResponse unknown = invoke(platform, "probe:nothing", "{}");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().get("code").asText()).isEqualTo("NO_HEALTHY_WORKER");
        }
    }

    @Test
    void relaysAStreamEventByEventAndABinaryBodyByteForByte() throws Exception {
        try (CrankPlatform platform = CrankPlatform.start(dir)) {
            ProbeWorker probe = probe(platform, "crank-probe", 4, "cpu");
            SSLContext tls = TestTls.forcedClient(platform.pki().adminMaterial("admin"), platform.pki().caCertificate());

            try (RawHttps.Lines lines = RawHttps.open(tls, platform.controller().port(),
                    RawHttps.request("POST", "/invoke/probe/ticks", "application/json", "{}".getBytes(StandardCharsets.UTF_8)))) {
                assertThat(lines.status()).isEqualTo(200);
                probe.tickPermits.release();
                assertThat(nextData(lines)).isEqualTo("data: {\"n\":1}");
                assertThat(probe.ticksProduced.get()).as("the first event arrived before the last was produced").isEqualTo(1);
                probe.tickPermits.release(2);
                assertThat(nextData(lines)).isEqualTo("data: {\"n\":2}");
                assertThat(nextData(lines)).isEqualTo("data: {\"n\":3}");
            }

            ClientResponse blob = platform.post(platform.controllerUrl(), "/invoke/probe/blob", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            assertThat(blob.status()).isEqualTo(200);
            assertThat(blob.header("content-type")).contains("application/octet-stream");
            assertThat(blob.body()).isEqualTo(ProbeWorker.BLOB);
        }
    }

    @Test
    void neverExceedsAWorkersMaxConcurrencyAndAnswers429UnderABurst() throws Exception {
        try (CrankPlatform platform = CrankPlatform.withoutController(dir)) {
            platform.startController(Clock.systemUTC(), ControllerSettings.defaults(dir).withQueueTimeout(Duration.ofMillis(100)));
            ProbeWorker a = probe(platform, "crank-probe-a", 2, "cpu");
            ProbeWorker b = probe(platform, "crank-probe-b", 3, "cpu");
            int burst = 10 * (2 + 3);

            ExecutorService callers = Executors.newFixedThreadPool(burst);
            List<CompletableFuture<ClientResponse>> calls = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> invoke(platform, "probe:hold", "{\"hold_ms\":300}"), callers));
            }
            Map<Integer, Integer> statuses = new HashMap<>();
            for (CompletableFuture<ClientResponse> call : calls) {
                ClientResponse response = call.join();
                statuses.merge(response.status(), 1, Integer::sum);
                if (response.status() == 429) {
                    assertThat(response.header("retry-after")).isPresent();
                    assertThat(response.json().get("code").asText()).isEqualTo("TOO_MANY_REQUESTS");
                }
            }
            callers.shutdown();
            System.out.printf("burst of %d: %s; max in flight seen by a=%d (bound 2), b=%d (bound 3)%n",
                    burst, statuses, a.maxInFlight.get(), b.maxInFlight.get());
            assertThat(a.maxInFlight.get()).isLessThanOrEqualTo(2);
            assertThat(b.maxInFlight.get()).isLessThanOrEqualTo(3);
            assertThat(statuses.get(429)).as("the excess is refused").isPositive();
            assertThat(statuses.get(200)).isGreaterThanOrEqualTo(5);
            assertThat(statuses.keySet()).containsOnly(200, 429);
        }
    }

    @Test
    void prefersTheGpuWorkerAndSpillsToTheCpuWorkerWhenItIsFull() {
        try (CrankPlatform platform = CrankPlatform.start(dir)) {
            ProbeWorker gpu = probe(platform, "crank-probe-gpu", 2, "cuda:0");
            ProbeWorker cpu = probe(platform, "crank-probe-cpu", 2, "cpu");

            for (int i = 0; i < 6; i++) {
                assertThat(invoke(platform, "probe:hold", "{\"hold_ms\":0}").header("x-crank-worker")).contains("crank-probe-gpu");
            }
            List<CompletableFuture<ClientResponse>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                held.add(CompletableFuture.supplyAsync(() -> invoke(platform, "probe:hold", "{\"hold_ms\":1500}")));
            }
            Await.until("the GPU worker is full", CrankPlatform.TIMEOUT, () -> gpu.inFlight.get() == 2);
            assertThat(invoke(platform, "probe:hold", "{\"hold_ms\":0}").header("x-crank-worker")).contains("crank-probe-cpu");
            held.forEach(call -> assertThat(call.join().header("x-crank-worker")).contains("crank-probe-gpu"));
            assertThat(cpu.received.get()).isEqualTo(1);
        }
    }

    @Test
    void noNewRequestReachesAWorkerOnceItsDeregistrationIsAcknowledged() throws Exception {
        try (CrankPlatform platform = CrankPlatform.start(dir)) {
            ProbeWorker staying = probe(platform, "crank-probe-staying", 8, "cpu");
            // The leaving worker is a bare server registered by hand: no heartbeat can register it again.
            AtomicInteger received = new AtomicInteger();
            AtomicInteger receivedAfterAck = new AtomicInteger();
            AtomicBoolean acknowledged = new AtomicBoolean();
            try (CrankServer leaving = CrankServer.builder(platform.pki().workerMaterial("crank-probe-leaving"), request -> {
                received.incrementAndGet();
                if (acknowledged.get()) {
                    receivedAfterAck.incrementAndGet();
                }
                return CrankResponse.json(Map.of("worker", "crank-probe-leaving"));
            }).bindHost("127.0.0.1").build().start()) {
                register(platform, "crank-probe-leaving", leaving.port(), "cpu", staying);
                AtomicBoolean running = new AtomicBoolean(true);
                ExecutorService load = Executors.newFixedThreadPool(6);
                for (int i = 0; i < 6; i++) {
                    load.submit(() -> {
                        while (running.get()) {
                            invoke(platform, "probe:hold", "{\"hold_ms\":1}");
                        }
                    });
                }
                Await.until("load reaches the leaving worker", CrankPlatform.TIMEOUT, () -> received.get() > 20);

                ClientResponse ack = platform.admin().send(new ClientRequest("DELETE",
                        platform.controllerUrl().resolve("/deregister/crank-probe-leaving"), Map.of(), new byte[0], CrankPlatform.TIMEOUT)).join();
                // A request handed to the socket before the acknowledgement may still be in transit: let it land.
                Thread.sleep(200);
                acknowledged.set(true);
                int before = staying.received.get();
                Thread.sleep(1000);
                running.set(false);
                load.shutdown();

                assertThat(ack.status()).isEqualTo(200);
                assertThat(staying.received.get()).as("load kept flowing to the other worker").isGreaterThan(before);
                assertThat(receivedAfterAck.get()).as("requests reaching the worker after its deregistration").isZero();
            }
        }
    }

    @Test
    void retriesUnsentCallsAndIdempotentOnesButReportsANonIdempotentCallThatReachedADyingWorker() throws Exception {
        try (CrankPlatform platform = CrankPlatform.start(dir)) {
            ProbeWorker healthy = probe(platform, "crank-probe-b", 4, "cpu");
            AtomicInteger dyingReceived = new AtomicInteger();
            CrankServer dying = CrankServer.builder(platform.pki().workerMaterial("crank-probe-a"), request -> {
                dyingReceived.incrementAndGet();
                Thread.sleep(10_000);
                return CrankResponse.json(Map.of());
            }).bindHost("127.0.0.1").build().start();
            register(platform, "crank-probe-a", dying.port(), "cuda:0", healthy);

            CompletableFuture<ClientResponse> once = CompletableFuture.supplyAsync(() -> invoke(platform, "probe:once", "{}"));
            Await.until("the non-idempotent call reached the GPU worker", CrankPlatform.TIMEOUT, () -> dyingReceived.get() == 1);
            dying.stop(Duration.ZERO); // killed: connections dropped, no answer, no deregistration

            ClientResponse failed = once.join();
            assertThat(failed.status()).isEqualTo(502);
            assertThat(failed.json().get("code").asText()).isEqualTo("UPSTREAM_FAILED");
            assertThat(healthy.received.get()).as("the non-idempotent call was not repeated").isZero();

            ClientResponse retried = invoke(platform, "probe:hold", "{\"hold_ms\":0}");
            assertThat(retried.status()).isEqualTo(200);
            assertThat(retried.header("x-crank-worker")).as("refused connection, retried elsewhere").contains("crank-probe-b");
            assertThat(dyingReceived.get()).isEqualTo(1);
            JsonNode status = platform.get(platform.controllerUrl(), "/status").json();
            assertThat(status.get("gateway_retries").asLong()).isPositive();
        }
    }

    /** Registers a bare server under {@code id} with the same capabilities as {@code like}. */
    private static void register(CrankPlatform platform, String id, int port, String device, ProbeWorker like) {
        JsonNode capabilities = platform.get(URI.create("https://localhost:" + like.port()), "/capabilities").json();
        ClientResponse registered = platform.postJson(platform.controllerUrl(), "/register",
                "{\"worker_id\":\"" + id + "\",\"worker_url\":\"https://localhost:" + port
                + "\",\"metadata\":{\"device\":\"" + device + "\"},\"capabilities\":" + capabilities + "}");
        assertThat(registered.status()).isEqualTo(200);
    }

    private static String nextData(RawHttps.Lines lines) throws Exception {
        String line;
        while ((line = lines.next()) != null) {
            if (line.startsWith("data:")) {
                return line;
            }
        }
        throw new AssertionError("stream ended");
    }
}
