package dev.crank.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.testing.Await;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Control-plane paths run on threads of their own: with every handler thread taken they still answer. */
class ControlPlaneTest {

    @TempDir
    Path dir;

    @Test
    void controlPlanePathsAnswerWhileEveryHandlerThreadIsTaken() throws Exception {
        DevPki pki = DevPki.open(dir.resolve("pki"));
        Semaphore gate = new Semaphore(0);
        AtomicInteger slow = new AtomicInteger();
        ServerLimits twoThreads = new ServerLimits(ServerLimits.DEFAULT_MAX_CONTENT_LENGTH, 8192, 16384, Duration.ofSeconds(60),
                Duration.ofSeconds(10), 2, ServerLimits.DEFAULT_REQUEST_HEAD_TIMEOUT, 100, 100, 16);
        try (CrankServer server = CrankServer.builder(pki.workerMaterial("crank-control-test"), request -> {
                    if (request.path().equals("/slow")) {
                        slow.incrementAndGet();
                        gate.tryAcquire(30, TimeUnit.SECONDS);
                    }
                    return CrankResponse.json(Map.of("thread", Thread.currentThread().getName()));
                }).name("cp").bindHost("127.0.0.1").limits(twoThreads).controlPlane(Set.of("/health", "/deregister"), 2).build().start();
             CrankClient client = CrankClient.builder(pki.adminMaterial("admin")).build()) {
            URI base = URI.create("https://localhost:" + server.port());
            List<CompletableFuture<ClientResponse>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                held.add(client.get(base.resolve("/slow"), Duration.ofSeconds(30)));
            }
            Await.until("both handler threads are taken", Duration.ofSeconds(30), () -> slow.get() == 2);

            ClientResponse busy = client.get(base.resolve("/other"), Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
            assertThat(busy.status()).as("the data plane is saturated").isEqualTo(503);
            assertThat(busy.json().get("code").asText()).isEqualTo("SERVER_BUSY");
            for (String path : List.of("/health", "/deregister/crank-x")) {
                ClientResponse answer = client.get(base.resolve(path), Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
                assertThat(answer.status()).as(path).isEqualTo(200);
                assertThat(answer.json().get("thread").asText()).as(path).startsWith("cp-control");
            }
            ClientResponse prefixOnly = client.get(base.resolve("/healthz"), Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
            assertThat(prefixOnly.status()).as("/healthz is not /health").isEqualTo(503);

            gate.release(2);
            held.forEach(call -> assertThat(call.join().json().get("thread").asText()).startsWith("cp-handler"));
        }
    }
}
