package dev.crank.bench;

import dev.crank.controller.ControllerApplication;
import dev.crank.core.DevPki;
import dev.crank.workers.helloworld.HelloWorldWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * Gateway overhead: hello-world called directly and through the controller's {@code /invoke}, open
 * loop at the same rate, in alternating rounds within one run so that both paths see the same
 * machine. Overhead = percentile via the controller minus the same percentile direct. Then closed-loop
 * throughput of both paths, alternating, {@code --closed-connections} (16) for {@code --closed-duration} (5 s) each,
 * with the CPU time and allocation per call of each thread group ({@link CpuPerCall}).
 */
final class GatewayBench {

    private GatewayBench() {}

    static void run(Args args) throws InterruptedException {
        double rate = args.number("rate", 1000);
        int rounds = args.integer("rounds", 3);
        int connections = args.integer("connections", 16);
        int threads = args.integer("client-threads", 1);
        Duration warmup = args.duration("warmup", Duration.ofSeconds(10));
        Duration duration = args.duration("duration", Duration.ofSeconds(10));
        int closedConnections = args.integer("closed-connections", 16);
        Duration closedDuration = args.duration("closed-duration", Duration.ofSeconds(5));
        Harness.header("gateway", String.format("rate=%.0f/s rounds=%d connections=%d warmup=%s (closed loop, each path) duration=%s"
                + " closed-loop c=%d for %s", rate, rounds, connections, warmup, duration, closedConnections, closedDuration));
        Path dir = Harness.scratch("gateway");
        DevPki pki = Harness.pki(dir);
        ControllerApplication controller = Harness.controller(pki, dir);
        HelloWorldWorker worker = Harness.helloWorld(pki, dir, Optional.of(Harness.local(controller.port())));
        try (LoadGenerator direct = LoadGenerator.create(Harness.local(worker.port()), pki.adminMaterial("admin"), threads);
             LoadGenerator gateway = LoadGenerator.create(Harness.local(controller.port()), pki.adminMaterial("admin"), threads)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (controller.registry().healthyFor(HelloWorldWorker.CAPABILITY).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("hello-world did not register within 15 s");
                }
                Harness.sleep(Duration.ofMillis(20));
            }
            LoadGenerator.RequestSource hello = seq -> LoadGenerator.Request.postJson(Harness.HELLO_PATH, Harness.HELLO_BODY);
            System.out.println("# warm-up direct:  " + direct.run(hello, LoadGenerator.Options.closedLoop(4, Duration.ZERO, warmup)).summary());
            System.out.println("# warm-up gateway: " + gateway.run(hello, LoadGenerator.Options.closedLoop(4, Duration.ZERO, warmup)).summary());
            Duration slice = Duration.ofSeconds(2);
            Harness.untilCompiled("direct and gateway", slice.multipliedBy(2), () -> {
                direct.run(hello, LoadGenerator.Options.closedLoop(closedConnections, Duration.ZERO, slice));
                gateway.run(hello, LoadGenerator.Options.closedLoop(closedConnections, Duration.ZERO, slice));
            });
            Histogram directAll = new Histogram(3);
            Histogram gatewayAll = new Histogram(3);
            for (int round = 1; round <= rounds; round++) {
                LoadGenerator.Result d = direct.run(hello, LoadGenerator.Options.openLoop(rate, connections, Duration.ofSeconds(1), duration));
                System.out.printf("# round %d direct:  %s%n", round, d.summary());
                LoadGenerator.Result g = gateway.run(hello, LoadGenerator.Options.openLoop(rate, connections, Duration.ofSeconds(1), duration));
                System.out.printf("# round %d gateway: %s%n", round, g.summary());
                Harness.result("gateway overhead round " + round, "p50 %+.0f us p99 %+.0f us (direct p99 %.0f us, via controller p99 %.0f us)",
                        g.micros(50) - d.micros(50), g.micros(99) - d.micros(99), d.micros(99), g.micros(99));
                directAll.add(d.latency());
                gatewayAll.add(g.latency());
            }
            for (double p : new double[] {50, 90, 99, 99.9}) {
                double dp = directAll.getValueAtPercentile(p) / 1000.0;
                double gp = gatewayAll.getValueAtPercentile(p) / 1000.0;
                Harness.result("gateway all rounds p" + p, "direct %.0f us, via controller %.0f us, overhead %+.0f us", dp, gp, gp - dp);
            }
            // Closed loop, both paths in the same run, alternating, so the ratio compares like with like.
            // CPU per call by thread group over each closed-loop phase; the phase includes its 1 s warm-up, whose
            // calls are estimated at the measured rate.
            CpuPerCall cpu = new CpuPerCall();
            double phase = 1 + 1000.0 / Math.max(1, closedDuration.toMillis());
            for (int round = 1; round <= rounds; round++) {
                cpu.begin();
                LoadGenerator.Result d = direct.run(hello, LoadGenerator.Options.closedLoop(closedConnections, Duration.ofSeconds(1), closedDuration));
                String directCpu = cpu.end(Math.round(d.requests() * phase));
                cpu.begin();
                LoadGenerator.Result g = gateway.run(hello, LoadGenerator.Options.closedLoop(closedConnections, Duration.ofSeconds(1), closedDuration));
                String gatewayCpu = cpu.end(Math.round(g.requests() * phase));
                Harness.result("gateway closed loop round " + round, "direct %.0f req/s, via controller %.0f req/s, ratio %.2f (c=%d)",
                        d.throughput(), g.throughput(), g.throughput() / d.throughput(), closedConnections);
                System.out.printf("# cpu round %d direct:  %s%n", round, directCpu);
                System.out.printf("# cpu round %d gateway: %s%n", round, gatewayCpu);
            }
        } finally {
            worker.close();
            controller.close();
            Harness.deleteQuietly(dir);
        }
    }
}
