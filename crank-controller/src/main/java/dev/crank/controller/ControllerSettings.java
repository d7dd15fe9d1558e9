package dev.crank.controller;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What only the controller needs: how long a worker stays routable without a heartbeat
 * ({@code CONTROLLER_HEARTBEAT_TIMEOUT}, default 90 s = three missed beats), how much longer it is
 * kept before eviction (default: the same again), and where the registry lives: a {@link RegistryStore},
 * by default the embedded database {@code <data dir>/controller/registry.db} ({@code CONTROLLER_STATE_FILE}).
 * A first-round {@code registry.jsonl} beside it is imported once. As a gateway: how long a call waits
 * for a free slot before 429 (default 1 s), how long it waits for a worker's response head (default
 * 60 s), and how many workers one call may try (default 3). Which workers may provide which
 * capabilities: {@link CapabilityPolicy} ({@code CONTROLLER_POLICY}, default open).
 */
public record ControllerSettings(Duration heartbeatTimeout, Duration evictionGrace, Path stateFile,
                                 Duration queueTimeout, Duration upstreamTimeout, int maxAttempts, CapabilityPolicy policy,
                                 RegistryStore store) {

    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(90);
    public static final String DATABASE_FILE = "registry.db";

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
        requireNonNull(store, "store");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
        }
        if (evictionGrace.isNegative()) {
            throw new IllegalArgumentException("evictionGrace: " + evictionGrace + " (expected: >= 0)");
        }
    }

    /** Defaults for a data directory. */
    public static ControllerSettings defaults(Path dataDir) {
        Path database = dataDir.resolve("controller").resolve(DATABASE_FILE);
        return new ControllerSettings(DEFAULT_HEARTBEAT_TIMEOUT, DEFAULT_HEARTBEAT_TIMEOUT, database, Duration.ofSeconds(1),
                Duration.ofSeconds(60), 3, CapabilityPolicy.open(), new SqliteRegistryStore(database));
    }

    /** The first round's snapshot beside the database, imported once at start if it exists. */
    public Optional<Path> legacyStateFile() {
        Path parent = stateFile.toAbsolutePath().getParent();
        return Optional.of(parent.resolve(LegacySnapshot.FILE_NAME));
    }

    public ControllerSettings withHeartbeatTimeout(Duration timeout) {
        return new ControllerSettings(timeout, evictionGrace, stateFile, queueTimeout, upstreamTimeout, maxAttempts, policy, store);
    }

    public ControllerSettings withEvictionGrace(Duration grace) {
        return new ControllerSettings(heartbeatTimeout, grace, stateFile, queueTimeout, upstreamTimeout, maxAttempts, policy, store);
    }

    /**
     * The embedded database at {@code file}; a path ending in {@code .jsonl} (a first-round setting) means the
     * database {@code registry.db} beside it, into which that file is imported.
     */
    public ControllerSettings withStateFile(Path file) {
        Path database = file.getFileName().toString().endsWith(".jsonl") ? file.resolveSibling(DATABASE_FILE) : file;
        return new ControllerSettings(heartbeatTimeout, evictionGrace, database, queueTimeout, upstreamTimeout, maxAttempts, policy,
                new SqliteRegistryStore(database));
    }

    /** Another store behind the same seam (etcd for several controllers). */
    public ControllerSettings withStore(RegistryStore newStore) {
        return new ControllerSettings(heartbeatTimeout, evictionGrace, stateFile, queueTimeout, upstreamTimeout, maxAttempts, policy, newStore);
    }

    public ControllerSettings withPolicy(CapabilityPolicy newPolicy) {
        return new ControllerSettings(heartbeatTimeout, evictionGrace, stateFile, queueTimeout, upstreamTimeout, maxAttempts, newPolicy, store);
    }

    public ControllerSettings withQueueTimeout(Duration timeout) {
        return new ControllerSettings(heartbeatTimeout, evictionGrace, stateFile, timeout, upstreamTimeout, maxAttempts, policy, store);
    }
}
