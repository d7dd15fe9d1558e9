package dev.crank.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.ClientRequest;
import dev.crank.core.ClientResponse;
import dev.crank.core.CrankClient;
import dev.crank.core.CrankResponse;
import dev.crank.core.CrankServer;
import dev.crank.core.DevPki;
import dev.crank.core.WorkerConfig;
import dev.crank.core.testing.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's upstream pools (one per event loop and worker address) go when their worker leaves the registry. */
class GatewayUpstreamPoolsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aWorkerThatDeregistersTakesItsUpstreamPoolsWithIt() throws Exception {
        DevPki pki = DevPki.open(dir.resolve("pki"));
        ControllerApplication controller = new ControllerApplication(WorkerConfig.builder(ControllerApplication.CONTROLLER_ID,
                pki.controllerMaterial()).bindHost("127.0.0.1").port(0).dataDir(dir.resolve("controller")).build(),
                ControllerSettings.defaults(dir.resolve("controller")));
        controller.start();
        SimpleMeterRegistry workerMeters = new SimpleMeterRegistry();
        // A worker that stays up (its keep-alive connections stay open) while it leaves the registry.
        try (controller;
             CrankServer worker = CrankServer.builder(pki.workerMaterial("crank-leaving"), request -> CrankResponse.json(Map.of("ok", true)))
                     .name("crank-leaving").bindHost("127.0.0.1").meters(workerMeters).build().start();
             CrankClient admin = CrankClient.builder(pki.adminMaterial("admin")).build()) {
            URI controllerUrl = URI.create("https://localhost:" + controller.port());
            String capability = CapabilitySchema.builder("leave", "call").version("1.0.0").maxConcurrency(4)
                    .inputSchema("{\"type\":\"object\"}").build().toJson().toString();
            ClientResponse registered = post(admin, controllerUrl.resolve("/register"), "{\"worker_id\":\"crank-leaving\","
                    + "\"worker_url\":\"https://localhost:" + worker.port() + "\",\"capabilities\":[" + capability + "]}");
            assertThat(registered.status()).as(registered.bodyText()).isEqualTo(200);

            ClientResponse answer = post(admin, controllerUrl.resolve("/invoke/leave/call"), "{}");
            assertThat(answer.status()).as(answer.bodyText()).isEqualTo(200);
            Gateway gateway = controller.gateway();
            assertThat(gateway.upstream.pools("localhost", worker.port())).as("the call opened a pool").isEqualTo(1);
            assertThat(gateway.upstream.connections("localhost", worker.port())).as("its connection is kept for the next call").isEqualTo(1);
            assertThat(workerMeters.get("crank.http.connections.open").gauge().value()).isEqualTo(1);

            ClientResponse left = admin.send(new ClientRequest("DELETE", controllerUrl.resolve("/deregister/crank-leaving"), Map.of(),
                    new byte[0], TIMEOUT)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(left.status()).as(left.bodyText()).isLessThan(300);

            Await.until("the pool of the departed worker is dropped", TIMEOUT,
                    () -> gateway.upstream.pools("localhost", worker.port()) == 0);
            // The worker's own count: the connection is really closed, not just forgotten by the pool.
            Await.until("its idle connection is closed", TIMEOUT,
                    () -> workerMeters.get("crank.http.connections.open").gauge().value() == 0);
        }
    }

    private static ClientResponse post(CrankClient client, URI url, String json) throws Exception {
        return client.send(new ClientRequest("POST", url, Map.of("content-type", "application/json"),
                json.getBytes(StandardCharsets.UTF_8), TIMEOUT)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
