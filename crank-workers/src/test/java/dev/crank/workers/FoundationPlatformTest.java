package dev.crank.workers;

import static dev.crank.testing.CrankAssertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.controller.ControllerApplication;
import dev.crank.controller.ControllerSettings;
import dev.crank.core.CrankClient;
import dev.crank.core.RegistrationState;
import dev.crank.core.WorkerConfig;
import dev.crank.testing.Await;
import dev.crank.testing.CrankPlatform;
import dev.crank.testing.MutableClock;
import dev.crank.workers.helloworld.HelloWorldWorker;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Foundation issue's "must show" list, over real mTLS on port 0 with the real hello-world worker. */
class FoundationPlatformTest {

    @TempDir
    Path dir;

    @Test
    void helloWorldRegistersRoutesAndGreets() {
        try (CrankPlatform platform = CrankPlatform.start(dir)) {
            HelloWorldWorker worker = platform.worker(HelloWorldWorker.WORKER_ID, HelloWorldWorker::new);
            platform.awaitRegistered(worker);

            JsonNode capabilities = platform.get(platform.controllerUrl(), "/capabilities").json();
            assertThat(capabilities.get("greet:hello_world").get("healthy_workers").asInt()).isEqualTo(1);

            JsonNode route = platform.route("greet", "hello_world").json();
            assertThat(route.get("worker_id").asText()).isEqualTo(HelloWorldWorker.WORKER_ID);
            assertThat(route.get("worker_url").asText()).isEqualTo("https://localhost:" + worker.port());

            ClientResponse greeting = platform.postJson(URI.create(route.get("worker_url").asText()), "/invoke/greet/hello_world",
                    "{\"message\":\"World\",\"options\":{\"uppercase\":true,\"exclamations\":2}}");
            assertThat(greeting.status()).isEqualTo(200);
            assertThat(greeting.json().get("greeting").asText()).isEqualTo("Hello, WORLD!!");

            JsonNode workers = platform.get(platform.controllerUrl(), "/workers").json().get("workers");
            assertThat(workers).hasSize(1);
            assertThat(workers.get(0).get("is_healthy").asBoolean()).isTrue();
            assertThat(workers.get(0).get("capabilities").get(0).asText()).isEqualTo("greet:hello_world");
        }
    }

    @Test
    void workerReRegistersByItselfAfterTheRegistryIsCleared() {
        try (CrankPlatform platform = CrankPlatform.start(dir)) {
            HelloWorldWorker worker = platform.worker(HelloWorldWorker.WORKER_ID, HelloWorldWorker::new);
            platform.awaitRegistered(worker);
            assertThat(worker.registrations()).isEqualTo(1);

            platform.controller().registry().clear();
            assertThat(platform.controller().registry().workers()).isEmpty();

            Await.until("re-registration after a 404 heartbeat", CrankPlatform.TIMEOUT, () -> worker.registrations() == 2);
            platform.awaitRegistered(worker);
            assertThat(platform.route("greet", "hello_world").status()).isEqualTo(200);
        }
    }

    @Test
    void gracefulCloseDeregistersWithinTheShutdownBudget() {
        try (CrankPlatform platform = CrankPlatform.start(dir)) {
            HelloWorldWorker worker = platform.worker(HelloWorldWorker.WORKER_ID, HelloWorldWorker::new);
            platform.awaitRegistered(worker);

            long started = System.nanoTime();
            worker.close();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).isLessThan(worker.config().shutdownTimeout());
            assertThat(worker.registrationState()).isEqualTo(RegistrationState.DEREGISTERED);
            assertThat(platform.controller().registry().worker(HelloWorldWorker.WORKER_ID)).isEmpty();
            assertThat(platform.route("greet", "hello_world")).isProblem(404, "NO_HEALTHY_WORKER");
        }
    }

    @Test
    void standaloneWorkerServesAndNeverDialsOut() throws Exception {
        try (CrankPlatform platform = CrankPlatform.start(dir)) {
            WorkerConfig config = WorkerConfig.builder(HelloWorldWorker.WORKER_ID, platform.pki().workerMaterial(HelloWorldWorker.WORKER_ID))
                    .bindHost("127.0.0.1").heartbeatInterval(CrankPlatform.HEARTBEAT).build();
            HelloWorldWorker worker = platform.start(new HelloWorldWorker(config));

            assertThat(platform.invoke(worker, "greet", "hello_world", "{\"message\":\"solo\"}").status()).isEqualTo(200);
            Thread.sleep(CrankPlatform.HEARTBEAT.multipliedBy(5).toMillis());

            assertThat(worker.registrationState()).isEqualTo(RegistrationState.STANDALONE);
            assertThat(worker.registrations()).isZero();
            assertThat(platform.controller().registry().workers()).isEmpty();
            assertThat(platform.controller().registry().registrations()).isZero();
            assertThat(platform.get(URI.create("https://localhost:" + worker.port()), "/status").json()
                    .get("registration").get("state").asText()).isEqualTo("standalone");
        }
    }

    @Test
    void workerStartedBeforeTheControllerRegistersOnceItComesUpAndServesMeanwhile() throws Exception {
        int controllerPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            controllerPort = probe.getLocalPort();
        }
        try (CrankPlatform platform = CrankPlatform.withoutController(dir)) {
            HelloWorldWorker worker = platform.start(new HelloWorldWorker(platform.config(HelloWorldWorker.WORKER_ID)
                    .controllerUrl(URI.create("https://localhost:" + controllerPort)).build()));
            Thread.sleep(CrankPlatform.HEARTBEAT.multipliedBy(4).toMillis());
            assertThat(worker.registrationState()).isEqualTo(RegistrationState.REGISTERING);
            assertThat(platform.invoke(worker, "greet", "hello_world", "{\"message\":\"meanwhile\"}").status()).isEqualTo(200);

            long up = System.nanoTime();
            platform.startController(Clock.systemUTC(), ControllerSettings.defaults(dir), controllerPort);
            platform.awaitRegistered(worker);
            System.out.printf("registered %d ms after the controller came up (backoff cap %d ms)%n",
                    Duration.ofNanos(System.nanoTime() - up).toMillis(), CrankPlatform.HEARTBEAT.toMillis());
            assertThat(worker.registrations()).isEqualTo(1);
            assertThat(worker.health()).isEqualTo(dev.crank.core.HealthState.HEALTHY);
        }
    }

    @Test
    void silentWorkerStopsBeingRoutableAfterTheExpiryAndIsEvictedLater() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (CrankPlatform platform = CrankPlatform.withoutController(dir)) {
            ControllerApplication controller = platform.startController(clock, ControllerSettings.defaults(dir)
                    .withHeartbeatTimeout(Duration.ofSeconds(90)).withEvictionGrace(Duration.ofSeconds(60)));
            ClientResponse registered = platform.postJson(platform.controllerUrl(), "/register", """
                    {"worker_id":"crank-silent","worker_url":"https://localhost:1",
                     "capabilities":[{"verb":"greet","name":"hello_world","version":"1.0.0"}]}
                    """);
            assertThat(registered.status()).isEqualTo(200);
            assertThat(platform.route("greet", "hello_world").status()).isEqualTo(200);

            clock.advance(Duration.ofSeconds(89));
            assertThat(platform.route("greet", "hello_world").status()).isEqualTo(200);
            clock.advance(Duration.ofSeconds(2));
            assertThat(platform.route("greet", "hello_world").status()).isEqualTo(404);
            JsonNode listed = platform.get(platform.controllerUrl(), "/workers").json().get("workers").get(0);
            assertThat(listed.get("is_healthy").asBoolean()).isFalse();
            assertThat(listed.get("state").asText()).isEqualTo("expired");

            clock.advance(Duration.ofSeconds(60));
            Await.until("eviction by the sweeper", CrankPlatform.TIMEOUT, () -> controller.registry().workers().isEmpty());
            assertThat(controller.registry().evictions()).isEqualTo(1);
        }
    }

    @Test
    void controllerRestartWithItsStateFileNeedsNoReRegistration() {
        try (CrankPlatform platform = CrankPlatform.start(dir)) {
            HelloWorldWorker worker = platform.worker(HelloWorldWorker.WORKER_ID, HelloWorldWorker::new);
            platform.awaitRegistered(worker);
            int port = platform.controller().port();
            platform.controller().close();

            ControllerApplication restarted = platform.startController(Clock.systemUTC(), ControllerSettings.defaults(dir), port);
            assertThat(restarted.registry().workers()).hasSize(1);
            assertThat(restarted.registry().isHealthy(restarted.registry().workers().get(0)))
                    .as("a restored worker waits for its first heartbeat").isFalse();

            platform.awaitRegistered(worker);
            assertThat(platform.route("greet", "hello_world").json().get("worker_id").asText()).isEqualTo(HelloWorldWorker.WORKER_ID);
            assertThat(worker.registrations()).as("zero re-registrations").isEqualTo(1);
            assertThat(restarted.registry().registrations()).isZero();
        }
    }

    @Test
    void oneWorkerCannotActForAnother() {
        try (CrankPlatform platform = CrankPlatform.start(dir);
             CrankClient intruder = CrankClient.builder(platform.pki().workerMaterial("crank-intruder")).build()) {
            HelloWorldWorker worker = platform.worker(HelloWorldWorker.WORKER_ID, HelloWorldWorker::new);
            platform.awaitRegistered(worker);
            URI controller = platform.controllerUrl();

            for (String path : new String[] {"/deregister", "/heartbeat"}) {
                ClientResponse response = intruder.postJson(controller.resolve(path),
                        java.util.Map.of("worker_id", HelloWorldWorker.WORKER_ID), CrankPlatform.TIMEOUT).join();
                assertThat(response.status()).as(path).isEqualTo(403);
                assertThat(response.json().get("code").asText()).isEqualTo("FORBIDDEN");
            }
            ClientResponse delete = intruder.send(new ClientRequest("DELETE",
                    controller.resolve("/deregister/" + HelloWorldWorker.WORKER_ID), java.util.Map.of(), new byte[0], CrankPlatform.TIMEOUT)).join();
            assertThat(delete.status()).isEqualTo(403);
            ClientResponse hijack = intruder.postJson(controller.resolve("/register"), java.util.Map.of(
                    "worker_id", HelloWorldWorker.WORKER_ID, "worker_url", "https://localhost:1",
                    "capabilities", java.util.List.of(java.util.Map.of("verb", "greet", "name", "hello_world", "version", "1.0.0"))),
                    CrankPlatform.TIMEOUT).join();
            assertThat(hijack.status()).isEqualTo(403);

            assertThat(platform.route("greet", "hello_world").json().get("worker_url").asText())
                    .isEqualTo("https://localhost:" + worker.port());
        }
    }

    @Test
    void plainHttpControllerUrlIsRefusedAtStartUp() {
        try (CrankPlatform platform = CrankPlatform.withoutController(dir)) {
            assertThatThrownBy(() -> platform.config(HelloWorldWorker.WORKER_ID).controllerUrl(URI.create("http" + "://localhost:9000")).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("CONTROLLER_URL")
                    .hasMessageContaining("is refused")
                    .hasMessageContaining("https://");
        }
    }
}
