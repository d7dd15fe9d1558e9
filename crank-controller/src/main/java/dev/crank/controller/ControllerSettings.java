package dev.crank.controller;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What only the controller needs: how long a worker stays routable without a heartbeat
 * ({@code CONTROLLER_HEARTBEAT_TIMEOUT}, default 90 s = three missed beats), how much longer it is
 * kept before eviction (default: the same again), and the registry state file
 * ({@code CONTROLLER_STATE_FILE}, default {@code <data dir>/controller/registry.jsonl}). As a gateway: how
 * long a call waits for a free slot before 429 (default 1 s), how long it waits for a worker's
 * response head (default 60 s), and how many workers one call may try (default 3). Which workers may
 * provide which capabilities: {@link CapabilityPolicy} ({@code CONTROLLER_POLICY}, default open).
 */
public record ControllerSettings(Duration heartbeatTimeout, Duration evictionGrace, Path stateFile,
                                 Duration queueTimeout, Duration upstreamTimeout, int maxAttempts, CapabilityPolicy policy) {

    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(90);

    public ControllerSettings {
        requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        requireNonNull(evictionGrace, "evictionGrace");
        requireNonNull(stateFile, "stateFile");
        if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
            throw new IllegalArgumentException("heartbeatTimeout: " + heartbeatTimeout + " (expected: > 0)");
        }
        requireNonNull(queueTimeout, "queueTimeout");
        requireNonNull(upstreamTimeout, "upstreamTimeout");
        requireNonNull(policy, "policy");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
        }
        if (evictionGrace.isNegative()) {
            throw new IllegalArgumentException("evictionGrace: " + evictionGrace + " (expected: >= 0)");
        }
    }

    /** Defaults for a data directory. */
    public static ControllerSettings defaults(Path dataDir) {
        return new ControllerSettings(DEFAULT_HEARTBEAT_TIMEOUT, DEFAULT_HEARTBEAT_TIMEOUT,
                dataDir.resolve("controller").resolve("registry.jsonl"), Duration.ofSeconds(1), Duration.ofSeconds(60), 3, CapabilityPolicy.open());
    }

    public ControllerSettings withHeartbeatTimeout(Duration timeout) {
        return new ControllerSettings(timeout, evictionGrace, stateFile, queueTimeout, upstreamTimeout, maxAttempts, policy);
    }

    public ControllerSettings withEvictionGrace(Duration grace) {
        return new ControllerSettings(heartbeatTimeout, grace, stateFile, queueTimeout, upstreamTimeout, maxAttempts, policy);
    }

    public ControllerSettings withStateFile(Path file) {
        return new ControllerSettings(heartbeatTimeout, evictionGrace, file, queueTimeout, upstreamTimeout, maxAttempts, policy);
    }

    public ControllerSettings withPolicy(CapabilityPolicy newPolicy) {
        return new ControllerSettings(heartbeatTimeout, evictionGrace, stateFile, queueTimeout, upstreamTimeout, maxAttempts, newPolicy);
    }

    public ControllerSettings withQueueTimeout(Duration timeout) {
        return new ControllerSettings(heartbeatTimeout, evictionGrace, stateFile, timeout, upstreamTimeout, maxAttempts, policy);
    }
}
