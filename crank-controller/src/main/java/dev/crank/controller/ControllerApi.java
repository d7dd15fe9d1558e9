package dev.crank.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.PeerIdentity;
import dev.crank.core.internal.Json;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The controller protocol of DESIGN §4: parses and checks requests, then asks the {@link Registry}. */
final class ControllerApi {

    private static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]*");

    private final Registry registry;
    private final Admission admission;
    private final Duration heartbeatInterval;

    ControllerApi(Registry registry, Admission admission, Duration heartbeatInterval) {
        this.registry = registry;
        this.admission = admission;
        this.heartbeatInterval = heartbeatInterval;
    }

    CrankResponse register(CrankRequest request) {
        JsonNode body = jsonObject(request);
        String workerId = workerId(body);
        authorize(request, workerId);
        URI url = workerUrl(body.get("worker_url"));
        JsonNode capabilitiesNode = body.get("capabilities");
        if (capabilitiesNode == null || !capabilitiesNode.isArray() || capabilitiesNode.isEmpty()) {
            throw CrankException.badRequest("INVALID_CAPABILITIES", "capabilities: expected a non-empty array of capability schemas");
        }
        List<CapabilitySchema> capabilities = new ArrayList<>();
        for (int i = 0; i < capabilitiesNode.size(); i++) {
            try {
                capabilities.add(CapabilitySchema.fromJson(capabilitiesNode.get(i)));
            } catch (IllegalArgumentException e) {
                throw CrankException.badRequest("INVALID_CAPABILITY", "capabilities[" + i + "]: " + e.getMessage());
            }
        }
        long distinct = capabilities.stream().map(CapabilitySchema::key).distinct().count();
        if (distinct != capabilities.size()) {
            throw CrankException.badRequest("DUPLICATE_CAPABILITY", "capabilities: a verb:name appears twice");
        }
        JsonNode metadata = body.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw CrankException.badRequest("INVALID_METADATA", "metadata: expected an object");
        }
        registry.register(workerId, url, capabilities,
                metadata == null || metadata.isNull() ? Json.object() : (ObjectNode) metadata.deepCopy());
        ObjectNode answer = Json.object()
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
        boolean known = registry.heartbeat(workerId, load instanceof ObjectNode object ? object.deepCopy() : Json.object());
        if (!known) {
            ObjectNode answer = Json.object()
                    .put("status", "unknown_worker")
                    .put("acknowledged", false)
                    .put("worker_id", workerId)
                    .put("code", "UNKNOWN_WORKER")
                    .put("detail", "The controller does not know " + workerId + "; register again");
            return CrankResponse.json(404, answer);
        }
        return CrankResponse.json(Json.object().put("status", "ok").put("acknowledged", true));
    }

    CrankResponse deregister(CrankRequest request) {
        return deregister(request, workerId(fields(request)));
    }

    CrankResponse deregisterById(CrankRequest request) {
        String workerId = request.pathParam("worker_id");
        if (!WORKER_ID.matcher(workerId).matches()) {
            throw CrankException.badRequest("INVALID_WORKER_ID", "worker_id: expected [A-Za-z0-9._-]{1,128}");
        }
        return deregister(request, workerId);
    }

    private CrankResponse deregister(CrankRequest request, String workerId) {
        authorize(request, workerId);
        boolean[] removed = new boolean[1];
        admission.exclusively(() -> removed[0] = registry.deregister(workerId));
        if (!removed[0]) {
            throw CrankException.notFound("UNKNOWN_WORKER", "The controller does not know " + workerId);
        }
        return CrankResponse.json(Json.object().put("status", "deregistered").put("worker_id", workerId));
    }

    CrankResponse route(CrankRequest request) {
        JsonNode body = jsonObject(request);
        String verb = identifier(body, "verb");
        String name = identifier(body, "capability");
        String key = verb + ":" + name;
        RegisteredWorker worker = admission.choose(key).orElseThrow(() ->
                CrankException.notFound("NO_HEALTHY_WORKER", "No healthy worker offers " + key));
        return CrankResponse.json(Json.object()
                .put("worker_id", worker.workerId())
                .put("worker_url", worker.workerUrl().toString())
                .put("capability", key));
    }

    CrankResponse capabilities(CrankRequest request) {
        Map<String, ObjectNode> byKey = new TreeMap<>();
        for (RegisteredWorker worker : registry.workers()) {
            boolean healthy = registry.isHealthy(worker);
            for (CapabilitySchema capability : worker.capabilities()) {
                ObjectNode entry = byKey.computeIfAbsent(capability.key(), key -> {
                    ObjectNode created = Json.object()
                            .put("verb", capability.verb())
                            .put("name", capability.name())
                            .put("workers", 0)
                            .put("healthy_workers", 0);
                    created.putArray("versions");
                    created.putArray("worker_ids");
                    return created;
                });
                entry.put("workers", entry.get("workers").intValue() + 1);
                if (healthy) {
                    entry.put("healthy_workers", entry.get("healthy_workers").intValue() + 1);
                }
                addUnique((ArrayNode) entry.get("versions"), capability.version());
                ((ArrayNode) entry.get("worker_ids")).add(worker.workerId());
                entry.put("requires_gpu", entry.path("requires_gpu").asBoolean(false) || capability.requiresGpu());
            }
        }
        ObjectNode answer = Json.object();
        byKey.forEach(answer::set);
        return CrankResponse.json(answer);
    }

    CrankResponse workers(CrankRequest request) {
        ObjectNode answer = Json.object();
        ArrayNode list = answer.putArray("workers");
        for (RegisteredWorker worker : registry.workers()) {
            ObjectNode node = list.addObject();
            boolean healthy = registry.isHealthy(worker);
            node.put("worker_id", worker.workerId());
            node.put("worker_url", worker.workerUrl().toString());
            node.put("is_healthy", healthy);
            node.put("state", worker.restored() ? "awaiting_heartbeat" : healthy ? "active" : "expired");
            node.put("last_heartbeat", worker.lastHeartbeat().toString());
            node.put("registered_at", worker.registeredAt().toString());
            ArrayNode keys = node.putArray("capabilities");
            worker.capabilities().forEach(capability -> keys.add(capability.key()));
            node.put("device", worker.device());
            node.set("metadata", worker.metadata());
            node.set("load", worker.load());
        }
        return CrankResponse.json(answer);
    }

    /** Every capability with its versions, schemas, providers (device, bound, health, load) and live counters. */
    CrankResponse catalog(MeterRegistry meters) {
        Map<String, ObjectNode> byKey = new TreeMap<>();
        for (RegisteredWorker worker : registry.workers()) {
            boolean healthy = registry.isHealthy(worker);
            for (CapabilitySchema capability : worker.capabilities()) {
                ObjectNode entry = byKey.computeIfAbsent(capability.key(), key -> {
                    ObjectNode created = Json.object().put("capability", key);
                    created.putObject("versions");
                    created.putArray("providers");
                    long calls = 0;
                    long failures = 0;
                    for (Timer timer : meters.find("crank.gateway.requests").tag("capability", key).timers()) {
                        calls += timer.count();
                        if (!timer.getId().getTag("status").startsWith("2")) {
                            failures += timer.count();
                        }
                    }
                    created.putObject("counters")
                            .put("gateway_calls", calls)
                            .put("gateway_non_2xx", failures)
                            .put("gateway_retries", (long) meters.counter("crank.gateway.retries", "capability", key).count());
                    return created;
                });
                ObjectNode version = ((ObjectNode) entry.get("versions")).putObject(capability.version());
                version.set("input_schema", capability.inputSchema());
                version.set("output_schema", capability.outputSchema());
                version.put("description", capability.description());
                version.put("idempotent", capability.idempotent());
                version.put("requires_gpu", capability.requiresGpu());
                ObjectNode provider = ((ArrayNode) entry.get("providers")).addObject()
                        .put("worker_id", worker.workerId())
                        .put("worker_url", worker.workerUrl().toString())
                        .put("version", capability.version())
                        .put("device", worker.device())
                        .put("max_concurrency", capability.maxConcurrency())
                        .put("healthy", healthy)
                        .put("in_flight_via_gateway", admission.inFlight(worker.workerId(), capability.key()));
                provider.set("reported_load", worker.load());
            }
        }
        ObjectNode answer = Json.object();
        answer.put("capability_count", byKey.size());
        ObjectNode capabilities = answer.putObject("capabilities");
        byKey.forEach(capabilities::set);
        return CrankResponse.json(answer);
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
        ObjectNode node = Json.object();
        new QueryStringDecoder("?" + request.bodyText()).parameters().forEach((name, values) -> {
            if (!values.isEmpty()) {
                node.put(name, values.get(0));
            }
        });
        return node;
    }

    private static String workerId(JsonNode body) {
        JsonNode value = body.get("worker_id");
        if (value == null || value.isNull()) {
            throw CrankException.badRequest("MISSING_WORKER_ID", "worker_id: missing");
        }
        if (!value.isTextual() || !WORKER_ID.matcher(value.asText()).matches()) {
            throw CrankException.badRequest("INVALID_WORKER_ID", "worker_id: expected a string matching [A-Za-z0-9._-]{1,128}");
        }
        return value.asText();
    }

    private static URI workerUrl(JsonNode value) {
        if (value == null || !value.isTextual()) {
            throw CrankException.badRequest("INVALID_WORKER_URL", "worker_url: expected an https:// URL string");
        }
        try {
            return WorkerUrl.parse(value.asText());
        } catch (IllegalArgumentException e) {
            throw CrankException.badRequest("INVALID_WORKER_URL", e.getMessage());
        }
    }

    private static String identifier(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || !IDENTIFIER.matcher(value.asText()).matches()) {
            throw CrankException.badRequest("INVALID_" + field.toUpperCase(), field + ": expected a string matching [a-z][a-z0-9_]*");
        }
        return value.asText();
    }

    private static void addUnique(ArrayNode array, String value) {
        for (JsonNode item : array) {
            if (item.asText().equals(value)) {
                return;
            }
        }
        array.add(value);
    }
}
