package dev.crank.core.internal;

import dev.crank.core.CrankServer;
import dev.crank.core.WorkerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's meters, tagged {@code worker_id}: Crank's own Prometheus registry, served at {@code GET /metrics},
 * and the embedder's {@link WorkerConfig#meterRegistry()} when one is given; the JVM and process meters are
 * bound while the server runs.
 */
public final class WorkerMeters implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(WorkerMeters.class);

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MeterRegistry registry;
    private AutoCloseable processMeters;

    public WorkerMeters(WorkerConfig config) {
        this.registry = config.meterRegistry().<MeterRegistry>map(theirs -> {
            CompositeMeterRegistry both = new CompositeMeterRegistry();
            both.add(prometheus);
            both.add(theirs);
            return both;
        }).orElse(prometheus);
        registry.config().commonTags("worker_id", config.workerId());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return prometheus.scrape();
    }

    /** Binds the JVM and process meters and the server's in-flight gauge. */
    public void serving(CrankServer server) {
        processMeters = ProcessMeters.bind(registry);
        Gauge.builder("crank.http.in.flight", server::inFlight).description("Requests being handled, streams included").register(registry);
    }

    @Override
    public void close() {
        if (processMeters != null) {
            try {
                processMeters.close();
            } catch (Exception e) {
                logger.debug("closing the JVM meters failed", e);
            }
        }
    }
}
