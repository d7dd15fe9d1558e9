package dev.crank.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics}: JVM and process meters, a {@code worker_id} tag, histogram buckets, and an embedder's own registry. */
class MetricsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void metricsCarryJvmMetersWorkerIdAndBucketsAndReachTheEmbeddersRegistry() {
        DevPki pki = DevPki.open(dir.resolve("pki"));
        SimpleMeterRegistry theirs = new SimpleMeterRegistry();
        EchoWorker worker = new EchoWorker(WorkerConfig.builder("echo-1", pki.workerMaterial("echo-1"))
                .bindHost("127.0.0.1").dataDir(dir).meterRegistry(theirs).build());
        worker.start();
        try (CrankClient admin = CrankClient.builder(pki.adminMaterial("admin")).build()) {
            URI base = URI.create("https://localhost:" + worker.port());
            ClientResponse echoed = admin.send(new ClientRequest("POST", base.resolve("/invoke/echo/text"),
                    Map.of("content-type", "application/json"), "{\"text\":\"a\"}".getBytes(StandardCharsets.UTF_8), TIMEOUT)).join();
            assertThat(echoed.status()).isEqualTo(200);

            String text = admin.get(base.resolve("/metrics"), TIMEOUT).join().bodyText();
            assertThat(text).contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads{", "process_cpu_usage{",
                    "process_uptime_seconds{", "netty_allocator_memory_used_bytes{");
            assertThat(text).containsPattern("crank_capability_requests_seconds_bucket\\{[^}]*le=\"[0-9.]+\"");
            assertThat(text).containsPattern("crank_capability_requests_seconds_count\\{[^}]*worker_id=\"echo-1\"");
            assertThat(text).containsPattern("jvm_memory_used_bytes\\{[^}]*worker_id=\"echo-1\"");

            assertThat(theirs.find("crank.capability.requests").tag("worker_id", "echo-1").tag("status", "200").timer())
                    .isNotNull().extracting(timer -> timer.count()).isEqualTo(1L);
            assertThat(theirs.find("jvm.memory.used").tag("worker_id", "echo-1").gauges()).isNotEmpty();
        } finally {
            worker.close();
        }
    }
}
