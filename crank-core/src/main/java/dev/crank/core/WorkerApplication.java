package dev.crank.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.internal.CapabilityEndpoint;
import dev.crank.core.internal.ControllerLink;
import dev.crank.core.internal.Json;
import dev.crank.core.internal.ProcessMeters;
import dev.crank.core.internal.Router;
import dev.crank.core.internal.TerminationSignal;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
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
    private static final String VERSION = Optional.ofNullable(WorkerApplication.class.getPackage().getImplementationVersion())
            .orElse("dev");

    private final WorkerConfig config;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<String, CapabilityEndpoint> endpoints = new LinkedHashMap<>();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MeterRegistry meters;
    private AutoCloseable processMeters;
    private volatile HealthState health = HealthState.STARTING;
    private volatile Instant startedAt;
    private CrankServer server;
    private CrankClient client;
    private ScheduledExecutorService scheduler;
    private ControllerLink link;

    protected WorkerApplication(WorkerConfig config) {
        this.config = requireNonNull(config, "config");
        this.meters = config.meterRegistry().<MeterRegistry>map(theirs -> {
            CompositeMeterRegistry both = new CompositeMeterRegistry();
            both.add(prometheus);
            both.add(theirs);
            return both;
        }).orElse(prometheus);
        meters.config().commonTags("worker_id", config.workerId());
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
        return meters;
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
        Router router = buildRouter();
        processMeters = ProcessMeters.bind(meters);
        server = CrankServer.builder(config.tls(), router)
                .name(config.workerId())
                .bindHost(config.bindHost())
                .port(config.port())
                .limits(config.limits())
                .meters(meters)
                .controlPlane(controlPlanePaths(), 8)
                .streamRequestBodies(this::streamsRequestBody)
                .build()
                .start();
        try {
            onStartup();
        } catch (Exception | Error e) {
            server.stop(Duration.ZERO);
            health = HealthState.STOPPED;
            throw new IllegalStateException(config.workerId() + " failed to start: " + e.getMessage(), e);
        }
        startedAt = config.clock().instant();
        health = HealthState.HEALTHY;
        config.controllerUrl().ifPresentOrElse(first -> connect(config.controllerUrls()),
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
        health = HealthState.DRAINING;
        if (link != null) {
            link.stop(remaining(deadline));
        }
        server.stop(remaining(deadline));
        try {
            onShutdown();
        } catch (Exception e) {
            logger.warn("{}: onShutdown failed", config.workerId(), e);
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        synchronized (this) {
            if (client != null) {
                client.close();
            }
        }
        if (processMeters != null) {
            try {
                processMeters.close();
            } catch (Exception e) {
                logger.debug("{}: closing the JVM meters failed", config.workerId(), e);
            }
        }
        health = HealthState.STOPPED;
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
        return health;
    }

    public final RegistrationState registrationState() {
        return link == null ? RegistrationState.STANDALONE : link.state();
    }

    /** Successful registrations with the controller since start (re-registrations included). */
    public final long registrations() {
        return link == null ? 0 : link.registrations();
    }

    /** In-flight invocations of capability {@code key}. */
    public final int inFlight(String key) {
        CapabilityEndpoint endpoint = endpoints.get(key);
        return endpoint == null ? 0 : endpoint.inFlight();
    }

    /** The HTTPS client this worker dials out with (created on first use, closed with the worker). */
    protected final synchronized CrankClient client() {
        if (client == null) {
            client = CrankClient.builder(config.tls()).connectTimeout(config.registrationTimeout()).build();
        }
        return client;
    }

    private Router buildRouter() {
        List<CapabilitySchema> declared = List.copyOf(capabilities());
        Routes routes = new Routes();
        configure(routes);
        Set<String> keys = new HashSet<>();
        Router router = new Router();
        for (CapabilitySchema capability : declared) {
            if (!keys.add(capability.key())) {
                throw new IllegalStateException(config.workerId() + " declares " + capability.key() + " twice");
            }
            Routes.CapabilityBinding binding = routes.capabilities().get(capability.key());
            if (binding == null) {
                throw new IllegalStateException(config.workerId() + " declares " + capability.key() + " but binds no handler to it");
            }
            CapabilityEndpoint endpoint = new CapabilityEndpoint(capability, binding.handler(), binding.rawMediaTypes(), meters);
            endpoints.put(capability.key(), endpoint);
            router.add("POST", "/invoke/" + capability.verb() + "/" + capability.name(), whenReady(endpoint));
        }
        for (String bound : routes.capabilities().keySet()) {
            if (!keys.contains(bound)) {
                throw new IllegalStateException(config.workerId() + " binds a handler to " + bound + " but does not declare it");
            }
        }
        routes.routes().forEach(route -> router.add(route.method(), route.path(), whenReady(route.handler())));
        router.add("GET", "/health", request -> healthResponse());
        router.add("GET", "/health/live", request -> CrankResponse.json(Json.object().put("status", "live")
                .put("worker_id", config.workerId())));
        router.add("GET", "/health/ready", request -> readinessResponse());
        router.add("GET", "/status", request -> CrankResponse.json(status()));
        router.add("GET", "/capabilities", request -> CrankResponse.json(declared));
        router.add("GET", "/metrics", request -> CrankResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape()));
        Gauge.builder("crank.http.in.flight", () -> server == null ? 0 : server.inFlight())
                .description("Requests being handled, streams included").register(meters);
        return router;
    }

    /** Worker routes answer 503 until {@link #onStartup()} has finished (a controller has restored its registry). */
    private Handler whenReady(Handler handler) {
        return request -> {
            HealthState state = health;
            if (state == HealthState.STARTING) {
                throw CrankException.unavailable("NOT_READY", config.workerId() + " is starting");
            }
            if (state != HealthState.HEALTHY && request.path().startsWith("/invoke/")) {
                throw CrankException.unavailable("NOT_READY", config.workerId() + " is " + state.name().toLowerCase());
            }
            return handler.handle(request);
        };
    }

    private CrankResponse healthResponse() {
        ObjectNode body = Json.object()
                .put("status", health.name().toLowerCase())
                .put("worker_id", config.workerId());
        return CrankResponse.json(health == HealthState.HEALTHY ? 200 : 503, body);
    }

    /** {@code /health}'s meaning (200 only while healthy) with the {@code checks} that decided it. */
    private CrankResponse readinessResponse() {
        List<HealthCheck> checks = new java.util.ArrayList<>();
        HealthState state = health;
        checks.add(HealthCheck.of("lifecycle", state == HealthState.HEALTHY, state.name().toLowerCase()));
        if (state == HealthState.HEALTHY) {
            try {
                checkReadiness(checks);
            } catch (RuntimeException e) {
                logger.warn("{}: a readiness check failed", config.workerId(), e);
                checks.add(HealthCheck.of("readiness_hook", false, "the worker's check threw " + e.getClass().getSimpleName()));
            }
        }
        boolean ready = checks.stream().allMatch(HealthCheck::healthy);
        ObjectNode body = Json.object()
                .put("status", ready ? "ready" : "not_ready")
                .put("worker_id", config.workerId());
        ArrayNode list = body.putArray("checks");
        checks.forEach(check -> list.addObject().put("name", check.name())
                .put("status", check.healthy() ? "pass" : "fail").put("detail", check.detail()));
        body.put("registration", registrationState().name().toLowerCase());
        return CrankResponse.json(ready ? 200 : 503, body);
    }

    private ObjectNode status() {
        ObjectNode status = Json.object();
        status.put("worker_id", config.workerId());
        status.put("status", health.name().toLowerCase());
        status.put("version", VERSION);
        ArrayNode keys = status.putArray("capabilities");
        endpoints.keySet().forEach(keys::add);
        status.put("started_at", String.valueOf(startedAt));
        status.put("uptime_seconds", startedAt == null ? 0
                : Duration.between(startedAt, config.clock().instant()).toMillis() / 1000.0);
        status.put("in_flight", server.inFlight());
        ObjectNode perCapability = status.putObject("in_flight_by_capability");
        endpoints.forEach((key, endpoint) -> perCapability.put(key, endpoint.inFlight()));
        ObjectNode registration = status.putObject("registration");
        registration.put("state", registrationState().name().toLowerCase());
        config.controllerUrl().ifPresent(url -> registration.put("controller_url", url.toString()));
        if (link != null) {
            registration.put("controller_url", link.controller().toString());
            registration.put("controller_failovers", link.failovers());
            registration.put("registrations", link.registrations());
            registration.put("heartbeats_acknowledged", link.heartbeats());
        }
        describeStatus(status);
        return status;
    }

    private void connect(List<URI> controllers) {
        scheduler = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory(config.workerId() + "-controller-link", true));
        link = new ControllerLink(client(), controllers, config.workerId(), this::registrationBody, this::loadReport,
                config.heartbeatInterval(), config.registrationTimeout(), scheduler, ThreadLocalRandom.current());
        link.start();
    }

    private ObjectNode registrationBody() {
        ObjectNode body = Json.object();
        body.put("worker_id", config.workerId());
        body.put("worker_url", url().toString());
        ArrayNode capabilities = body.putArray("capabilities");
        endpoints.values().forEach(endpoint -> capabilities.add(endpoint.schema().toJson()));
        body.set("metadata", metadata());
        return body;
    }

    private ObjectNode metadata() {
        ObjectNode metadata = Json.object();
        metadata.put("device", "cpu");
        metadata.put("host", Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost"));
        metadata.put("version", VERSION);
        config.metadata().forEach(metadata::put);
        describeRegistration(metadata);
        return metadata;
    }

    private ObjectNode loadReport() {
        ObjectNode load = Json.object();
        ObjectNode inFlight = load.putObject("in_flight");
        endpoints.forEach((key, endpoint) -> inFlight.put(key, endpoint.inFlight()));
        load.put("in_flight_total", server.inFlight());
        load.put("queue_depth", queueDepth());
        ObjectNode rejected = load.putObject("rejected");
        endpoints.forEach((key, endpoint) -> rejected.put(key, endpoint.rejected()));
        ObjectNode latency = load.putObject("latency_ms");
        endpoints.forEach((key, endpoint) -> {
            double[] percentiles = endpoint.latencyMillis();
            latency.putObject(key).put("p50", percentiles[0]).put("p99", percentiles[1]);
        });
        load.put("device", metadata().path("device").asText("cpu"));
        return load;
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
