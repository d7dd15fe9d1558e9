package dev.crank.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures of real processes: kill -9 of a worker and of the controller, SIGTERM, start order, and
 * standalone mode. Prints the measured timings so runs can be compared.
 */
class PlatformLifecycleIT {

    private static final String HELLO = "crank-hello-world";

    @TempDir
    Path dir;

    @Test
    void killedWorkerIsNoLongerRoutedWithinTheExpiry() throws Exception {
        try (PlatformProcesses platform = new PlatformProcesses(dir)) {
            platform.awaitHealthy(platform.startController());
            long started = System.nanoTime();
            PlatformProcesses.Node worker = platform.startWorker("hello-world");
            platform.awaitRegistered(HELLO);
            System.out.printf("[e2e] start-up to registered (hello-world process): %.2f s%n", seconds(started));

            platform.kill9(worker);
            long killed = System.nanoTime();
            Await.until("route stops naming the killed worker", PlatformProcesses.TIMEOUT, () -> route(platform) == 404);
            double took = seconds(killed);
            System.out.printf("[e2e] kill -9 of a worker -> not routed after %.2f s (expiry %d s)%n", took, PlatformProcesses.EXPIRY.toSeconds());
            assertThat(took).isLessThanOrEqualTo(PlatformProcesses.EXPIRY.toSeconds() + 1.5);
        }
    }

    @Test
    void sigtermDeregistersAndExitsZeroWithinTheBudget() throws Exception {
        try (PlatformProcesses platform = new PlatformProcesses(dir)) {
            platform.awaitHealthy(platform.startController());
            PlatformProcesses.Node worker = platform.startWorker("hello-world");
            platform.awaitRegistered(HELLO);

            long signalled = System.nanoTime();
            int exit = platform.terminate(worker, Duration.ofSeconds(10));
            System.out.printf("[e2e] SIGTERM -> exit %d after %.2f s%n", exit, seconds(signalled));

            assertThat(exit).isZero();
            assertThat(worker.logTail()).contains("Deregistered crank-hello-world");
            assertThat(route(platform)).isEqualTo(404);
            assertThat(platform.workers()).isEmpty();
        }
    }

    @Test
    void controllerKilledAndRestartedOnItsStateFileNeedsNoReRegistration() throws Exception {
        try (PlatformProcesses platform = new PlatformProcesses(dir)) {
            PlatformProcesses.Node controller = platform.startController();
            platform.awaitHealthy(controller);
            PlatformProcesses.Node worker = platform.startWorker("hello-world");
            platform.awaitRegistered(HELLO);

            platform.kill9(controller);
            assertThat(Files.readString(platform.stateFile())).contains(HELLO);
            PlatformProcesses.Node restarted = platform.startController();
            platform.awaitHealthy(restarted);
            long up = System.nanoTime();
            platform.awaitRegistered(HELLO);
            double took = seconds(up);
            System.out.printf("[e2e] controller kill -9 + restart with state file -> routable again after %.2f s (heartbeat %d ms)%n",
                    took, PlatformProcesses.HEARTBEAT.toMillis());

            JsonNode status = platform.get(worker.url().resolve("/status")).json();
            assertThat(status.get("registration").get("registrations").asLong()).as("zero re-registrations").isEqualTo(1);
            assertThat(took).isLessThanOrEqualTo(PlatformProcesses.HEARTBEAT.toMillis() * 1.1 / 1000 + 1.0);
        }
    }

    @Test
    void controllerRestartedWithoutItsStateFileGetsEveryWorkerBackThroughThe404Path() throws Exception {
        try (PlatformProcesses platform = new PlatformProcesses(dir)) {
            PlatformProcesses.Node controller = platform.startController();
            platform.awaitHealthy(controller);
            PlatformProcesses.Node worker = platform.startWorker("hello-world");
            platform.awaitRegistered(HELLO);

            platform.kill9(controller);
            Files.delete(platform.stateFile());
            PlatformProcesses.Node restarted = platform.startController();
            platform.awaitHealthy(restarted);
            long up = System.nanoTime();
            platform.awaitRegistered(HELLO);
            double took = seconds(up);
            System.out.printf("[e2e] controller restart without state -> re-registered after %.2f s%n", took);

            JsonNode status = platform.get(worker.url().resolve("/status")).json();
            assertThat(status.get("registration").get("registrations").asLong()).as("one re-registration").isEqualTo(2);
            assertThat(worker.logTail()).contains("no longer knows crank-hello-world");
            assertThat(took).isLessThanOrEqualTo(PlatformProcesses.HEARTBEAT.toMillis() * 1.1 / 1000 + 1.0);
        }
    }

    @Test
    void workersStartedBeforeTheControllerRegisterAndAWorkerWithoutControllerRunsStandalone() throws Exception {
        try (PlatformProcesses platform = new PlatformProcesses(dir)) {
            PlatformProcesses.Node early = platform.startWorker("hello-world");
            platform.awaitHealthy(early);
            PlatformProcesses.Node standalone = platform.startWorker("hello-world", Map.of("CONTROLLER_URL", ""));
            platform.awaitHealthy(standalone);

            platform.awaitHealthy(platform.startController());
            long up = System.nanoTime();
            platform.awaitRegistered(HELLO);
            System.out.printf("[e2e] worker started first -> registered %.2f s after the controller came up%n", seconds(up));

            JsonNode status = platform.get(standalone.url().resolve("/status")).json();
            assertThat(status.get("registration").get("state").asText()).isEqualTo("standalone");
            assertThat(platform.postJson(standalone.url().resolve("/invoke/greet/hello_world"), "{\"message\":\"solo\"}").status())
                    .isEqualTo(200);
            assertThat(platform.workers()).hasSize(1);
            assertThat(platform.workers().get(0).get("worker_url").asText()).isEqualTo(early.url().toString());
        }
    }

    private static int route(PlatformProcesses platform) {
        return platform.call("POST", platform.controllerUrl().resolve("/route"), "{\"verb\":\"greet\",\"capability\":\"hello_world\"}")
                .map(response -> response.status()).orElse(-1);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
