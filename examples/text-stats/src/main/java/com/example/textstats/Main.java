package com.example.textstats;

import dev.crank.core.DevPki;
import dev.crank.core.TlsMaterial;
import dev.crank.core.WorkerConfig;
import io.micrometer.core.instrument.Metrics;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the worker until SIGTERM or Ctrl-C. Environment: {@code CONTROLLER_URL} (unset = standalone),
 * {@code CRANK_HTTPS_PORT} (default 8600), {@code CRANK_DATA_DIR} (default {@code ./crank-data}; its
 * {@code pki} folder is the development PKI), or {@code CRANK_TLS_CERT}, {@code CRANK_TLS_KEY},
 * {@code CRANK_TLS_CA} for your own PEM files.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        Path dataDir = Path.of(env.getOrDefault("CRANK_DATA_DIR", "crank-data"));
        TlsMaterial tls = env.containsKey("CRANK_TLS_CERT")
                ? new TlsMaterial(Path.of(env.get("CRANK_TLS_CERT")), Path.of(env.get("CRANK_TLS_KEY")),
                        Path.of(env.get("CRANK_TLS_CA"))).verifyReadable()
                : DevPki.open(dataDir.resolve("pki")).workerMaterial(TextStatsWorker.WORKER_ID);
        WorkerConfig.Builder config = WorkerConfig.builder(TextStatsWorker.WORKER_ID, tls)
                .port(Integer.parseInt(env.getOrDefault("CRANK_HTTPS_PORT", "8600")))
                .dataDir(dataDir)
                // The application's own Micrometer registry receives Crank's meters too (tagged worker_id);
                // GET /metrics keeps serving them in Prometheus format.
                .meterRegistry(Metrics.globalRegistry);
        if (env.containsKey("CONTROLLER_URL")) {
            config.controllerUrl(URI.create(env.get("CONTROLLER_URL")));
        }
        new TextStatsWorker(config.build()).run();
    }
}
