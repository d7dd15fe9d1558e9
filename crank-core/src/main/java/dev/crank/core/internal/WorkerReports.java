package dev.crank.core.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankResponse;
import dev.crank.core.CrankServer;
import dev.crank.core.HealthCheck;
import dev.crank.core.HealthState;
import dev.crank.core.RegistrationState;
import dev.crank.core.WorkerConfig;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker says about itself: {@code GET /health}, {@code /health/live}, {@code /health/ready} and
 * {@code /status}, its registration body and the load its heartbeats carry. It holds the worker's health
 * and the capabilities it serves; the worker's lifecycle moves the one and fills the other.
 */
public final class WorkerReports {

    private static final Logger logger = LoggerFactory.getLogger(WorkerReports.class);
    private static final String VERSION = Optional.ofNullable(WorkerReports.class.getPackage().getImplementationVersion())
            .orElse("dev");

    private final WorkerConfig config;
    private final Supplier<URI> url;
    private final Consumer<List<HealthCheck>> readinessChecks;
    private final Consumer<ObjectNode> statusFields;
    private final Consumer<ObjectNode> registrationFields;
    private final IntSupplier queueDepth;
    private final Map<String, CapabilityEndpoint> endpoints = new LinkedHashMap<>();
    private volatile HealthState health = HealthState.STARTING;
    private volatile Instant startedAt;
    private volatile CrankServer server;
    private volatile ControllerLink link;

    /** The last four are the worker's hooks: its readiness checks, its status and registration fields, its queue depth. */
    public WorkerReports(WorkerConfig config, Supplier<URI> url, Consumer<List<HealthCheck>> readinessChecks,
                         Consumer<ObjectNode> statusFields, Consumer<ObjectNode> registrationFields, IntSupplier queueDepth) {
        this.config = config;
        this.url = url;
        this.readinessChecks = readinessChecks;
        this.statusFields = statusFields;
        this.registrationFields = registrationFields;
        this.queueDepth = queueDepth;
    }

    /** The capabilities served, by key, in the order declared. */
    public Map<String, CapabilityEndpoint> endpoints() {
        return endpoints;
    }

    public HealthState health() {
        return health;
    }

    public void health(HealthState state) {
        health = state;
    }

    /** The server is listening; in-flight counts are read from it from now on. */
    public void serving(CrankServer listening) {
        server = listening;
    }

    /** Startup has finished: healthy from {@code at}. */
    public void healthy(Instant at) {
        startedAt = at;
        health = HealthState.HEALTHY;
    }

    public void linked(ControllerLink controllerLink) {
        link = controllerLink;
    }

    public Optional<ControllerLink> link() {
        return Optional.ofNullable(link);
    }

    public RegistrationState registrationState() {
        ControllerLink current = link;
        return current == null ? RegistrationState.STANDALONE : current.state();
    }

    public int inFlight(String key) {
        CapabilityEndpoint endpoint = endpoints.get(key);
        return endpoint == null ? 0 : endpoint.inFlight();
    }

    private int inFlight() {
        CrankServer current = server;
        return current == null ? 0 : current.inFlight();
    }

    public CrankResponse healthResponse() {
        ObjectNode body = Json.object().put("status", name(health)).put("worker_id", config.workerId());
        return CrankResponse.json(health == HealthState.HEALTHY ? 200 : 503, body);
    }

    public CrankResponse liveResponse() {
        return CrankResponse.json(Json.object().put("status", "live").put("worker_id", config.workerId()));
    }

    /** {@code /health}'s meaning (200 only while healthy) with the {@code checks} that decided it. */
    public CrankResponse readinessResponse() {
        List<HealthCheck> checks = new ArrayList<>();
        HealthState state = health;
        checks.add(HealthCheck.of("lifecycle", state == HealthState.HEALTHY, name(state)));
        if (state == HealthState.HEALTHY) {
            try {
                readinessChecks.accept(checks);
            } catch (RuntimeException e) {
                logger.warn("{}: a readiness check failed", config.workerId(), e);
                checks.add(HealthCheck.of("readiness_hook", false, "the worker's check threw " + e.getClass().getSimpleName()));
            }
        }
        boolean ready = checks.stream().allMatch(HealthCheck::healthy);
        ObjectNode body = Json.object().put("status", ready ? "ready" : "not_ready").put("worker_id", config.workerId());
        ArrayNode list = body.putArray("checks");
        checks.forEach(check -> list.addObject().put("name", check.name())
                .put("status", check.healthy() ? "pass" : "fail").put("detail", check.detail()));
        body.put("registration", name(registrationState()));
        return CrankResponse.json(ready ? 200 : 503, body);
    }

    public ObjectNode status() {
        ObjectNode status = Json.object();
        status.put("worker_id", config.workerId());
        status.put("status", name(health));
        status.put("version", VERSION);
        ArrayNode keys = status.putArray("capabilities");
        endpoints.keySet().forEach(keys::add);
        Instant started = startedAt;
        status.put("started_at", String.valueOf(started));
        status.put("uptime_seconds", started == null ? 0 : Duration.between(started, config.clock().instant()).toMillis() / 1000.0);
        status.put("in_flight", inFlight());
        ObjectNode perCapability = status.putObject("in_flight_by_capability");
        endpoints.forEach((key, endpoint) -> perCapability.put(key, endpoint.inFlight()));
        ObjectNode registration = status.putObject("registration");
        registration.put("state", name(registrationState()));
        config.controllerUrl().ifPresent(controller -> registration.put("controller_url", controller.toString()));
        link().ifPresent(current -> registration.put("controller_url", current.controller().toString())
                .put("controller_failovers", current.failovers())
                .put("registrations", current.registrations())
                .put("heartbeats_acknowledged", current.heartbeats()));
        statusFields.accept(status);
        return status;
    }

    public ObjectNode registrationBody() {
        ObjectNode body = Json.object();
        body.put("worker_id", config.workerId());
        body.put("worker_url", url.get().toString());
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
        registrationFields.accept(metadata);
        return metadata;
    }

    public ObjectNode loadReport() {
        ObjectNode load = Json.object();
        ObjectNode inFlight = load.putObject("in_flight");
        endpoints.forEach((key, endpoint) -> inFlight.put(key, endpoint.inFlight()));
        load.put("in_flight_total", inFlight());
        load.put("queue_depth", queueDepth.getAsInt());
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

    private static String name(Enum<?> state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
