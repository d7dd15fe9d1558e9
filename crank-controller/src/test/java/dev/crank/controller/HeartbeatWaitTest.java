package dev.crank.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.ClientResponse;
import dev.crank.core.CrankClient;
import dev.crank.core.CrankJson;
import dev.crank.core.DevPki;
import dev.crank.core.testing.Await;
import dev.crank.core.testing.EtcdCluster;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A heartbeat waiting for etcd to renew its worker's lease, and a deregistration waiting for its commit,
 * hold no control-plane thread: with the etcd member frozen (SIGSTOP), more of them than those threads
 * wait side by side while {@code /route} and {@code /health} still answer, and each is answered once etcd
 * did its part. A renewal that etcd does not answer within the deadline, or refuses, is answered 503
 * {@code STORE_UNAVAILABLE} and counted as an unrenewed heartbeat.
 */
class HeartbeatWaitTest {

    /** More than the controller's control-plane threads (8, {@code WorkerApplication}). */
    private static final int WAITING = 12;
    private static final int LEAVING = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private static EtcdCluster etcd;
    private static int controllers;

    private LocalController local;
    private ControllerApplication controller;
    private CrankClient admin;

    @BeforeAll
    static void startEtcd() {
        EtcdCluster.assumeInstalled();
        etcd = EtcdCluster.start(dir.resolve("etcd"), DevPki.open(dir.resolve("pki")), 1);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @AfterEach
    void stop() {
        if (local != null) {
            local.close();
        }
    }

    /** A controller on the etcd member whose calls to etcd have {@code callTimeout} (the registry's own deadline is 10 s). */
    private void start(Duration callTimeout) {
        int n = ++controllers;
        EtcdSettings settings = EtcdSettings.of(etcd.clientUrls(), DevPki.open(dir.resolve("pki")).controllerMaterial())
                .withPrefix("/crank/heartbeat-" + n + "/").withCallTimeout(callTimeout);
        Duration heartbeatTimeout = Duration.ofSeconds(60);
        local = LocalController.start(dir, ControllerSettings.defaults(dir.resolve("data-" + n)).withHeartbeatTimeout(heartbeatTimeout)
                .withStore(new EtcdRegistryStore(settings, heartbeatTimeout)));
        controller = local.application();
        admin = local.admin();
    }

    @Test
    void heartbeatsAndDeregistrationsWaitingForEtcdHoldNoThreadAndAreAnsweredOnceItAnswers() throws Exception {
        start(TIMEOUT);
        for (int i = 0; i < WAITING + LEAVING; i++) {
            register("crank-w" + i);
        }
        List<CompletableFuture<ClientResponse>> heartbeats = new ArrayList<>();
        List<CompletableFuture<ClientResponse>> deregistrations = new ArrayList<>();
        etcd.freeze(0);
        try {
            for (int i = 0; i < WAITING; i++) {
                heartbeats.add(post("/heartbeat", Map.of("worker_id", "crank-w" + i)));
            }
            for (int i = WAITING; i < WAITING + LEAVING; i++) {
                deregistrations.add(post("/deregister", Map.of("worker_id", "crank-w" + i)));
            }
            // All at once only if no thread waits per heartbeat.
            Await.until("all heartbeats waiting for etcd at once", TIMEOUT, () -> controller.registry().renewing() == WAITING);
            ClientResponse route = post("/route", Map.of("verb", "greet", "capability", "hello_world")).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(route.status()).as("/route answers from the local view while etcd is frozen: " + route.bodyText()).isEqualTo(200);
            ClientResponse health = admin.get(url("/health"), TIMEOUT).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(health.status()).as(health.bodyText()).isEqualTo(200);
            assertThat(heartbeats).as("nothing acknowledged before etcd renewed it").noneMatch(CompletableFuture::isDone);
            assertThat(deregistrations).as("nothing acknowledged before etcd committed it").noneMatch(CompletableFuture::isDone);
        } finally {
            etcd.thaw(0);
        }

        for (CompletableFuture<ClientResponse> heartbeat : heartbeats) {
            ClientResponse response = heartbeat.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
            assertThat(response.json().path("acknowledged").asBoolean()).isTrue();
        }
        for (CompletableFuture<ClientResponse> deregistration : deregistrations) {
            ClientResponse response = deregistration.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
            assertThat(response.json().path("status").asText()).isEqualTo("deregistered");
        }
        assertThat(controller.registry().size()).isEqualTo(WAITING);
        assertThat(controller.registry().renewing()).isZero();
        assertThat(controller.registry().unrenewedHeartbeats()).isZero();
    }

    @Test
    void aRenewalEtcdDoesNotAnswerInTimeIsAnswered503AndCounted() throws Exception {
        start(Duration.ofSeconds(1));
        assertUnrenewed("crank-late", () -> etcd.freeze(0), () -> etcd.thaw(0));
        ClientResponse unknown = post("/heartbeat", Map.of("worker_id", "crank-never-registered")).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(unknown.status()).as("an unknown worker is told to register again: " + unknown.bodyText()).isEqualTo(404);
        assertThat(unknown.json().path("code").asText()).isEqualTo("UNKNOWN_WORKER");
    }

    @Test
    void aRenewalEtcdRefusesIsAnswered503AndTheNextOneAfterItReturns200() throws Exception {
        start(Duration.ofSeconds(5));
        assertUnrenewed("crank-refused", () -> etcd.kill(0), () -> etcd.restart(0));
        Await.until("a heartbeat renews the lease again once etcd is back", TIMEOUT,
                () -> post("/heartbeat", Map.of("worker_id", "crank-refused")).join().status() == 200);
    }

    /** Registers {@code workerId}, sends one heartbeat after {@code fault} and before {@code repair}: 503, counted. */
    private void assertUnrenewed(String workerId, Runnable fault, Runnable repair) throws Exception {
        register(workerId);
        fault.run();
        ClientResponse response;
        try {
            response = post("/heartbeat", Map.of("worker_id", workerId)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            repair.run();
        }
        assertUnavailable(response);
        assertThat(controller.registry().unrenewedHeartbeats()).isEqualTo(1);
    }

    private static void assertUnavailable(ClientResponse response) {
        assertThat(response.status()).as(response.bodyText()).isEqualTo(503);
        assertThat(response.header("content-type")).contains("application/problem+json");
        assertThat(response.json().path("code").asText()).isEqualTo("STORE_UNAVAILABLE");
        assertThat(response.header("retry-after")).isPresent();
    }

    private void register(String workerId) {
        controller.registry().register(workerId, URI.create("https://localhost:8600"),
                List.of(CapabilitySchema.builder("greet", "hello_world").version("1.0.0").build()), CrankJson.object());
    }

    private CompletableFuture<ClientResponse> post(String path, Object body) {
        return admin.postJson(url(path), body, TIMEOUT);
    }

    private URI url(String path) {
        return URI.create("https://localhost:" + controller.port() + path);
    }
}
