package dev.crank.controller;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The read-only views of the registry: {@code /route}, {@code /capabilities}, {@code /workers} and
 * {@code /catalog}. Each answer is a record (names in snake_case on the wire); nothing here changes membership.
 */
final class RegistryViews {

    private static final Pattern CAPABILITY_KEY = Pattern.compile("[a-z][a-z0-9_]*:[a-z][a-z0-9_]*");
    static final int DEFAULT_PAGE = 500;
    static final int MAX_PAGE = 10_000;
    static final int LISTED_PROVIDERS = 100;

    /** {@code POST /route}: the worker a caller should use for {@code capability}. */
    record Route(String workerId, String workerUrl, String capability) {}

    /** One capability of {@code GET /capabilities}, keyed by {@code verb:name}. */
    record CapabilitySummary(String verb, String name, int workers, int healthyWorkers, int gpuWorkers,
                             Set<String> versions, List<String> workerIds, boolean requiresGpu) {}

    /** {@code GET /workers}: one page; {@code next} is absent on the last one. */
    record WorkerPage(List<WorkerView> workers, @JsonInclude(JsonInclude.Include.NON_NULL) String next, int total) {}

    /** One worker of {@code GET /workers}; times are ISO-8601 instants. */
    record WorkerView(String workerId, String workerUrl, boolean isHealthy, String state, String lastHeartbeat,
                      double heartbeatAgeSeconds, String registeredAt, List<String> capabilities,
                      Map<String, Integer> maxConcurrency, String device, JsonNode metadata, JsonNode load) {}

    /** {@code GET /catalog}. */
    record Catalog(int capabilityCount, Map<String, CatalogEntry> capabilities) {}

    /** One capability of the catalog: its versions, its first {@value #LISTED_PROVIDERS} providers and gateway counters. */
    record CatalogEntry(String capability, Map<String, VersionView> versions, List<ProviderView> providers,
                        int providerCount, Counters counters) {}

    record VersionView(JsonNode inputSchema, JsonNode outputSchema, String description, boolean idempotent, boolean requiresGpu) {}

    record ProviderView(String workerId, String workerUrl, String version, String device, int maxConcurrency,
                        boolean healthy, int inFlightViaGateway, JsonNode reportedLoad) {}

    /** Gateway calls of one capability, from the meter registry. */
    record Counters(long gatewayCalls, @JsonProperty("gateway_non_2xx") long gatewayNon2xx,
                    @JsonProperty("gateway_429") long gateway429, long gatewayRetries) {}

    private final Registry registry;
    private final Admission admission;

    RegistryViews(Registry registry, Admission admission) {
        this.registry = registry;
        this.admission = admission;
    }

    CrankResponse route(CrankRequest request) {
        JsonNode body = ControllerRequests.jsonObject(request);
        String key = ControllerRequests.identifier(body, "verb") + ":" + ControllerRequests.identifier(body, "capability");
        RegisteredWorker worker = admission.choose(key).orElseThrow(() ->
                CrankException.notFound("NO_HEALTHY_WORKER", "No healthy worker offers " + key));
        return CrankResponse.json(new Route(worker.workerId(), worker.workerUrl().toString(), key));
    }

    /** Every offered capability with its provider counts: O(capabilities + providers), from the capability index. */
    CrankResponse capabilities(CrankRequest request) {
        Map<String, CapabilitySummary> answer = new LinkedHashMap<>();
        Instant now = registry.now();
        for (Providers providers : new TreeMap<>(registry.index()).values()) {
            CapabilitySchema first = providers.all().get(0).capability(providers.capability()).orElseThrow();
            int healthy = 0;
            boolean requiresGpu = false;
            Set<String> versions = new TreeSet<>();
            for (RegisteredWorker worker : providers.all()) {
                healthy += registry.isHealthy(worker, now) ? 1 : 0;
                CapabilitySchema capability = worker.capability(providers.capability()).orElseThrow();
                versions.add(capability.version());
                requiresGpu |= capability.requiresGpu();
            }
            List<String> ids = providers.all().stream().limit(LISTED_PROVIDERS).map(RegisteredWorker::workerId).toList();
            answer.put(providers.capability(), new CapabilitySummary(first.verb(), first.name(), providers.size(), healthy,
                    providers.gpu().size(), versions, ids, requiresGpu));
        }
        return CrankResponse.json(answer);
    }

    /**
     * One page of workers sorted by id: {@code ?limit=} (default {@value #DEFAULT_PAGE}, at most
     * {@value #MAX_PAGE}), {@code ?after=<worker_id>} and {@code ?capability=verb:name}; {@code next} is
     * the {@code after} of the following page, absent on the last one.
     */
    CrankResponse workers(CrankRequest request) {
        int limit = ControllerRequests.intParameter(request, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
        Optional<String> after = request.queryParam("after");
        if (after.isPresent() && !RegistrationRules.WORKER_ID.matcher(after.get()).matches()) {
            throw CrankException.badRequest("INVALID_AFTER", "after: expected a worker_id");
        }
        Optional<String> capability = request.queryParam("capability");
        if (capability.isPresent() && !CAPABILITY_KEY.matcher(capability.get()).matches()) {
            throw CrankException.badRequest("INVALID_CAPABILITY", "capability: expected verb:name");
        }
        List<RegisteredWorker> page = registry.page(after, limit + 1, capability);
        Instant now = registry.now();
        List<WorkerView> views = new ArrayList<>(Math.min(limit, page.size()));
        for (RegisteredWorker worker : page.subList(0, Math.min(limit, page.size()))) {
            views.add(view(worker, now));
        }
        String next = page.size() > limit ? page.get(limit - 1).workerId() : null;
        int total = capability.map(key -> registry.providers(key).map(Providers::size).orElse(0)).orElse(registry.size());
        return CrankResponse.json(new WorkerPage(views, next, total));
    }

    private WorkerView view(RegisteredWorker worker, Instant now) {
        boolean healthy = registry.isHealthy(worker, now);
        Map<String, Integer> bounds = new LinkedHashMap<>();
        worker.capabilities().forEach(c -> bounds.put(c.key(), c.maxConcurrency()));
        return new WorkerView(worker.workerId(), worker.workerUrl().toString(), healthy,
                worker.restored() ? "awaiting_heartbeat" : healthy ? "active" : "expired",
                worker.lastHeartbeat().toString(), Duration.between(worker.lastHeartbeat(), now).toMillis() / 1000.0,
                worker.registeredAt().toString(), worker.capabilities().stream().map(CapabilitySchema::key).toList(), bounds,
                worker.device(), worker.metadata(), worker.load());
    }

    /**
     * Every capability with its versions, schemas, counters and providers (device, bound, health, load;
     * the first {@value #LISTED_PROVIDERS} by id, {@code provider_count} says how many there are).
     */
    CrankResponse catalog(MeterRegistry meters) {
        Map<String, Providers> index = new TreeMap<>(registry.index());
        Map<String, CatalogEntry> capabilities = new LinkedHashMap<>();
        Instant now = registry.now();
        for (Providers providers : index.values()) {
            String key = providers.capability();
            Map<String, VersionView> versions = new LinkedHashMap<>();
            List<ProviderView> listed = new ArrayList<>(Math.min(LISTED_PROVIDERS, providers.size()));
            for (RegisteredWorker worker : providers.all()) {
                CapabilitySchema capability = worker.capability(key).orElseThrow();
                versions.computeIfAbsent(capability.version(), version -> new VersionView(capability.inputSchema(),
                        capability.outputSchema(), capability.description(), capability.idempotent(), capability.requiresGpu()));
                if (listed.size() < LISTED_PROVIDERS) {
                    listed.add(new ProviderView(worker.workerId(), worker.workerUrl().toString(), capability.version(),
                            worker.device(), capability.maxConcurrency(), registry.isHealthy(worker, now),
                            admission.inFlight(worker.workerId(), key), worker.load()));
                }
            }
            capabilities.put(key, new CatalogEntry(key, versions, listed, providers.size(), counters(meters, key)));
        }
        return CrankResponse.json(new Catalog(index.size(), capabilities));
    }

    private static Counters counters(MeterRegistry meters, String key) {
        long calls = 0;
        long failures = 0;
        long tooMany = 0;
        for (Timer timer : meters.find("crank.gateway.requests").tag("capability", key).timers()) {
            calls += timer.count();
            if (!timer.getId().getTag("status").startsWith("2")) {
                failures += timer.count();
            }
            if ("429".equals(timer.getId().getTag("status"))) {
                tooMany += timer.count();
            }
        }
        return new Counters(calls, failures, tooMany, (long) meters.counter("crank.gateway.retries", "capability", key).count());
    }
}
