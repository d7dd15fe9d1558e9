package dev.crank.controller;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankJson;
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

    private static final int[] NOTHING_REPORTED = new int[0];

    private final String workerId;
    private final URI workerUrl;
    private final List<CapabilitySchema> capabilities;
    /** {@code keys[i]} is the key of {@code capabilities[i]}, built once (interned, so shared between workers), not per call. */
    private final String[] keys;
    /** Compact JSON: views parse it when they show it (a tree per worker would cost ten times the bytes). */
    private final byte[] metadata;
    private final String device;
    private final Instant registeredAt;
    private final boolean onGpu;
    private volatile Instant lastHeartbeat;
    private volatile boolean restored;
    private volatile byte[] load;
    /** {@code in_flight} of the last load report, per capability in declaration order: what routing reads. */
    private volatile int[] reportedInFlight;

    public RegisteredWorker(String workerId, URI workerUrl, List<CapabilitySchema> capabilities, ObjectNode metadata,
                            Instant registeredAt, Instant lastHeartbeat, boolean restored, ObjectNode load) {
        this.workerId = requireNonNull(workerId, "workerId");
        this.workerUrl = requireNonNull(workerUrl, "workerUrl");
        this.capabilities = List.copyOf(capabilities);
        this.keys = new String[this.capabilities.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = this.capabilities.get(i).key().intern();
        }
        this.metadata = CrankJson.bytes(requireNonNull(metadata, "metadata"));
        this.device = metadata.path("device").asText("cpu").intern();
        this.registeredAt = requireNonNull(registeredAt, "registeredAt");
        this.lastHeartbeat = requireNonNull(lastHeartbeat, "lastHeartbeat");
        this.restored = restored;
        report(requireNonNull(load, "load"));
        String lower = device.toLowerCase(Locale.ROOT);
        this.onGpu = lower.startsWith("cuda") || lower.startsWith("gpu") || lower.startsWith("rocm");
    }

    /** Records a heartbeat: routable again (restored or expired), with the load it reported. */
    void heartbeat(Instant at, ObjectNode newLoad) {
        report(requireNonNull(newLoad, "newLoad"));
        lastHeartbeat = requireNonNull(at, "at");
        restored = false;
    }

    private void report(ObjectNode newLoad) {
        JsonNode inFlight = newLoad.path("in_flight");
        int[] reported = NOTHING_REPORTED;
        if (inFlight.isObject() && !inFlight.isEmpty()) {
            reported = new int[capabilities.size()];
            for (int i = 0; i < reported.length; i++) {
                reported[i] = Math.max(0, inFlight.path(keys[i]).asInt(0));
            }
        }
        reportedInFlight = reported;
        load = newLoad.isEmpty() ? EMPTY : CrankJson.bytes(newLoad);
    }

    private static final byte[] EMPTY = {'{', '}'};

    public String workerId() {
        return workerId;
    }

    public URI workerUrl() {
        return workerUrl;
    }

    public List<CapabilitySchema> capabilities() {
        return capabilities;
    }

    /** The registration metadata (a fresh copy). */
    public ObjectNode metadata() {
        return (ObjectNode) CrankJson.parse(metadata);
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

    /** The load the worker reported in its last heartbeat (a fresh copy; empty before the first). */
    public ObjectNode load() {
        return (ObjectNode) CrankJson.parse(load);
    }

    /** What the worker reported in flight for {@code key} in its last heartbeat (0 when it did not say). */
    public int reportedInFlight(String key) {
        int[] reported = reportedInFlight;
        for (int i = 0; i < reported.length; i++) {
            if (keys[i].equals(key)) {
                return reported[i];
            }
        }
        return 0;
    }

    public boolean offers(String key) {
        return capability(key).isPresent();
    }

    /** The declared {@code max_concurrency} of {@code key} on this worker (0 when it does not offer it). */
    public int maxConcurrency(String key) {
        int at = indexOf(key);
        return at < 0 ? 0 : capabilities.get(at).maxConcurrency();
    }

    public Optional<CapabilitySchema> capability(String key) {
        int at = indexOf(key);
        return at < 0 ? Optional.empty() : Optional.of(capabilities.get(at));
    }

    private int indexOf(String key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** The device from the registration metadata, {@code cpu} when absent. */
    public String device() {
        return device;
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
