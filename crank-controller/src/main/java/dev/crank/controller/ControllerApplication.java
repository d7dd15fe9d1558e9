package dev.crank.controller;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankJson;
import dev.crank.core.Routes;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
// internal: warms the untrusted-schema compiler at start; that compiler is the controller's alone
import dev.crank.core.internal.SchemaValidator;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller: a worker whose endpoints are the registry ({@code /register}, {@code /heartbeat},
 * {@code /deregister}, {@code /route}, {@code /capabilities}, {@code /workers}). The registry is
 * restored from its store at start and swept for silent workers in the background.
 */
public final class ControllerApplication extends WorkerApplication {

    public static final String CONTROLLER_ID = "crank-controller";
    private static final Logger logger = LoggerFactory.getLogger(ControllerApplication.class);
    /** Served on their own bounded threads: no gateway load can starve the registry. */
    static final Set<String> CONTROL_PLANE = Set.of("/health", "/register", "/heartbeat", "/deregister", "/route");

    private final ControllerSettings settings;
    private final Contracts contracts = new Contracts();
    private final Registry registry;
    private final Admission admission;
    private final MembershipEndpoints membership;
    private final RegistryViews views;
    private final ConsoleResources console = new ConsoleResources();
    private Gateway gateway;
    private ScheduledExecutorService sweeper;

    public ControllerApplication(WorkerConfig config, ControllerSettings settings) {
        this(config, settings, RoutingStrategy.standard());
    }

    public ControllerApplication(WorkerConfig config, ControllerSettings settings, RoutingStrategy strategy) {
        super(config);
        if (config.controllerUrl().isPresent()) {
            throw new IllegalArgumentException("the controller does not register with a controller: unset CONTROLLER_URL");
        }
        this.settings = requireNonNull(settings, "settings");
        this.registry = new Registry(config.clock(), settings, contracts);
        this.admission = new Admission(registry, requireNonNull(strategy, "strategy"));
        this.membership = new MembershipEndpoints(registry, config.heartbeatInterval(), new OwnAddress(this::port, config.advertiseUrl()));
        this.views = new RegistryViews(registry, admission);
    }

    public Registry registry() {
        return registry;
    }

    /** The gateway, for tests of its upstream pools. */
    Gateway gateway() {
        return gateway;
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of();
    }

    @Override
    protected void configure(Routes routes) {
        routes.post("/register", membership::register)
                .post("/heartbeat", membership::heartbeat)
                .post("/deregister", membership::deregisterByBody)
                .delete("/deregister/{worker_id}", membership::deregisterByPath)
                .post("/route", views::route)
                .get("/capabilities", views::capabilities)
                .get("/workers", views::workers)
                .get("/catalog", request -> views.catalog(meters()))
                .post("/invoke/{verb}/{name}", request -> gateway.invoke(request))
                .get("/ui", console::page)
                .get("/ui/console.css", console::stylesheet)
                .get("/ui/console.js", console::script);
    }

    @Override
    protected void onStartup() {
        gateway = new Gateway(admission, registry, contracts, config().tls(), settings, meters());
        registerMeters();
        registry.restore();
        // Load the JSON Schema meta-schema now rather than inside the first registration's deadline.
        SchemaValidator.compileUntrusted(CrankJson.parse("{\"type\":\"object\"}"));
        long period = Math.max(50, Math.min(1000, registry.heartbeatTimeout().toMillis() / 4));
        sweeper = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("controller-sweeper", true));
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                registry.sweep();
            } catch (RuntimeException e) {
                logger.error("Registry sweep failed", e);
            }
            try {
                gateway.forgetDeparted();
            } catch (RuntimeException e) {
                logger.error("Dropping the upstream pools of departed workers failed", e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    private void registerMeters() {
        // Gateway latency as histogram buckets, so it adds up across controllers (the timer is built in Gateway).
        meters().config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return id.getName().equals("crank.gateway.requests")
                        ? DistributionStatisticConfig.builder().percentilesHistogram(true)
                                .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                                .maximumExpectedValue((double) Duration.ofMinutes(2).toNanos()).build().merge(config)
                        : config;
            }
        });
        Gauge.builder("crank.registry.workers", registry, Registry::size)
                .description("Workers in the registry").register(meters());
        Gauge.builder("crank.registry.writer.queue", registry, Registry::writerQueue)
                .description("Membership changes waiting for the registry writer's next batch").register(meters());
        FunctionCounter.builder("crank.registry.registrations", registry, Registry::registrations)
                .description("Accepted registrations").register(meters());
        FunctionCounter.builder("crank.registry.heartbeats", registry, Registry::heartbeats)
                .description("Heartbeats received").register(meters());
        FunctionCounter.builder("crank.registry.evictions", registry, Registry::evictions)
                .description("Workers evicted after missing heartbeats").register(meters());
        Gauge.builder("crank.registry.stale", registry, r -> r.stale() ? 1 : 0)
                .description("1 while the shared registry store cannot be reached and routing uses the last view").register(meters());
        Gauge.builder("crank.registry.controllers", registry, Registry::liveControllers)
                .description("Live controllers sharing the registry (1 on the embedded store)").register(meters());
        FunctionCounter.builder("crank.registry.heartbeats.unrenewed", registry, Registry::unrenewedHeartbeats)
                .description("Heartbeats answered 503 because the shared store could not renew the lease").register(meters());
        FunctionCounter.builder("crank.gateway.rejected", admission, Admission::rejected)
                .description("Gateway calls refused with 429 after waiting for a slot").register(meters());
        Gauge.builder("crank.gateway.relay.buffered", gateway, Gateway::buffered).baseUnit("bytes")
                .description("Bytes relayed to callers that have not reached their sockets yet").register(meters());
    }

    /**
     * The gateway streams request bodies that are not JSON to the worker as they arrive, with backpressure
     * both ways; a JSON body (or one with no type, read as JSON) is aggregated, bounded by the body limit,
     * because it is validated against the capability's contract before admission.
     */
    @Override
    protected boolean streamsRequestBody(String path, String mediaType) {
        return path.startsWith("/invoke/") && !mediaType.isEmpty() && !mediaType.equals("application/json") && !mediaType.endsWith("+json");
    }

    /** The gateway never blocks: it checks the contract, takes a slot without a thread and relays on event loops. */
    @Override
    protected boolean handlesOnEventLoop(String path) {
        return path.startsWith("/invoke/");
    }

    @Override
    protected Set<String> controlPlanePaths() {
        return CONTROL_PLANE;
    }

    @Override
    protected void onShutdown() throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
        admission.close();
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper.awaitTermination(1, TimeUnit.SECONDS);
        }
        registry.close();
    }

    @Override
    protected void describeStatus(ObjectNode status) {
        status.put("registered_workers", registry.size());
        status.put("registrations", registry.registrations());
        status.put("evictions", registry.evictions());
        status.put("gateway_retries", gateway == null ? 0 : gateway.retries());
        status.put("gateway_rejections", admission.rejected());
        status.putObject("registry_store").put("store", registry.store().describe()).put("stale", registry.stale())
                .put("live_controllers", registry.liveControllers()).put("unrenewed_heartbeats", registry.unrenewedHeartbeats());
        status.put("gateway_relay_buffered_bytes", gateway == null ? 0 : gateway.buffered());
        status.put("gateway_relay_buffered_bytes_peak", gateway == null ? 0 : gateway.peakBuffered());
        status.put("heartbeat_timeout_seconds", Duration.ofMillis(registry.heartbeatTimeout().toMillis()).toSeconds());
    }
}
