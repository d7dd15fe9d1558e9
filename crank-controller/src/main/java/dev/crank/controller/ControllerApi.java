package dev.crank.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankJson;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.PeerIdentity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The controller protocol of DESIGN §4: parses and checks requests, then asks the {@link Registry}. */
final class ControllerApi {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern CAPABILITY_KEY = Pattern.compile("[a-z][a-z0-9_]*:[a-z][a-z0-9_]*");
    static final int DEFAULT_PAGE = 500;
    static final int MAX_PAGE = 10_000;
    static final int LISTED_PROVIDERS = 100;

    private final Registry registry;
    private final Admission admission;
    private final Duration heartbeatInterval;
    private final OwnAddress ownAddress;

    ControllerApi(Registry registry, Admission admission, Duration heartbeatInterval, OwnAddress ownAddress) {
        this.ownAddress = ownAddress;
        this.registry = registry;
        this.admission = admission;
        this.heartbeatInterval = heartbeatInterval;
    }

    CrankResponse register(CrankRequest request) {
        JsonNode body = jsonObject(request);
        String workerId = RegistrationRules.workerId(body.get("worker_id"));
        authorize(request, workerId);
        URI url = RegistrationRules.workerUrl(body.get("worker_url"));
        if (ownAddress.matches(url)) {
            throw CrankException.badRequest("WORKER_URL_IS_CONTROLLER",
                    "worker_url: " + url + " is this controller's own address (expected: the worker's address)");
        }
        List<CapabilitySchema> capabilities = RegistrationRules.capabilities(body.get("capabilities"));
        ObjectNode metadata = RegistrationRules.metadata(body.get("metadata"));
        registry.register(workerId, url, capabilities, metadata);
        ObjectNode answer = CrankJson.object()
                .put("status", "registered")
                .put("worker_id", workerId)
                .put("capabilities_registered", capabilities.size())
                .put("heartbeat_interval_seconds", Math.max(1, heartbeatInterval.toSeconds()));
        return CrankResponse.json(answer);
    }

    CrankResponse heartbeat(CrankRequest request) {
        JsonNode body = fields(request);
        String workerId = workerId(body);
        authorize(request, workerId);
        JsonNode load = body.get("load");
        if (load != null && !load.isNull() && !load.isObject()) {
            throw CrankException.badRequest("INVALID_LOAD", "load: expected an object");
        }
        boolean known = registry.heartbeat(workerId, load instanceof ObjectNode object ? object.deepCopy() : CrankJson.object());
        if (!known) {
            ObjectNode answer = CrankJson.object()
                    .put("status", "unknown_worker")
                    .put("acknowledged", false)
                    .put("worker_id", workerId)
                    .put("code", "UNKNOWN_WORKER")
                    .put("detail", "The controller does not know " + workerId + "; register again");
            return CrankResponse.json(404, answer);
        }
        return CrankResponse.json(CrankJson.object().put("status", "ok").put("acknowledged", true));
    }

    CrankResponse deregister(CrankRequest request) {
        return deregister(request, workerId(fields(request)));
    }

    CrankResponse deregisterById(CrankRequest request) {
        String workerId = request.pathParam("worker_id");
        if (!RegistrationRules.WORKER_ID.matcher(workerId).matches()) {
            throw CrankException.badRequest("INVALID_WORKER_ID", "worker_id: expected [A-Za-z0-9._-]{1,128}");
        }
        return deregister(request, workerId);
    }

    private CrankResponse deregister(CrankRequest request, String workerId) {
        authorize(request, workerId);
        if (!registry.deregister(workerId)) {
            throw CrankException.notFound("UNKNOWN_WORKER", "The controller does not know " + workerId);
        }
        return CrankResponse.json(CrankJson.object().put("status", "deregistered").put("worker_id", workerId));
    }

    CrankResponse route(CrankRequest request) {
        JsonNode body = jsonObject(request);
        String verb = identifier(body, "verb");
        String name = identifier(body, "capability");
        String key = verb + ":" + name;
        RegisteredWorker worker = admission.choose(key).orElseThrow(() ->
                CrankException.notFound("NO_HEALTHY_WORKER", "No healthy worker offers " + key));
        return CrankResponse.json(CrankJson.object()
                .put("worker_id", worker.workerId())
                .put("worker_url", worker.workerUrl().toString())
                .put("capability", key));
    }

    /** Every offered capability with its provider counts: O(capabilities + providers), from the capability index. */
    CrankResponse capabilities(CrankRequest request) {
        ObjectNode answer = CrankJson.object();
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
            ObjectNode entry = answer.putObject(providers.capability())
                    .put("verb", first.verb())
                    .put("name", first.name())
                    .put("workers", providers.size())
                    .put("healthy_workers", healthy)
                    .put("gpu_workers", providers.gpu().size());
            versions.forEach(entry.putArray("versions")::add);
            ArrayNode ids = entry.putArray("worker_ids");
            providers.all().stream().limit(LISTED_PROVIDERS).forEach(worker -> ids.add(worker.workerId()));
            entry.put("requires_gpu", requiresGpu);
        }
        return CrankResponse.json(answer);
    }

    /**
     * One page of workers sorted by id: {@code ?limit=} (default {@value #DEFAULT_PAGE}, at most
     * {@value #MAX_PAGE}), {@code ?after=<worker_id>} and {@code ?capability=verb:name}; {@code next} is
     * the {@code after} of the following page, absent on the last one.
     */
    CrankResponse workers(CrankRequest request) {
        int limit = intParameter(request, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
        Optional<String> after = request.queryParam("after");
        if (after.isPresent() && !RegistrationRules.WORKER_ID.matcher(after.get()).matches()) {
            throw CrankException.badRequest("INVALID_AFTER", "after: expected a worker_id");
        }
        Optional<String> capability = request.queryParam("capability");
        if (capability.isPresent() && !CAPABILITY_KEY.matcher(capability.get()).matches()) {
            throw CrankException.badRequest("INVALID_CAPABILITY", "capability: expected verb:name");
        }
        List<RegisteredWorker> page = registry.page(after, limit + 1, capability);
        ObjectNode answer = CrankJson.object();
        ArrayNode list = answer.putArray("workers");
        Instant now = registry.now();
        for (RegisteredWorker worker : page.subList(0, Math.min(limit, page.size()))) {
            ObjectNode node = list.addObject();
            boolean healthy = registry.isHealthy(worker, now);
            node.put("worker_id", worker.workerId());
            node.put("worker_url", worker.workerUrl().toString());
            node.put("is_healthy", healthy);
            node.put("state", worker.restored() ? "awaiting_heartbeat" : healthy ? "active" : "expired");
            node.put("last_heartbeat", worker.lastHeartbeat().toString());
            node.put("heartbeat_age_seconds", Duration.between(worker.lastHeartbeat(), now).toMillis() / 1000.0);
            node.put("registered_at", worker.registeredAt().toString());
            ArrayNode keys = node.putArray("capabilities");
            worker.capabilities().forEach(c -> keys.add(c.key()));
            ObjectNode bounds = node.putObject("max_concurrency");
            worker.capabilities().forEach(c -> bounds.put(c.key(), c.maxConcurrency()));
            node.put("device", worker.device());
            node.set("metadata", worker.metadata());
            node.set("load", worker.load());
        }
        if (page.size() > limit) {
            answer.put("next", page.get(limit - 1).workerId());
        }
        answer.put("total", capability.map(key -> registry.providers(key).map(Providers::size).orElse(0)).orElse(registry.size()));
        return CrankResponse.json(answer);
    }

    /**
     * Every capability with its versions, schemas, counters and providers (device, bound, health, load;
     * the first {@value #LISTED_PROVIDERS} by id, {@code provider_count} says how many there are).
     */
    CrankResponse catalog(MeterRegistry meters) {
        ObjectNode answer = CrankJson.object();
        Map<String, Providers> index = new TreeMap<>(registry.index());
        answer.put("capability_count", index.size());
        ObjectNode capabilities = answer.putObject("capabilities");
        Instant now = registry.now();
        for (Providers providers : index.values()) {
            String key = providers.capability();
            ObjectNode entry = capabilities.putObject(key).put("capability", key);
            ObjectNode versions = entry.putObject("versions");
            ArrayNode list = entry.putArray("providers");
            entry.put("provider_count", providers.size());
            for (RegisteredWorker worker : providers.all()) {
                CapabilitySchema capability = worker.capability(key).orElseThrow();
                if (!versions.has(capability.version())) {
                    ObjectNode version = versions.putObject(capability.version());
                    version.set("input_schema", capability.inputSchema());
                    version.set("output_schema", capability.outputSchema());
                    version.put("description", capability.description());
                    version.put("idempotent", capability.idempotent());
                    version.put("requires_gpu", capability.requiresGpu());
                }
                if (list.size() < LISTED_PROVIDERS) {
                    ObjectNode provider = list.addObject()
                            .put("worker_id", worker.workerId())
                            .put("worker_url", worker.workerUrl().toString())
                            .put("version", capability.version())
                            .put("device", worker.device())
                            .put("max_concurrency", capability.maxConcurrency())
                            .put("healthy", registry.isHealthy(worker, now))
                            .put("in_flight_via_gateway", admission.inFlight(worker.workerId(), key));
                    provider.set("reported_load", worker.load());
                }
            }
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
            entry.putObject("counters")
                    .put("gateway_calls", calls)
                    .put("gateway_non_2xx", failures)
                    .put("gateway_429", tooMany)
                    .put("gateway_retries", (long) meters.counter("crank.gateway.retries", "capability", key).count());
        }
        return CrankResponse.json(answer);
    }

    private static int intParameter(CrankRequest request, String name, int defaultValue, int min, int max) {
        Optional<String> text = request.queryParam(name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw CrankException.badRequest("INVALID_" + name.toUpperCase(java.util.Locale.ROOT), name + ": '" + text.get()
                + "' (expected: an integer " + min + "-" + max + ")");
    }

    /** Only the worker itself (its certificate names {@code workerId}) or an admin may act for it. */
    private static void authorize(CrankRequest request, String workerId) {
        PeerIdentity peer = request.peer().orElseThrow(() ->
                CrankException.forbidden("The client certificate carries no Crank identity"));
        if (peer.isAdmin() || peer.workerId().map(workerId::equals).orElse(false)) {
            return;
        }
        throw CrankException.forbidden("Identity " + peer + " may not act for worker " + workerId);
    }

    private static JsonNode jsonObject(CrankRequest request) {
        if (!request.isJson()) {
            throw new CrankException(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type " + request.contentType()
                    + " is not accepted here (expected: application/json)");
        }
        JsonNode body = request.json();
        if (!body.isObject()) {
            throw CrankException.badRequest("INVALID_BODY", "The body must be a JSON object");
        }
        return body;
    }

    /** A JSON object, or the fields of a form-urlencoded body. */
    private static JsonNode fields(CrankRequest request) {
        if (!"application/x-www-form-urlencoded".equals(request.contentType())) {
            return jsonObject(request);
        }
        ObjectNode node = CrankJson.object();
        new QueryStringDecoder("?" + request.bodyText()).parameters().forEach((name, values) -> {
            if (!values.isEmpty()) {
                node.put(name, values.get(0));
            }
        });
        return node;
    }

    private static String workerId(JsonNode body) {
        return RegistrationRules.workerId(body.get("worker_id"));
    }

    private static String identifier(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || !IDENTIFIER.matcher(value.asText()).matches()) {
            throw CrankException.badRequest("INVALID_" + field.toUpperCase(), field + ": expected a string matching [a-z][a-z0-9_]*");
        }
        return value.asText();
    }
}
