package dev.crank.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.internal.ControllerConnection;
import dev.crank.core.internal.ControllerLink;
import dev.crank.core.internal.TerminationSignal;
import dev.crank.core.internal.WorkerMeters;
import dev.crank.core.internal.WorkerReports;
import dev.crank.core.internal.WorkerRoutes;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Crank worker: an HTTPS (mutual TLS) server that offers capabilities and, when given a controller
 * URL, registers with it, heartbeats and deregisters on shutdown. Subclasses declare
 * {@link #capabilities()} and bind handlers in {@link #configure(Routes)}; the framework owns the
 * lifecycle, {@code GET /health}, {@code GET /status}, {@code GET /capabilities}, input validation
 * and concurrency bounds.
 *
 * <pre>{@code
 * public final class EchoWorker extends WorkerApplication {
 *     public EchoWorker(WorkerConfig config) { super(config); }
 *
 *     protected List<CapabilitySchema> capabilities() {
 *         return List.of(CapabilitySchema.builder("echo", "text").version("1.0.0").build());
 *     }
 *
 *     protected void configure(Routes routes) {
 *         routes.capability("echo:text", request -> CrankResponse.json(request.json()));
 *     }
 * }
 * }</pre>
 */
public abstract class WorkerApplication implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(WorkerApplication.class);

    private final WorkerConfig config;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final WorkerMeters meters;
    private final WorkerReports reports;
    private CrankServer server;
    private CrankClient client;
    private ControllerConnection connection;

    protected WorkerApplication(WorkerConfig config) {
        this.config = requireNonNull(config, "config");
        this.meters = new WorkerMeters(config);
        this.reports = new WorkerReports(config, this::url, this::checkReadiness, this::describeStatus, this::describeRegistration,
                this::queueDepth);
    }

    /** The capabilities this worker offers; each needs a handler bound in {@link #configure(Routes)}. */
    protected abstract List<CapabilitySchema> capabilities();

    /** Binds a handler to every capability, and any extra routes. */
    protected abstract void configure(Routes routes);

    /**
     * Paths served on their own bounded threads, never starved by the rest of the traffic; default
     * {@code /health}. The controller adds its registry endpoints.
     */
    protected Set<String> controlPlanePaths() {
        return Set.of("/health");
    }

    /**
     * Whether the handler of {@code path} never blocks, so that it may run on the connection's event loop
     * ({@link CrankServer.Builder#handleOnEventLoop}); default no. The controller's gateway does.
     */
    protected boolean handlesOnEventLoop(String path) {
        return false;
    }

    /**
     * Whether a request's body is streamed to the handler's relay instead of aggregated, by path and media
     * type; default never. The controller streams its gateway's non-JSON bodies.
     */
    protected boolean streamsRequestBody(String path, String mediaType) {
        return false;
    }

    /** Runs after the server is bound and before it reports healthy (load models, open stores). */
    protected void onStartup() throws Exception {}

    /** Runs after in-flight requests have drained (close stores, release models). */
    protected void onShutdown() throws Exception {}

    /** Requests waiting in a worker-owned queue (a batching worker overrides it); reported in heartbeats. */
    protected int queueDepth() {
        return 0;
    }

    /**
     * The worker's meters, tagged {@code worker_id}, exposed at {@code GET /metrics} in Prometheus text format
     * and also registered in {@link WorkerConfig#meterRegistry()} when one is given.
     */
    protected final MeterRegistry meters() {
        return meters.registry();
    }

    /**
     * Adds checks to {@code GET /health/ready} (after the framework's {@code lifecycle} check); runs on a
     * request thread for every probe, so keep it cheap. The worker is ready when every check passes.
     */
    protected void checkReadiness(List<HealthCheck> checks) {}

    /** Adds worker-specific fields to {@code GET /status}. */
    protected void describeStatus(ObjectNode status) {}

    /**
     * Adds to the registration metadata, after {@link #onStartup()} has run; a worker that found a
     * GPU puts {@code "device": "cuda:0"} here. Defaults: {@code device=cpu}, {@code host}, {@code version}
     * and {@link WorkerConfig#metadata()}.
     */
    protected void describeRegistration(ObjectNode metadata) {}

    /**
     * Binds, runs {@link #onStartup()}, reports healthy and starts registering with the controller (if
     * configured) in the background. Returns once listening; {@link #port()} is then the real port.
     */
    public final WorkerApplication start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException(config.workerId() + " already started");
        }
        WorkerRoutes table = new WorkerRoutes(config.workerId(), List.copyOf(capabilities()));
        Routes routes = new Routes();
        configure(routes);
        routes.bindTo(table);
        CrankServer.Builder builder = CrankServer.builder(config.tls(), table.build(reports, meters.registry(), meters::scrape))
                .name(config.workerId()).bindHost(config.bindHost()).port(config.port()).limits(config.limits())
                .meters(meters.registry()).controlPlane(controlPlanePaths(), 8)
                .streamRequestBodies(this::streamsRequestBody).handleOnEventLoop(this::handlesOnEventLoop);
        config.handlerExecutor().ifPresent(builder::executor);
        server = builder.build().start();
        reports.serving(server);
        meters.serving(server);
        try {
            onStartup();
        } catch (Exception | Error e) {
            server.stop(Duration.ZERO);
            reports.health(HealthState.STOPPED);
            throw new IllegalStateException(config.workerId() + " failed to start: " + e.getMessage(), e);
        }
        reports.healthy(config.clock().instant());
        config.controllerUrl().ifPresentOrElse(first -> connection = ControllerConnection.open(config, client(), reports),
                () -> logger.info("{} runs standalone (no CONTROLLER_URL)", config.workerId()));
        return this;
    }

    /** Starts, then blocks until SIGTERM or SIGINT and closes gracefully. */
    public final void run() throws InterruptedException {
        start();
        TerminationSignal.await();
        close();
    }

    /**
     * Graceful and idempotent: health reports draining, the worker deregisters, stops accepting,
     * lets in-flight requests finish and releases everything, within the shutdown budget.
     */
    @Override
    public final void close() {
        if (!started.get() || !closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        reports.health(HealthState.DRAINING);
        if (connection != null) {
            connection.stop(remaining(deadline));
        }
        server.stop(remaining(deadline));
        try {
            onShutdown();
        } catch (Exception e) {
            logger.warn("{}: onShutdown failed", config.workerId(), e);
        }
        synchronized (this) {
            if (client != null) {
                client.close();
            }
        }
        meters.close();
        reports.health(HealthState.STOPPED);
    }

    public final WorkerConfig config() {
        return config;
    }

    public final String workerId() {
        return config.workerId();
    }

    /** The port listened on, readable after {@link #start()}. */
    public final int port() {
        return server.port();
    }

    /** The URL the controller hands to callers. */
    public final URI url() {
        return config.advertiseUrl().orElseGet(() -> URI.create("https://localhost:" + port()));
    }

    public final HealthState health() {
        return reports.health();
    }

    public final RegistrationState registrationState() {
        return reports.registrationState();
    }

    /** Successful registrations with the controller since start (re-registrations included). */
    public final long registrations() {
        return reports.link().map(ControllerLink::registrations).orElse(0L);
    }

    /** In-flight invocations of capability {@code key}. */
    public final int inFlight(String key) {
        return reports.inFlight(key);
    }

    /** The HTTPS client this worker dials out with (created on first use, closed with the worker). */
    protected final synchronized CrankClient client() {
        if (client == null) {
            client = CrankClient.builder(config.tls()).connectTimeout(config.registrationTimeout()).build();
        }
        return client;
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
