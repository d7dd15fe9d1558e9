package dev.crank.bench;

import dev.crank.controller.ControllerApplication;
import dev.crank.core.DevPki;
import dev.crank.workers.helloworld.HelloWorldWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * Gateway overhead: hello-world called directly and through the controller's {@code /invoke}, open
 * loop at the same rate, in alternating rounds within one run so that both paths see the same
 * machine (the path that goes first alternates too). A round's overhead = percentile via the controller
 * minus the same percentile direct; the figures are the medians over rounds, each round printed with the
 * host's steal and the JIT's compile time during it ({@link HostTime}). Then closed-loop throughput of both
 * paths, alternating the same way, {@code --closed-connections} (16) for {@code --closed-duration} (5 s) each,
 * with the CPU time and allocation per call of each thread group ({@link CpuPerCall}) and the median ratio.
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
            // Both kinds of phase in each slice: the open loop's pacing and idle connections compile code of their own.
            Harness.untilCompiled("direct and gateway", slice.multipliedBy(4), () -> {
                direct.run(hello, LoadGenerator.Options.closedLoop(closedConnections, Duration.ZERO, slice));
                gateway.run(hello, LoadGenerator.Options.closedLoop(closedConnections, Duration.ZERO, slice));
                direct.run(hello, LoadGenerator.Options.openLoop(rate, connections, Duration.ZERO, slice));
                gateway.run(hello, LoadGenerator.Options.openLoop(rate, connections, Duration.ZERO, slice));
            });
            // Open loop. Rounds alternate which path goes first, and each round is one paired comparison: its
            // overhead is the percentile via the controller minus the same percentile direct. The medians over
            // rounds are the figures; a burst on the host (steal, shown per round) moves one round, not the median.
            Histogram directAll = new Histogram(3);
            Histogram gatewayAll = new Histogram(3);
            double[] p50 = new double[rounds];
            double[] p99 = new double[rounds];
            for (int round = 1; round <= rounds; round++) {
                LoadGenerator.Options open = LoadGenerator.Options.openLoop(rate, connections, Duration.ofSeconds(1), duration);
                Timed[] pair = inTurn(round, () -> Timed.run(direct, hello, open, null), () -> Timed.run(gateway, hello, open, null));
                Timed d = pair[0];
                Timed g = pair[1];
                System.out.printf("# round %d direct:  %s; %s%n", round, d.result().summary(), d.host());
                System.out.printf("# round %d gateway: %s; %s%n", round, g.result().summary(), g.host());
                p50[round - 1] = g.result().micros(50) - d.result().micros(50);
                p99[round - 1] = g.result().micros(99) - d.result().micros(99);
                Harness.result("gateway overhead round " + round, "p50 %+.0f us p99 %+.0f us (direct p99 %.0f us, via controller p99 %.0f us; %s)",
                        p50[round - 1], p99[round - 1], d.result().micros(99), g.result().micros(99), d.host().over(g.host()));
                directAll.add(d.result().latency());
                gatewayAll.add(g.result().latency());
            }
            Harness.result("gateway overhead median of " + rounds + " rounds", "p50 %+.0f us, p99 %+.0f us", median(p50), median(p99));
            for (double p : new double[] {50, 90, 99, 99.9}) {
                double dp = directAll.getValueAtPercentile(p) / 1000.0;
                double gp = gatewayAll.getValueAtPercentile(p) / 1000.0;
                Harness.result("gateway all rounds pooled p" + p, "direct %.0f us, via controller %.0f us, overhead %+.0f us", dp, gp, gp - dp);
            }
            // Closed loop, both paths in the same run, alternating (the order too), so the ratio compares like with
            // like; CPU per call by thread group over each phase.
            CpuPerCall cpu = new CpuPerCall();
            double[] ratios = new double[rounds];
            for (int round = 1; round <= rounds; round++) {
                LoadGenerator.Options closed = LoadGenerator.Options.closedLoop(closedConnections, Duration.ofSeconds(1), closedDuration);
                Timed[] pair = inTurn(round, () -> Timed.run(direct, hello, closed, cpu), () -> Timed.run(gateway, hello, closed, cpu));
                Timed d = pair[0];
                Timed g = pair[1];
                ratios[round - 1] = g.result().throughput() / d.result().throughput();
                Harness.result("gateway closed loop round " + round, "direct %.0f req/s, via controller %.0f req/s, ratio %.2f (c=%d; %s)",
                        d.result().throughput(), g.result().throughput(), ratios[round - 1], closedConnections, d.host().over(g.host()));
                System.out.printf("# cpu round %d direct:  %s%n", round, d.cpu());
                System.out.printf("# cpu round %d gateway: %s%n", round, g.cpu());
            }
            Harness.result("gateway closed loop median of " + rounds + " rounds", "ratio %.2f (c=%d)", median(ratios), closedConnections);
        } finally {
            worker.close();
            controller.close();
            Harness.deleteQuietly(dir);
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** One path's phase. */
    private interface Phase {
        Timed run() throws InterruptedException;
    }

    /** Both paths' phases of a round, direct first in odd rounds and the gateway first in even ones; {direct, gateway}. */
    private static Timed[] inTurn(int round, Phase direct, Phase gateway) throws InterruptedException {
        if (round % 2 == 1) {
            Timed d = direct.run();
            return new Timed[] {d, gateway.run()};
        }
        Timed g = gateway.run();
        return new Timed[] {direct.run(), g};
    }

    /**
     * One phase's result with what the host did meanwhile and, when {@code cpu} is given, the CPU per call by thread
     * group (the phase includes its 1 s warm-up, whose calls are estimated at the measured rate).
     */
    private record Timed(LoadGenerator.Result result, HostTime.Span host, String cpu) {

        static Timed run(LoadGenerator load, LoadGenerator.RequestSource source, LoadGenerator.Options options, CpuPerCall cpu)
                throws InterruptedException {
            HostTime host = HostTime.begin();
            if (cpu != null) {
                cpu.begin();
            }
            LoadGenerator.Result result = load.run(source, options);
            double phase = 1 + options.warmup().toMillis() / (double) Math.max(1, options.duration().toMillis());
            String perCall = cpu == null ? null : cpu.end(Math.round(result.requests() * phase));
            return new Timed(result, host.end(), perCall);
        }
    }
}
