package dev.crank.controller;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A worker as the registry knows it: what it registered (immutable) and its liveness (the last
 * heartbeat and the load it reported), which a heartbeat updates in place so that the capability
 * index never changes on a heartbeat. {@code restored} entries were read from the store and become
 * routable on their first heartbeat.
 */
public final class RegisteredWorker {

    private final String workerId;
    private final URI workerUrl;
    private final List<CapabilitySchema> capabilities;
    private final ObjectNode metadata;
    private final Instant registeredAt;
    private final boolean onGpu;
    private volatile Instant lastHeartbeat;
    private volatile boolean restored;
    private volatile ObjectNode load;

    public RegisteredWorker(String workerId, URI workerUrl, List<CapabilitySchema> capabilities, ObjectNode metadata,
                            Instant registeredAt, Instant lastHeartbeat, boolean restored, ObjectNode load) {
        this.workerId = requireNonNull(workerId, "workerId");
        this.workerUrl = requireNonNull(workerUrl, "workerUrl");
        this.capabilities = List.copyOf(capabilities);
        this.metadata = requireNonNull(metadata, "metadata");
        this.registeredAt = requireNonNull(registeredAt, "registeredAt");
        this.lastHeartbeat = requireNonNull(lastHeartbeat, "lastHeartbeat");
        this.restored = restored;
        this.load = requireNonNull(load, "load");
        String device = metadata.path("device").asText("cpu").toLowerCase(Locale.ROOT);
        this.onGpu = device.startsWith("cuda") || device.startsWith("gpu") || device.startsWith("rocm");
    }

    /** The same registration with other capability instances (interned ones), liveness carried over. */
    RegisteredWorker withCapabilities(List<CapabilitySchema> shared) {
        return new RegisteredWorker(workerId, workerUrl, shared, metadata, registeredAt, lastHeartbeat, restored, load);
    }

    /** Records a heartbeat: routable again (restored or expired), with the load it reported. */
    void heartbeat(Instant at, ObjectNode newLoad) {
        load = requireNonNull(newLoad, "newLoad");
        lastHeartbeat = requireNonNull(at, "at");
        restored = false;
    }

    public String workerId() {
        return workerId;
    }

    public URI workerUrl() {
        return workerUrl;
    }

    public List<CapabilitySchema> capabilities() {
        return capabilities;
    }

    public ObjectNode metadata() {
        return metadata;
    }

    public Instant registeredAt() {
        return registeredAt;
    }

    public Instant lastHeartbeat() {
        return lastHeartbeat;
    }

    public boolean restored() {
        return restored;
    }

    public ObjectNode load() {
        return load;
    }

    public boolean offers(String key) {
        return capability(key).isPresent();
    }

    /** The declared {@code max_concurrency} of {@code key} on this worker (0 when it does not offer it). */
    public int maxConcurrency(String key) {
        return capability(key).map(CapabilitySchema::maxConcurrency).orElse(0);
    }

    public Optional<CapabilitySchema> capability(String key) {
        for (CapabilitySchema capability : capabilities) {
            if (capability.key().equals(key)) {
                return Optional.of(capability);
            }
        }
        return Optional.empty();
    }

    /** The device from the registration metadata, {@code cpu} when absent. */
    public String device() {
        return metadata.path("device").asText("cpu");
    }

    /** Whether the worker says it runs on a GPU ({@code cuda:0}, {@code gpu}, ...). */
    public boolean onGpu() {
        return onGpu;
    }

    @Override
    public String toString() {
        return workerId + " at " + workerUrl;
    }
}
