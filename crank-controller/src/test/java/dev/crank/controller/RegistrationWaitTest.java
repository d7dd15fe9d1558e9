package dev.crank.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.ClientResponse;
import dev.crank.core.CrankClient;
import dev.crank.core.testing.Await;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registration waiting for its store's commit holds no control-plane thread: more registrations than
 * those threads wait side by side while {@code /route} still answers, each is acknowledged only once its
 * write is durable, and a write the store refuses is answered 503 {@code STORE_UNAVAILABLE}.
 */
class RegistrationWaitTest {

    /** More than the controller's control-plane threads (8, {@code WorkerApplication}). */
    private static final int WAITING = 12;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A store whose writes complete when the test says so. */
    private static final class GatedStore implements RegistryStore {
        volatile CompletableFuture<Void> gate = new CompletableFuture<>();
        volatile int handed;
        volatile int written;

        @Override
        public List<Stored> load() {
            return List.of();
        }

        @Override
        public CompletableFuture<Void> write(List<RegistryChange> changes) {
            handed += changes.size(); // one writer thread
            return gate.thenRun(() -> written += changes.size());
        }

        @Override
        public String describe() {
            return "gated test store";
        }

        @Override
        public void close() {}
    }

    @TempDir
    Path dir;

    private final GatedStore store = new GatedStore();
    private LocalController local;
    private ControllerApplication controller;
    private CrankClient admin;

    @BeforeEach
    void start() {
        local = LocalController.start(dir, ControllerSettings.defaults(dir).withStore(store));
        controller = local.application();
        admin = local.admin();
    }

    @AfterEach
    void stop() {
        store.gate.complete(null);
        local.close();
    }

    @Test
    void registrationsWaitingForTheStoreHoldNoThreadAndAreAnsweredOnceDurable() throws Exception {
        List<CompletableFuture<ClientResponse>> answers = new ArrayList<>();
        for (int i = 0; i < WAITING; i++) {
            answers.add(register("crank-w" + i));
        }
        // A batch is with the store, the rest queued behind it: all at once only if no thread waits per registration.
        Await.until("all registrations waiting for the store at once", TIMEOUT,
                () -> store.handed + controller.registry().writerQueue() == WAITING);
        assertThat(answers).noneMatch(CompletableFuture::isDone);
        ClientResponse route = admin.postJson(url("/route"), java.util.Map.of("verb", "greet", "capability", "hello_world"), TIMEOUT).join();
        assertThat(route.status()).as("the control plane answers while registrations wait").isEqualTo(404);
        assertThat(answers).as("nothing acknowledged before it is durable").noneMatch(CompletableFuture::isDone);

        store.gate.complete(null);
        for (CompletableFuture<ClientResponse> answer : answers) {
            ClientResponse response = answer.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
            assertThat(response.json().path("status").asText()).isEqualTo("registered");
        }
        assertThat(store.written).isEqualTo(WAITING);
        assertThat(controller.registry().size()).isEqualTo(WAITING);
    }

    @Test
    void aWriteTheStoreRefusesIsAnswered503AndRegistersNothing() throws Exception {
        store.gate = CompletableFuture.failedFuture(new RegistryStore.StoreUnavailableException("the test store refuses", null));

        ClientResponse refused = register("crank-refused").get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

        assertThat(refused.status()).as(refused.bodyText()).isEqualTo(503);
        assertThat(refused.header("content-type")).contains("application/problem+json");
        assertThat(refused.json().path("code").asText()).isEqualTo("STORE_UNAVAILABLE");
        assertThat(refused.header("retry-after")).isPresent();
        assertThat(controller.registry().worker("crank-refused")).isEmpty();
    }

    private CompletableFuture<ClientResponse> register(String workerId) {
        String body = "{\"worker_id\":\"" + workerId + "\",\"worker_url\":\"https://localhost:8600\","
                + "\"capabilities\":[{\"verb\":\"greet\",\"name\":\"hello_world\",\"version\":\"1.0.0\"}],\"metadata\":{}}";
        return admin.send(new dev.crank.core.ClientRequest("POST", url("/register"), java.util.Map.of("content-type", "application/json"),
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8), TIMEOUT));
    }

    private URI url(String path) {
        return URI.create("https://localhost:" + controller.port() + path);
    }
}
