package dev.crank.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.DevPki;
import dev.crank.testing.Await;
import dev.crank.core.testing.RawHttps;
import dev.crank.core.testing.TestTls;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
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
    void sigtermFinishesInFlightWorkDeregistersAndExitsZeroWithinTheBudget() throws Exception {
        try (PlatformProcesses platform = new PlatformProcesses(dir)) {
            platform.awaitHealthy(platform.startController());
            PlatformProcesses.Node worker = platform.startWorker("streaming");
            platform.awaitRegistered("crank-streaming");
            DevPki pki = DevPki.open(dir.resolve("data").resolve("pki"));
            SSLContext tls = TestTls.forcedClient(pki.adminMaterial("admin"), pki.caCertificate());
            byte[] request = RawHttps.request("POST", "/invoke/stream/text_events", "application/json",
                    "{\"content\":\"one two three four five\",\"chunk_size\":1,\"interval_ms\":400}".getBytes(StandardCharsets.UTF_8));

            try (RawHttps.Lines stream = RawHttps.open(tls, worker.port, request)) {
                assertThat(nextEvent(stream)).isEqualTo("event: chunk");
                long signalled = System.nanoTime();
                new ProcessBuilder("kill", "-TERM", Long.toString(worker.process.pid())).start().waitFor();
                List<String> rest = new ArrayList<>();
                String event;
                while ((event = nextEvent(stream)) != null) {
                    rest.add(event);
                }
                assertThat(rest).as("the in-flight stream finished").containsExactly(
                        "event: chunk", "event: chunk", "event: chunk", "event: chunk", "event: done");
                assertThat(worker.process.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s").isTrue();
                System.out.printf("[e2e] SIGTERM during a stream -> stream finished, exit %d after %.2f s%n",
                        worker.process.exitValue(), seconds(signalled));
            }

            assertThat(worker.process.exitValue()).isZero();
            assertThat(worker.logTail()).contains("Deregistered crank-streaming");
            assertThat(platform.call("POST", platform.controllerUrl().resolve("/route"),
                    "{\"verb\":\"stream\",\"capability\":\"text_events\"}").map(r -> r.status()).orElse(-1)).isEqualTo(404);
            assertThat(platform.workers()).isEmpty();
        }
    }

    private static String nextEvent(RawHttps.Lines stream) throws java.io.IOException {
        String line;
        while ((line = stream.next()) != null) {
            if (line.startsWith("event:")) {
                return line;
            }
        }
        return null;
    }

    @Test
    void controllerKilledAndRestartedOnItsStateFileNeedsNoReRegistration() throws Exception {
        try (PlatformProcesses platform = new PlatformProcesses(dir)) {
            PlatformProcesses.Node controller = platform.startController();
            platform.awaitHealthy(controller);
            PlatformProcesses.Node worker = platform.startWorker("hello-world");
            platform.awaitRegistered(HELLO);

            platform.kill9(controller);
            assertThat(platform.storedWorkerIds()).contains(HELLO);
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
    void controllerKilledDuringARegistrationBurstKeepsEveryAcknowledgedRegistration() throws Exception {
        try (PlatformProcesses platform = new PlatformProcesses(dir)) {
            PlatformProcesses.Node controller = platform.startController();
            platform.awaitHealthy(controller);
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService senders = Executors.newFixedThreadPool(16);
            for (int t = 0; t < 16; t++) {
                int sender = t;
                senders.submit(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        String id = "burst-" + sender + "-" + n;
                        String body = "{\"worker_id\":\"" + id + "\",\"worker_url\":\"https://localhost:8600\",\"capabilities\":"
                                + "[{\"verb\":\"greet\",\"name\":\"burst\",\"version\":\"1.0.0\"}]}";
                        Optional<ClientResponse> answer = platform.call("POST", platform.controllerUrl().resolve("/register"), body);
                        if (answer.isEmpty()) {
                            return;
                        }
                        if (answer.get().status() == 200) {
                            acknowledged.add(id);
                        }
                    }
                });
            }
            Await.until("200 registrations acknowledged", PlatformProcesses.TIMEOUT, () -> acknowledged.size() >= 200);
            platform.kill9(controller);
            stop.set(true);
            senders.shutdown();
            assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            Set<String> answered = Set.copyOf(acknowledged);

            PlatformProcesses.Node restarted = platform.startController();
            platform.awaitHealthy(restarted);
            List<String> restored = platform.allWorkerIds();
            System.out.printf("[e2e] kill -9 during a burst of registrations: %d acknowledged, %d restored%n", answered.size(), restored.size());
            assertThat(restored).containsAll(answered);
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
            platform.deleteState();
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
