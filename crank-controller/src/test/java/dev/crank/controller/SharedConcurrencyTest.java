package dev.crank.controller;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankClient;
import dev.crank.core.CrankJson;
import dev.crank.core.CrankResponse;
import dev.crank.core.DevPki;
import dev.crank.core.Routes;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three controllers on one etcd share a worker's {@code max_concurrency}: each admits its share, so a
 * burst through all three gateways never takes the worker past its bound and the worker never has to
 * answer 429 itself.
 */
class SharedConcurrencyTest {

    private static final int BOUND = 6;
    private static final int CONTROLLERS = 3;

    @TempDir
    Path dir;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    /** A worker whose one capability takes a while and counts how many calls it runs at once. */
    static final class SlowWorker extends WorkerApplication {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        SlowWorker(WorkerConfig config) {
            super(config);
        }

        @Override
        protected List<CapabilitySchema> capabilities() {
            return List.of(CapabilitySchema.builder("slow", "call").version("1.0.0").maxConcurrency(BOUND).build());
        }

        @Override
        protected void configure(Routes routes) {
            routes.capability("slow:call", request -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(150);
                } finally {
                    running.decrementAndGet();
                }
                return CrankResponse.json(CrankJson.object().put("done", true));
            });
        }

        double rejected() {
            return meters().find("crank.capability.rejected").counters().stream().mapToDouble(c -> c.count()).sum();
        }
    }

    @Test
    void aBurstThroughThreeGatewaysStaysWithinTheWorkersBound() throws Exception {
        EtcdCluster.assumeInstalled();
        DevPki pki = DevPki.open(dir.resolve("pki"));
        EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), pki, 1);
        opened.add(etcd);
        List<ControllerApplication> controllers = new ArrayList<>();
        for (int i = 0; i < CONTROLLERS; i++) {
            Duration expiry = Duration.ofSeconds(30);
            ControllerSettings settings = ControllerSettings.defaults(dir.resolve("c" + i)).withHeartbeatTimeout(expiry)
                    .withQueueTimeout(Duration.ofSeconds(20))
                    .withStore(new EtcdRegistryStore(EtcdSettings.of(etcd.clientUrls(), pki.controllerMaterial()), expiry));
            ControllerApplication controller = new ControllerApplication(WorkerConfig.builder(ControllerApplication.CONTROLLER_ID,
                    pki.controllerMaterial()).bindHost("127.0.0.1").build(), settings);
            controller.start();
            opened.add(controller);
            controllers.add(controller);
        }
        List<URI> urls = controllers.stream().map(c -> URI.create("https://localhost:" + c.port())).toList();
        SlowWorker worker = new SlowWorker(WorkerConfig.builder("crank-slow", pki.workerMaterial("crank-slow"))
                .bindHost("127.0.0.1").controllerUrls(urls).heartbeatInterval(Duration.ofSeconds(1)).build());
        worker.start();
        opened.add(worker);
        Await.until("every controller sees three controllers and the worker", Duration.ofSeconds(20), () -> controllers.stream()
                .allMatch(c -> c.registry().liveControllers() == CONTROLLERS && c.registry().healthyFor("slow:call").size() == 1));

        CrankClient admin = CrankClient.builder(pki.adminMaterial("admin")).maxConnectionsPerHost(64).build();
        opened.add(admin);
        List<CompletableFuture<ClientResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 10 * BOUND; i++) {
            URI gateway = urls.get(i % CONTROLLERS).resolve("/invoke/slow/call");
            calls.add(admin.send(new ClientRequest("POST", gateway, Map.of("content-type", "application/json"),
                    "{}".getBytes(), Duration.ofSeconds(30))));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<ClientResponse> call : calls) {
            statuses.add(call.get(40, TimeUnit.SECONDS).status());
        }

        assertThat(statuses).as("every call is served").containsOnly(200);
        assertThat(worker.most.get()).as("never more than max_concurrency at the worker").isLessThanOrEqualTo(BOUND);
        assertThat(worker.most.get()).as("more than one controller's share ran at once").isGreaterThan(BOUND / CONTROLLERS);
        assertThat(worker.rejected()).as("the controllers' shares kept the worker from answering 429 itself").isZero();
    }
}
