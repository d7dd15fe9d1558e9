package dev.crank.bench;

import dev.crank.controller.ControllerApplication;
import dev.crank.controller.ControllerSettings;
import dev.crank.core.DevPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Routing while a mass of workers expires and is evicted: N workers (default 10,000) are restored and
 * heartbeat once, then fall silent, while 100 more keep heartbeating; {@code /route} runs open loop
 * for three expiry periods, so the run spans the expiry (the silent ones stop being routable) and the
 * sweep that evicts all N in one batch. Reports the route latency over the whole window.
 */
final class ExpiryBench {

    private static final int SURVIVORS = 100;

    private ExpiryBench() {}

    static void run(Args args) throws Exception {
        int size = args.integer("size", 10_000);
        Duration expiry = args.duration("expiry", Duration.ofSeconds(4));
        double rate = args.number("route-rate", 1000);
        int connections = args.integer("connections", 16);
        Harness.header("expiry", String.format("size=%d expiry=%s (grace the same) route-rate=%.0f/s connections=%d survivors=%d",
                size, expiry, rate, connections, SURVIVORS));
        Path dir = Harness.scratch("expiry");
        DevPki pki = Harness.pki(dir);
        Fleet fleet = new Fleet(pki);
        ControllerSettings settings = ControllerSettings.defaults(dir).withHeartbeatTimeout(expiry).withEvictionGrace(expiry);
        fleet.writeState(settings.stateFile(), size + SURVIVORS);
        ControllerApplication controller = Harness.controller(pki, dir, settings);
        try (LoadGenerator generator = LoadGenerator.create(Harness.local(controller.port()), pki.adminMaterial("admin"), 1);
             LoadGenerator keeper = LoadGenerator.create(Harness.local(controller.port()), pki.adminMaterial("admin"), 1)) {
            LoadGenerator.Result prime = generator.run(seq -> LoadGenerator.Request.postJson("/heartbeat", fleet.heartbeat(seq)),
                    new LoadGenerator.Options(connections, Duration.ZERO, Duration.ofMinutes(10), 0, size + SURVIVORS, Duration.ofSeconds(30)));
            System.out.printf("# first heartbeat of all %d workers: %s%n", size + SURVIVORS, prime.summary());
            Duration window = expiry.multipliedBy(3);
            double keepRate = SURVIVORS / (expiry.toMillis() / 4000.0);
            CompletableFuture<LoadGenerator.Result> survivors = CompletableFuture.supplyAsync(() -> {
                try {
                    return keeper.run(seq -> LoadGenerator.Request.postJson("/heartbeat", fleet.heartbeat(size + seq % SURVIVORS)),
                            LoadGenerator.Options.openLoop(keepRate, 2, Duration.ZERO, window.plusSeconds(2)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            long evictionsBefore = controller.registry().evictions();
            LoadGenerator.Result routes = generator.run(seq -> LoadGenerator.Request.postJson("/route",
                            "{\"verb\":\"greet\",\"capability\":\"bench_" + (seq % Fleet.CAPABILITY_KINDS) + "\"}"),
                    LoadGenerator.Options.openLoop(rate, connections, Duration.ZERO, window));
            long evicted = controller.registry().evictions() - evictionsBefore;
            Harness.result("route during the expiry of N=" + size, "p50 %.0f us p99 %.0f us p99.9 %.0f us max %.0f us, %d evicted, "
                            + "%d left  (%s)", routes.micros(50), routes.micros(99), routes.micros(99.9), routes.micros(100), evicted,
                    controller.registry().size(), routes.summary());
            System.out.printf("# survivors' heartbeats: %s%n", survivors.get().summary());
        } finally {
            controller.close();
            Harness.deleteQuietly(dir);
        }
    }
}
