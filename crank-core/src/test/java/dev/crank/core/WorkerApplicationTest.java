package dev.crank.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.testing.Await;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerApplicationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private DevPki pki;
    private EchoWorker worker;
    private CrankClient client;

    @BeforeEach
    void start() {
        pki = DevPki.open(dir.resolve("pki"));
        worker = new EchoWorker(WorkerConfig.builder("crank-echo", pki.workerMaterial("crank-echo"))
                .bindHost("127.0.0.1")
                .limits(ServerLimits.defaults().withMaxContentLength(4096))
                .build());
        worker.start();
        client = CrankClient.builder(pki.adminMaterial("admin")).build();
    }

    @AfterEach
    void stop() {
        worker.gate.countDown();
        worker.close();
        client.close();
    }

    @Test
    void startsOnAnEphemeralPortAndServesCoreEndpoints() {
        assertThat(worker.port()).isPositive();

        ClientResponse health = get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("healthy");

        JsonNode status = get("/status").json();
        assertThat(status.get("worker_id").asText()).isEqualTo("crank-echo");
        assertThat(status.get("registration").get("state").asText()).isEqualTo("standalone");
        assertThat(status.get("capabilities")).hasSize(2);

        JsonNode capabilities = get("/capabilities").json();
        assertThat(capabilities).hasSize(2);
        assertThat(capabilities.get(0).get("verb").asText()).isEqualTo("echo");
        assertThat(capabilities.get(1).get("max_concurrency").asInt()).isEqualTo(2);
    }

    @Test
    void handlersRunOnAnInjectedExecutorWhichTheWorkerLeavesRunning() throws Exception {
        java.util.concurrent.atomic.AtomicInteger tasks = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ThreadPoolExecutor executor = new java.util.concurrent.ThreadPoolExecutor(4, 4, 1,
                java.util.concurrent.TimeUnit.MINUTES, new java.util.concurrent.LinkedBlockingQueue<>()) {
            @Override
            protected void beforeExecute(Thread thread, Runnable task) {
                tasks.incrementAndGet();
            }
        };
        EchoWorker injected = new EchoWorker(WorkerConfig.builder("crank-echo", pki.workerMaterial("crank-echo"))
                .bindHost("127.0.0.1").handlerExecutor(executor).build());
        try {
            injected.start();
            ClientResponse response = client.postJson(URI.create("https://localhost:" + injected.port() + "/invoke/echo/text"),
                    CrankJson.object().put("text", "x"), TIMEOUT).join();
            assertThat(response.status()).isEqualTo(200);
            assertThat(tasks.get()).as("the handler ran on the injected executor").isPositive();
        } finally {
            injected.close();
        }
        assertThat(executor.isShutdown()).as("the caller's executor stays the caller's").isFalse();
        executor.shutdownNow();
    }

    @Test
    void invokesACapabilityWithTheCallersIdentity() {
        ClientResponse response = post("/invoke/echo/text", "{\"text\":\"ab\",\"times\":2}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("text").asText()).isEqualTo("abab");
        assertThat(response.json().get("peer").asText()).isEqualTo("spiffe://crank.local/admin/admin");
    }

    @Test
    void acceptsDeclaredRawMediaTypesAndRefusesOthers() {
        ClientResponse raw = send("POST", "/invoke/echo/text", "text/plain", "plain words");
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.json().get("text").asText()).isEqualTo("plain words");

        ClientResponse unsupported = send("POST", "/invoke/echo/text", "application/xml", "<a/>");
        assertProblem(unsupported, 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void validatesInputAgainstTheSchemaBeforeTheHandlerRuns() {
        ClientResponse wrongType = post("/invoke/echo/text", "{\"text\":42}");
        assertProblem(wrongType, 400, "INVALID_INPUT");
        assertThat(wrongType.json().get("errors").toString()).contains("/text");

        assertProblem(post("/invoke/echo/text", "{}"), 400, "INVALID_INPUT");
        assertProblem(post("/invoke/echo/text", "{\"text\":\"a\",\"extra\":1}"), 400, "INVALID_INPUT");
        assertProblem(post("/invoke/echo/text", "{\"text\":\"a\",\"times\":9}"), 400, "INVALID_INPUT");
        assertProblem(post("/invoke/echo/text", "{\"text\":"), 400, "MALFORMED_JSON");
        assertProblem(post("/invoke/echo/text", ""), 400, "EMPTY_BODY");
        assertProblem(post("/invoke/echo/text", "[".repeat(1000)), 400, "MALFORMED_JSON");
        ClientResponse invalidUtf8 = client.send(new ClientRequest("POST", uri("/invoke/echo/text"),
                Map.of("content-type", "application/json"), new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, '"', '}'}, TIMEOUT)).join();
        assertProblem(invalidUtf8, 400, "INVALID_UTF8");
    }

    @Test
    void answersUnknownPathsWrongMethodsAndOversizedBodiesWithProblems() {
        assertProblem(get("/nowhere"), 404, "NOT_FOUND");

        ClientResponse wrongMethod = send("DELETE", "/health", "application/json", "");
        assertProblem(wrongMethod, 405, "METHOD_NOT_ALLOWED");
        assertThat(wrongMethod.header("allow")).contains("GET");

        ClientResponse tooLarge = post("/invoke/echo/text", "{\"text\":\"" + "a".repeat(5000) + "\"}");
        assertProblem(tooLarge, 413, "PAYLOAD_TOO_LARGE");

        assertThat(get("/health").status()).as("the server keeps serving").isEqualTo(200);
    }

    @Test
    void bindsPathParameters() {
        assertThat(get("/items/abc-1").json().get("id").asText()).isEqualTo("abc-1");
    }

    @Test
    void rejectsCallsBeyondMaxConcurrencyWithRetryAfter() {
        List<CompletableFuture<ClientResponse>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(client.postJson(uri("/invoke/wait/gate"), Map.of(), TIMEOUT));
        }
        Await.until("two calls inside the handler", TIMEOUT, () -> worker.waiting.get() == 2);
        assertThat(worker.inFlight("wait:gate")).isEqualTo(2);

        ClientResponse rejected = post("/invoke/wait/gate", "{}");
        assertProblem(rejected, 429, "TOO_MANY_REQUESTS");
        assertThat(rejected.header("retry-after")).contains("1");

        worker.gate.countDown();
        held.forEach(call -> assertThat(call.join().status()).isEqualTo(200));
        assertThat(worker.inFlight("wait:gate")).isZero();
    }

    @Test
    void gracefulCloseReportsDrainingAndFinishesInFlightCalls() throws Exception {
        CompletableFuture<ClientResponse> inFlight = client.postJson(uri("/invoke/wait/gate"), Map.of(), TIMEOUT);
        Await.until("the call is in the handler", TIMEOUT, () -> worker.waiting.get() == 1);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(worker::close);
        Await.until("draining", TIMEOUT, () -> worker.health() == HealthState.DRAINING);
        worker.gate.countDown();

        assertThat(inFlight.join().status()).isEqualTo(200);
        closing.get();
        assertThat(worker.health()).isEqualTo(HealthState.STOPPED);
        worker.close(); // idempotent
    }

    private ClientResponse get(String path) {
        return client.get(uri(path), TIMEOUT).join();
    }

    private ClientResponse post(String path, String json) {
        return send("POST", path, "application/json", json);
    }

    private ClientResponse send(String method, String path, String contentType, String body) {
        return client.send(new ClientRequest(method, uri(path), Map.of("content-type", contentType),
                body.getBytes(StandardCharsets.UTF_8), TIMEOUT)).join();
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + worker.port() + path);
    }

    static void assertProblem(ClientResponse response, int status, String code) {
        assertThat(response.status()).as(response.bodyText()).isEqualTo(status);
        assertThat(response.header("content-type")).contains("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("code").asText()).isEqualTo(code);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
    }
}
