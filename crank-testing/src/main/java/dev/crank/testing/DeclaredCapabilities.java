package dev.crank.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.ClientResponse;
import dev.crank.core.CapabilitySchema;

/** A capability as a running worker declares it on {@code GET /capabilities}: the contract callers see. */
final class DeclaredCapabilities {

    private DeclaredCapabilities() {}

    static CapabilitySchema find(ClientResponse capabilities, String key) {
        if (capabilities.status() != 200) {
            throw new IllegalStateException("GET /capabilities answered " + capabilities.status() + ": " + capabilities.bodyText());
        }
        for (JsonNode declared : capabilities.json()) {
            CapabilitySchema capability = CapabilitySchema.fromJson(declared);
            if (capability.key().equals(key)) {
                return capability;
            }
        }
        throw new IllegalArgumentException("the worker declares no capability " + key);
    }
}
