package dev.crank.bench;

import dev.crank.controller.ControllerApplication;
import dev.crank.core.DevPki;
import dev.crank.workers.helloworld.HelloWorldWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * hello-world throughput over keep-alive mTLS connections, closed loop, for each connection count
 * in {@code --connections} (default 16,64); {@code --via gateway} goes through the controller.
 * The load generator runs in the same JVM and shares the cores with the server.
 */
final class ThroughputBench {

    private ThroughputBench() {}

    static void run(Args args) throws InterruptedException {
        var connectionCounts = args.integers("connections", "16,64");
        String via = args.string("via", "direct");
        int threads = args.integer("client-threads", 1);
        Duration warmup = args.duration("warmup", Duration.ofSeconds(5));
        Duration duration = args.duration("duration", Duration.ofSeconds(15));
        Harness.header("throughput", String.format("via=%s connections=%s client-threads=%d warmup=%s duration=%s",
                via, connectionCounts, threads, warmup, duration));
        Path dir = Harness.scratch("throughput");
        DevPki pki = Harness.pki(dir);
        boolean gateway = via.equals("gateway");
        ControllerApplication controller = gateway ? Harness.controller(pki, dir) : null;
        HelloWorldWorker worker = Harness.helloWorld(pki, dir, gateway ? Optional.of(Harness.local(controller.port())) : Optional.empty());
        int port = gateway ? controller.port() : worker.port();
        try (LoadGenerator generator = LoadGenerator.create(Harness.local(port), pki.adminMaterial("admin"), threads)) {
            if (gateway) {
                while (controller.registry().healthyFor(HelloWorldWorker.CAPABILITY).isEmpty()) {
                    Harness.sleep(Duration.ofMillis(20));
                }
            }
            LoadGenerator.RequestSource hello = seq -> LoadGenerator.Request.postJson(Harness.HELLO_PATH, Harness.HELLO_BODY);
            for (int connections : connectionCounts) {
                LoadGenerator.Result result = generator.run(hello, LoadGenerator.Options.closedLoop(connections, warmup, duration));
                Harness.result("hello-world " + via + " c=" + connections, "%.0f req/s  (%s)", result.throughput(), result.summary());
            }
        } finally {
            worker.close();
            if (controller != null) {
                controller.close();
            }
            Harness.deleteQuietly(dir);
        }
    }
}
