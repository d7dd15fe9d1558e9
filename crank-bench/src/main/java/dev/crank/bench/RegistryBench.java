package dev.crank.bench;

import dev.crank.controller.ControllerApplication;
import dev.crank.controller.ControllerSettings;
import dev.crank.core.DevPki;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The controller's registry under load, per registry size N (default 0, 100, 1000, 10000, 50000):
 * the state file is written with N workers (as N registrations would leave it), a controller with
 * default settings (persistence on, 90 s expiry) restores it, every worker heartbeats once, then
 * heartbeats/s (closed loop), {@code /route} latency one request at a time (closed loop, 1 connection: the
 * service time) and at a fixed rate (open loop) and
 * registrations/s of new distinct worker ids (closed loop) are measured. All requests use the admin
 * certificate. N = 0 measures registrations from an empty registry only.
 */
final class RegistryBench {

    private RegistryBench() {}

    static void run(Args args) throws InterruptedException {
        var sizes = args.integers("sizes", "0,100,1000,10000,50000");
        Duration warmup = args.duration("warmup", Duration.ofSeconds(3));
        Duration duration = args.duration("duration", Duration.ofSeconds(10));
        int connections = args.integer("connections", 16);
        int registerConnections = args.integer("register-connections", 16);
        double routeRate = args.number("route-rate", 1000);
        int threads = args.integer("client-threads", 1);
        boolean registrations = !args.flag("skip-registrations");
        boolean routes = !args.flag("skip-route");
        Harness.header("registry", String.format("sizes=%s warmup=%s duration=%s connections=%d register-connections=%d route-rate=%.0f/s "
                + "client-threads=%d", sizes, warmup, duration, connections, registerConnections, routeRate, threads));
        Path shared = Harness.scratch("registry");
        DevPki pki = Harness.pki(shared);
        Fleet fleet = new Fleet(pki);
        for (int size : sizes) {
            Path dir = shared.resolve("n" + size);
            Path stateFile = ControllerSettings.defaults(dir).stateFile();
            long written = System.nanoTime();
            if (size > 0) {
                fleet.writeState(stateFile, size);
            }
            long restored = System.nanoTime();
            ControllerApplication controller = Harness.controller(pki, dir);
            long started = System.nanoTime();
            System.out.printf("# N=%d: state file written in %d ms (%d bytes), controller restored and listening in %d ms%n", size,
                    (restored - written) / 1_000_000, stateFile.toFile().length(), (started - restored) / 1_000_000);
            try (LoadGenerator generator = LoadGenerator.create(Harness.local(controller.port()), pki.adminMaterial("admin"), threads)) {
                if (size > 0) {
                    LoadGenerator.Result prime = generator.run(seq -> LoadGenerator.Request.postJson("/heartbeat", fleet.heartbeat(seq)),
                            new LoadGenerator.Options(connections, Duration.ZERO, Duration.ofMinutes(10), 0, size, Duration.ofSeconds(30)));
                    System.out.printf("# N=%d: first heartbeat of every worker: %s%n", size, prime.summary());
                    LoadGenerator.Result heartbeats = generator.run(
                            seq -> LoadGenerator.Request.postJson("/heartbeat", fleet.heartbeat(seq % size)),
                            LoadGenerator.Options.closedLoop(connections, warmup, duration));
                    Harness.result("heartbeats N=" + size, "%.0f/s  (%s)", heartbeats.throughput(), heartbeats.summary());
                    if (routes) {
                        LoadGenerator.RequestSource route = seq -> LoadGenerator.Request.postJson("/route",
                                "{\"verb\":\"greet\",\"capability\":\"bench_" + (seq % Fleet.CAPABILITY_KINDS) + "\"}");
                        LoadGenerator.Result serial = generator.run(route, LoadGenerator.Options.closedLoop(1, warmup, duration));
                        Harness.result("route N=" + size + " one at a time", "p50 %.0f us p99 %.0f us, %.0f req/s  (%s)",
                                serial.micros(50), serial.micros(99), serial.throughput(), serial.summary());
                        LoadGenerator.Result paced = generator.run(route, LoadGenerator.Options.openLoop(routeRate, connections, warmup, duration));
                        Harness.result("route N=" + size + " @" + (int) routeRate + "/s", "p50 %.0f us p99 %.0f us p99.9 %.0f us  (%s)",
                                paced.micros(50), paced.micros(99), paced.micros(99.9), paced.summary());
                    }
                }
                if (registrations) {
                    LoadGenerator.Result registered = generator.run(seq -> LoadGenerator.Request.postJson("/register",
                                    fleet.registration("bench-new-" + seq, seq)),
                            LoadGenerator.Options.closedLoop(registerConnections, warmup, duration).withTimeout(Duration.ofSeconds(60)));
                    Harness.result("registrations N=" + size, "%.0f/s, registry grew to %d  (%s)", registered.throughput(),
                            controller.registry().workers().size(), registered.summary());
                }
            } finally {
                controller.close();
                Harness.deleteQuietly(dir);
            }
        }
        Harness.deleteQuietly(shared);
    }
}
