package dev.crank.testing;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankClient;
import dev.crank.core.RegistrationState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CrankWorkerExtensionTest {

    @Nested
    class WithController {

        @RegisterExtension
        static final CrankWorkerExtension<UpperWorker> crank = CrankWorkerExtension.of(UpperWorker::new)
                .workerId("upper")
                .configure(config -> config.metadata("team", "docs"))
                .withController();

        @Test
        void invokesTheWorkerOverMutualTls() {
            ClientResponse response = crank.invoke("convert:upper", "{\"text\":\"shout\"}");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("text").asText()).isEqualTo("SHOUT");
        }

        @Test
        void badInputIsRejectedByTheFrameworkBeforeTheHandler() {
            ClientResponse response = crank.invoke("convert:upper", "{\"txt\":\"shout\"}");

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().get("code").asText()).isEqualTo("INVALID_INPUT");
        }

        @Test
        void workerIsRegisteredAndRoutableBeforeTheFirstTest() {
            assertThat(crank.worker().registrationState()).isEqualTo(RegistrationState.REGISTERED);

            JsonNode route = crank.route("convert:upper").json();
            assertThat(route.get("worker_id").asText()).isEqualTo("upper");
            assertThat(route.get("worker_url").asText()).isEqualTo(crank.workerUrl().toString());

            JsonNode workers = crank.client().get(crank.controllerUrl().resolve("/workers"), Duration.ofSeconds(5)).join().json();
            assertThat(workers.get("workers").get(0).get("metadata").get("team").asText()).isEqualTo("docs");
        }
    }

    @Nested
    class Standalone {

        @RegisterExtension
        final CrankWorkerExtension<UpperWorker> crank = CrankWorkerExtension.of(UpperWorker::new);

        @Test
        void runsWithoutAController() {
            assertThat(crank.worker().registrationState()).isEqualTo(RegistrationState.STANDALONE);
            assertThat(crank.controller()).isEmpty();
            assertThatThrownBy(crank::controllerUrl).hasMessageContaining("withController()");
            assertThat(crank.get("/health").status()).isEqualTo(200);
        }

        @Test
        void refusesAMalformedCapabilityKey() {
            assertThatThrownBy(() -> crank.invoke("convert/upper", "{}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected: verb:name");
        }
    }

    @Test
    void closeStopsTheWorkerAndDeletesItsPki() {
        CrankWorkerExtension<UpperWorker> crank = CrankWorkerExtension.of(UpperWorker::new).start();
        Path pki = crank.pki().dir();
        CrankClient client = crank.client();
        java.net.URI health = crank.workerUrl().resolve("/health");
        assertThat(client.get(health, Duration.ofSeconds(5)).join().status()).isEqualTo(200);

        crank.close();

        assertThat(Files.exists(pki)).isFalse();
        assertThatThrownBy(crank::worker).hasMessageContaining("not running");
        assertThatThrownBy(() -> client.get(health, Duration.ofSeconds(5)).join()).isInstanceOf(CompletionException.class);
        crank.close();
    }

    @Test
    void aFailingWorkerLeavesNothingBehind() {
        CrankWorkerExtension<UpperWorker> crank = CrankWorkerExtension.of(UpperWorker::new)
                .configure(config -> config.port(-1));

        assertThatThrownBy(crank::start).hasMessageContaining("port: -1");
        assertThatThrownBy(crank::worker).hasMessageContaining("not running");
    }
}
