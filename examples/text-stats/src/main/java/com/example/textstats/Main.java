package com.example.textstats;

import dev.crank.core.WorkerConfig;
import io.micrometer.core.instrument.Metrics;

/**
 * Runs the worker until SIGTERM or Ctrl-C, configured by the environment the Crank runtime reads
 * (see {@link WorkerConfig#fromEnvironment(String, int, java.util.Map)}): {@code CONTROLLER_URL} (unset =
 * standalone), {@code CRANK_HTTPS_PORT} (default 8600), {@code CRANK_DATA_DIR}, {@code CRANK_TLS_*}, ...
 * The application's own Micrometer registry receives Crank's meters too (tagged {@code worker_id});
 * {@code GET /metrics} keeps serving them in Prometheus format.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        new TextStatsWorker(WorkerConfig.fromEnvironment(TextStatsWorker.WORKER_ID, 8600, System.getenv())
                .meterRegistry(Metrics.globalRegistry).build()).run();
    }
}
