package dev.crank.core.internal;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankResponse;
import dev.crank.core.Handler;
import dev.crank.core.HealthState;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A worker's router: a {@code POST /invoke/{verb}/{name}} per declared capability (each declared exactly
 * once and bound to exactly one handler), the worker's own routes, then the framework's {@code /health},
 * {@code /health/live}, {@code /health/ready}, {@code /status}, {@code /capabilities} and {@code /metrics}.
 * Worker routes answer 503 {@code NOT_READY} until startup has finished.
 */
public final class WorkerRoutes {

    private record Binding(Handler handler, Set<String> rawMediaTypes) {}

    private record Extra(String method, String path, Handler handler) {}

    private final String workerId;
    private final Map<String, CapabilitySchema> declared = new LinkedHashMap<>();
    private final Map<String, Binding> bindings = new LinkedHashMap<>();
    private final List<Extra> extras = new ArrayList<>();

    public WorkerRoutes(String workerId, List<CapabilitySchema> capabilities) {
        this.workerId = workerId;
        for (CapabilitySchema capability : capabilities) {
            if (declared.putIfAbsent(capability.key(), capability) != null) {
                throw new IllegalStateException(workerId + " declares " + capability.key() + " twice");
            }
        }
    }

    public void capability(String key, Handler handler, Set<String> rawMediaTypes) {
        if (!declared.containsKey(key)) {
            throw new IllegalStateException(workerId + " binds a handler to " + key + " but does not declare it");
        }
        bindings.put(key, new Binding(handler, rawMediaTypes));
    }

    public void route(String method, String path, Handler handler) {
        extras.add(new Extra(method, path, handler));
    }

    /** The router; fills {@code reports}' endpoints and meters each capability in {@code meters}. */
    public Router build(WorkerReports reports, MeterRegistry meters, Supplier<String> prometheusText) {
        Router router = new Router();
        for (CapabilitySchema capability : declared.values()) {
            Binding binding = bindings.get(capability.key());
            if (binding == null) {
                throw new IllegalStateException(workerId + " declares " + capability.key() + " but binds no handler to it");
            }
            CapabilityEndpoint endpoint = new CapabilityEndpoint(capability, binding.handler(), binding.rawMediaTypes(), meters);
            reports.endpoints().put(capability.key(), endpoint);
            router.add("POST", "/invoke/" + capability.verb() + "/" + capability.name(), whenReady(reports, endpoint));
        }
        extras.forEach(extra -> router.add(extra.method(), extra.path(), whenReady(reports, extra.handler())));
        List<CapabilitySchema> capabilities = List.copyOf(declared.values());
        router.add("GET", "/health", request -> reports.healthResponse());
        router.add("GET", "/health/live", request -> reports.liveResponse());
        router.add("GET", "/health/ready", request -> reports.readinessResponse());
        router.add("GET", "/status", request -> CrankResponse.json(reports.status()));
        router.add("GET", "/capabilities", request -> CrankResponse.json(capabilities));
        router.add("GET", "/metrics", request -> CrankResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", prometheusText.get()));
        return router;
    }

    /** Worker routes answer 503 until startup has finished (a controller has restored its registry). */
    private Handler whenReady(WorkerReports reports, Handler handler) {
        return request -> {
            HealthState state = reports.health();
            if (state == HealthState.STARTING) {
                throw CrankException.unavailable("NOT_READY", workerId + " is starting");
            }
            if (state != HealthState.HEALTHY && request.path().startsWith("/invoke/")) {
                throw CrankException.unavailable("NOT_READY", workerId + " is " + state.name().toLowerCase(Locale.ROOT));
            }
            return handler.handle(request);
        };
    }
}
