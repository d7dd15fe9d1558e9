package dev.crank.controller;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A worker as the registry knows it. {@code restored} entries were read from the state file and
 * become routable on their first heartbeat.
 */
public record RegisteredWorker(String workerId, URI workerUrl, List<CapabilitySchema> capabilities, ObjectNode metadata,
                               Instant registeredAt, Instant lastHeartbeat, boolean restored, ObjectNode load) {

    public RegisteredWorker {
        requireNonNull(workerId, "workerId");
        requireNonNull(workerUrl, "workerUrl");
        capabilities = List.copyOf(capabilities);
        requireNonNull(metadata, "metadata");
        requireNonNull(registeredAt, "registeredAt");
        requireNonNull(lastHeartbeat, "lastHeartbeat");
        requireNonNull(load, "load");
    }

    public RegisteredWorker heartbeat(Instant at, ObjectNode newLoad) {
        return new RegisteredWorker(workerId, workerUrl, capabilities, metadata, registeredAt, at, false, newLoad);
    }

    public boolean offers(String key) {
        for (CapabilitySchema capability : capabilities) {
            if (capability.key().equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** The declared {@code max_concurrency} of {@code key} on this worker (0 when it does not offer it). */
    public int maxConcurrency(String key) {
        for (CapabilitySchema capability : capabilities) {
            if (capability.key().equals(key)) {
                return capability.maxConcurrency();
            }
        }
        return 0;
    }

    public java.util.Optional<CapabilitySchema> capability(String key) {
        return capabilities.stream().filter(capability -> capability.key().equals(key)).findFirst();
    }

    /** The device from the registration metadata, {@code cpu} when absent. */
    public String device() {
        return metadata.path("device").asText("cpu");
    }

    /** Whether the worker says it runs on a GPU ({@code cuda:0}, {@code gpu}, ...). */
    public boolean onGpu() {
        String device = device().toLowerCase(Locale.ROOT);
        return device.startsWith("cuda") || device.startsWith("gpu") || device.startsWith("rocm");
    }
}
