package dev.crank.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.DevPki;
import dev.crank.core.RegistrationState;
import dev.crank.core.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real worker against the scripted controller: what it sends, and how it reacts to scripted answers. */
class ScriptedControllerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aWorkerRetriesRegistrationRegistersAgainAfterA404AndDeregistersOnClose() {
        DevPki pki = DevPki.open(dir.resolve("pki"));
        try (ScriptedController controller = ScriptedController.start(pki)) {
            controller.enqueue("/register", 503, "{\"code\":\"STORE_UNAVAILABLE\"}")
                    .enqueue("/heartbeat", 404, "{\"status\":\"unknown_worker\",\"code\":\"UNKNOWN_WORKER\"}");
            UpperWorker worker = new UpperWorker(WorkerConfig.builder("crank-upper", pki.workerMaterial("crank-upper"))
                    .bindHost("127.0.0.1").controllerUrl(controller.url()).dataDir(dir.resolve("worker"))
                    .heartbeatInterval(Duration.ofMillis(200)).registrationTimeout(Duration.ofSeconds(2)).build());
            try (worker) {
                worker.start();
                ScriptedController.Recorded refused = controller.takeRequest(WAIT);
                assertThat(refused.path()).isEqualTo("/register");
                assertThat(refused.peer()).hasValueSatisfying(peer -> assertThat(peer.workerId()).hasValue("crank-upper"));
                assertThat(refused.json().get("worker_id").asText()).isEqualTo("crank-upper");
                assertThat(refused.json().get("capabilities").get(0).get("name").asText()).isEqualTo("upper");

                assertThat(controller.takeRequest(WAIT).path()).as("retried after the 503").isEqualTo("/register");
                assertThat(controller.takeRequest(WAIT).path()).isEqualTo("/heartbeat");
                assertThat(controller.takeRequest(WAIT).path()).as("registers again after the 404").isEqualTo("/register");
                ScriptedController.Recorded heartbeat = controller.takeRequest("/heartbeat", WAIT);
                assertThat(heartbeat.json().has("load")).isTrue();
                Await.until("registered", WAIT, () -> worker.registrationState() == RegistrationState.REGISTERED);
            }
            ScriptedController.Recorded deregistration = controller.takeRequest("/deregister", WAIT);
            assertThat(deregistration.json().get("worker_id").asText()).isEqualTo("crank-upper");
            assertThat(worker.registrationState()).isEqualTo(RegistrationState.DEREGISTERED);
        }
    }

    @Test
    void unscriptedPathsGetAWellBehavedControllersAnswer() {
        DevPki pki = DevPki.open(dir.resolve("pki"));
        try (ScriptedController controller = ScriptedController.start(pki);
             dev.crank.core.CrankClient client = dev.crank.core.CrankClient.builder(pki.workerMaterial("crank-w")).build()) {
            List<Integer> statuses = List.of(
                    client.postJson(controller.url().resolve("/register"), java.util.Map.of("worker_id", "crank-w"), WAIT).join().status(),
                    client.postJson(controller.url().resolve("/elsewhere"), java.util.Map.of(), WAIT).join().status());
            assertThat(statuses).containsExactly(200, 404);
            assertThat(controller.requestCount()).isEqualTo(2);
        }
    }
}
