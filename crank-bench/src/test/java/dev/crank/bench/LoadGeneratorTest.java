package dev.crank.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.CrankResponse;
import dev.crank.core.CrankServer;
import dev.crank.core.DevPki;
import dev.crank.workers.helloworld.HelloWorldWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short smoke test of the load generator over real mTLS on 127.0.0.1 port 0; figures are not asserted. */
class LoadGeneratorTest {

    @TempDir
    Path dir;

    @Test
    void closedAndOpenLoopLoadHelloWorldOverMutualTls() throws Exception {
        DevPki pki = Harness.pki(dir);
        HelloWorldWorker worker = Harness.helloWorld(pki, dir, Optional.empty());
        try (LoadGenerator generator = LoadGenerator.create(Harness.local(worker.port()), pki.adminMaterial("admin"), 1)) {
            LoadGenerator.RequestSource hello = seq -> LoadGenerator.Request.postJson(Harness.HELLO_PATH, Harness.HELLO_BODY);

            LoadGenerator.Result closed = generator.run(hello, LoadGenerator.Options.closedLoop(2, Duration.ofMillis(200), Duration.ofSeconds(1)));
            assertThat(closed.requests()).isPositive();
            assertThat(closed.errors()).isZero();
            assertThat(closed.statuses()).containsOnlyKeys(200);
            assertThat(closed.latency().getTotalCount()).isEqualTo(closed.requests());

            // Open loop counts every request that was due in the window, however late it was answered.
            LoadGenerator.Result open = generator.run(hello, LoadGenerator.Options.openLoop(200, 4, Duration.ofMillis(200), Duration.ofSeconds(1)));
            assertThat(open.requests()).isBetween(199L, 201L);
            assertThat(open.statuses()).containsOnlyKeys(200);

            LoadGenerator.Result invalid = generator.run(seq -> LoadGenerator.Request.postJson(Harness.HELLO_PATH, "{\"message\":42}"),
                    LoadGenerator.Options.closedLoop(1, Duration.ZERO, Duration.ofMillis(300)));
            assertThat(invalid.statuses()).containsOnlyKeys(400);
            assertThat(invalid.errors()).isEqualTo(invalid.requests());
            assertThat(invalid.firstError()).contains("INVALID_INPUT");
        } finally {
            worker.close();
        }
    }

    @Test
    void openLoopChargesAStallToEveryRequestItDelayed() throws Exception {
        DevPki pki = Harness.pki(dir);
        AtomicInteger calls = new AtomicInteger();
        CrankServer server = CrankServer.builder(pki.workerMaterial("stall"), request -> {
            if (calls.incrementAndGet() == 20) {
                Thread.sleep(300);
            }
            return CrankResponse.json(Map.of("ok", true));
        }).bindHost("127.0.0.1").port(0).build().start();
        try (LoadGenerator generator = LoadGenerator.create(Harness.local(server.port()), pki.adminMaterial("admin"), 1)) {
            LoadGenerator.Result result = generator.run(seq -> LoadGenerator.Request.get("/"),
                    LoadGenerator.Options.openLoop(100, 1, Duration.ZERO, Duration.ofSeconds(1)));
            assertThat(result.requests()).isBetween(99L, 101L);
            // One connection and a 300 ms stall: the ~30 requests due meanwhile queue behind it and each
            // is charged its wait. A generator with coordinated omission would report one slow request.
            long slow = result.latency().getCountBetweenValues(TimeUnit.MILLISECONDS.toNanos(100), result.latency().getMaxValue());
            assertThat(slow).isGreaterThanOrEqualTo(10);
            assertThat(result.maxBacklog()).isGreaterThanOrEqualTo(10);
        } finally {
            server.close();
        }
    }
}
