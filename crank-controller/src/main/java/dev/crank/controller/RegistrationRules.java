package dev.crank.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankJson;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What makes a registration well-formed, the same at {@code /register} and when the store is read at
 * start: an id, an https origin, 1 to {@value #MAX_CAPABILITIES} distinct capabilities, an object of
 * metadata. Contracts (schemas, versions) are checked by {@link Contracts}.
 */
final class RegistrationRules {

    static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    static final int MAX_CAPABILITIES = 1_000;

    private RegistrationRules() {}

    static String workerId(JsonNode value) {
        if (value == null || value.isNull()) {
            throw CrankException.badRequest("MISSING_WORKER_ID", "worker_id: missing");
        }
        if (!value.isTextual() || !WORKER_ID.matcher(value.asText()).matches()) {
            throw CrankException.badRequest("INVALID_WORKER_ID", "worker_id: expected a string matching [A-Za-z0-9._-]{1,128}");
        }
        return value.asText();
    }

    static URI workerUrl(JsonNode value) {
        if (value == null || !value.isTextual()) {
            throw CrankException.badRequest("INVALID_WORKER_URL", "worker_url: expected an https:// URL string");
        }
        try {
            return WorkerUrl.parse(value.asText());
        } catch (IllegalArgumentException e) {
            throw CrankException.badRequest("INVALID_WORKER_URL", e.getMessage());
        }
    }

    static List<CapabilitySchema> capabilities(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw CrankException.badRequest("INVALID_CAPABILITIES", "capabilities: expected a non-empty array of capability schemas");
        }
        if (node.size() > MAX_CAPABILITIES) {
            throw CrankException.badRequest("TOO_MANY_CAPABILITIES", "capabilities: " + node.size()
                    + " (expected: at most " + MAX_CAPABILITIES + " per worker)");
        }
        List<CapabilitySchema> capabilities = new ArrayList<>(node.size());
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            CapabilitySchema capability;
            try {
                capability = CapabilitySchema.fromJson(node.get(i));
            } catch (IllegalArgumentException e) {
                throw CrankException.badRequest("INVALID_CAPABILITY", "capabilities[" + i + "]: " + e.getMessage());
            }
            if (!keys.add(capability.key())) {
                throw CrankException.badRequest("DUPLICATE_CAPABILITY", "capabilities: " + capability.key() + " appears twice");
            }
            capabilities.add(capability);
        }
        return capabilities;
    }

    static ObjectNode metadata(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return CrankJson.object();
        }
        if (!metadata.isObject()) {
            throw CrankException.badRequest("INVALID_METADATA", "metadata: expected an object");
        }
        return (ObjectNode) metadata.deepCopy();
    }

    /** A stored document as a restored worker (routable on its first heartbeat); a {@link CrankException} says why not. */
    static RegisteredWorker decode(ObjectNode document, Instant now) {
        return decode(document, capabilities(document.get("capabilities")), now);
    }

    /** As {@link #decode(ObjectNode, Instant)}, with its capabilities already decoded (shared by workers that declare the same). */
    static RegisteredWorker decode(ObjectNode document, List<CapabilitySchema> capabilities, Instant now) {
        Instant registeredAt;
        try {
            registeredAt = document.hasNonNull("registered_at") ? Instant.parse(document.get("registered_at").asText()) : now;
        } catch (DateTimeParseException e) {
            throw CrankException.badRequest("INVALID_REGISTERED_AT", "registered_at: " + e.getParsedString());
        }
        return new RegisteredWorker(workerId(document.get("worker_id")), workerUrl(document.get("worker_url")),
                capabilities, metadata(document.get("metadata")), registeredAt, now, true, CrankJson.object());
    }
}
