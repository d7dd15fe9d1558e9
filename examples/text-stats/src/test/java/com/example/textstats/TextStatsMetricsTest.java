package com.example.textstats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.testing.CrankWorkerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The application's own Micrometer registry, passed as {@code Main} passes it, receives Crank's meters. */
class TextStatsMetricsTest {

    static final SimpleMeterRegistry applicationMeters = new SimpleMeterRegistry();

    @RegisterExtension
    static final CrankWorkerExtension<TextStatsWorker> crank = CrankWorkerExtension.of(TextStatsWorker::new)
            .workerId(TextStatsWorker.WORKER_ID)
            .configure(config -> config.meterRegistry(applicationMeters));

    @Test
    void crankMetersReachTheApplicationsRegistry() {
        assertThat(crank.invoke("analyze:text_stats", "{\"text\":\"One. Two.\"}").status()).isEqualTo(200);

        assertThat(applicationMeters.find("crank.capability.requests").tag("worker_id", TextStatsWorker.WORKER_ID)
                .tag("capability", "analyze:text_stats").tag("status", "200").timer())
                .isNotNull().extracting(timer -> timer.count()).isEqualTo(1L);
        assertThat(applicationMeters.find("jvm.memory.used").gauges()).isNotEmpty();
        assertThat(crank.get("/metrics").bodyText()).as("/metrics keeps serving them")
                .contains("crank_capability_requests_seconds_bucket{", "jvm_memory_used_bytes{");
    }
}
