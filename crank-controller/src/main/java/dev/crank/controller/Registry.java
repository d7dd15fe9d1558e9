package dev.crank.controller;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live workers, safe for concurrent use. A worker is routable while its last heartbeat is
 * within the heartbeat timeout (restored workers only after their first heartbeat), and evicted once
 * it is older than timeout plus grace. Every change of membership is persisted before it is
 * acknowledged; heartbeats are not (a restart gives every worker a fresh window anyway).
 */
public final class Registry {

    private static final Logger logger = LoggerFactory.getLogger(Registry.class);

    private final Map<String, RegisteredWorker> workers = new ConcurrentHashMap<>();
    private final Clock clock;
    private final ControllerSettings settings;
    private final Contracts contracts;
    private final RegistryStore store;
    private final Object membership = new Object();
    private final AtomicLong registrations = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();

    Registry(Clock clock, ControllerSettings settings, Contracts contracts) {
        this.clock = requireNonNull(clock, "clock");
        this.settings = requireNonNull(settings, "settings");
        this.contracts = requireNonNull(contracts, "contracts");
        this.store = new RegistryStore(settings.stateFile());
    }

    /** Loads the state file; restored workers become routable on their first heartbeat. */
    int restore() {
        List<RegisteredWorker> restored = store.read(clock.instant());
        restored.forEach(worker -> workers.put(worker.workerId(), worker));
        if (!restored.isEmpty()) {
            logger.info("Restored {} workers from {}; they are routable again on their next heartbeat", restored.size(), store.file());
        }
        return restored.size();
    }

    /**
     * Adds or replaces a worker whose contracts agree with the registered ones (400/403/409 otherwise).
     * Schemas are compiled before the membership lock is taken, so a slow schema never delays another
     * registration or a deregistration. Lock order: the admission stamp (deregistration), then this
     * registry's membership monitor; the registry never calls admission.
     */
    public void register(String workerId, java.net.URI url, List<CapabilitySchema> capabilities, ObjectNode metadata) {
        capabilities.forEach(capability -> settings.policy().check(workerId, capability.key()));
        Contracts.Compiled compiled = contracts.compile(capabilities);
        Instant now = clock.instant();
        RegisteredWorker worker = new RegisteredWorker(workerId, url, capabilities, metadata, now, now, false,
                dev.crank.core.internal.Json.object());
        synchronized (membership) {
            contracts.check(workerId, compiled, workers());
            workers.put(workerId, worker);
            persist();
            contracts.publish(compiled);
        }
        registrations.incrementAndGet();
        logger.info("Registered {} at {} with {}", workerId, url, capabilities.stream().map(CapabilitySchema::key).toList());
    }

    /** Refreshes a worker; false when the registry does not know it (it must register again). */
    public boolean heartbeat(String workerId, ObjectNode load) {
        Instant now = clock.instant();
        RegisteredWorker updated = workers.computeIfPresent(workerId, (id, worker) -> worker.heartbeat(now, load));
        heartbeats.incrementAndGet();
        return updated != null;
    }

    /** Removes a worker at once; no route names it afterwards. */
    public boolean deregister(String workerId) {
        synchronized (membership) {
            RegisteredWorker removed = workers.remove(workerId);
            if (removed == null) {
                return false;
            }
            persist();
        }
        logger.info("Deregistered {}", workerId);
        return true;
    }

    /** Forgets every worker (an operator reset, or a test of re-registration). */
    public void clear() {
        synchronized (membership) {
            workers.clear();
            persist();
        }
        logger.warn("Registry cleared");
    }

    /** The healthy workers offering {@code capability}, sorted by id. */
    public List<RegisteredWorker> healthyFor(String capability) {
        Instant now = clock.instant();
        List<RegisteredWorker> healthy = new ArrayList<>();
        for (RegisteredWorker worker : workers.values()) {
            if (worker.offers(capability) && isHealthy(worker, now)) {
                healthy.add(worker);
            }
        }
        healthy.sort(Comparator.comparing(RegisteredWorker::workerId));
        return healthy;
    }

    public boolean isHealthy(RegisteredWorker worker) {
        return isHealthy(worker, clock.instant());
    }

    private boolean isHealthy(RegisteredWorker worker, Instant now) {
        return !worker.restored() && !now.isAfter(worker.lastHeartbeat().plus(settings.heartbeatTimeout()));
    }

    /** Every known worker, sorted by id. */
    public List<RegisteredWorker> workers() {
        List<RegisteredWorker> all = new ArrayList<>(workers.values());
        all.sort(Comparator.comparing(RegisteredWorker::workerId));
        return all;
    }

    public Optional<RegisteredWorker> worker(String workerId) {
        return Optional.ofNullable(workers.get(workerId));
    }

    /** Evicts workers silent for longer than timeout plus grace; returns how many. */
    public int sweep() {
        Instant cutoff = clock.instant().minus(settings.heartbeatTimeout()).minus(settings.evictionGrace());
        List<String> evicted = new ArrayList<>();
        synchronized (membership) {
            workers.values().removeIf(worker -> {
                if (worker.lastHeartbeat().isBefore(cutoff)) {
                    evicted.add(worker.workerId());
                    evictions.incrementAndGet();
                    return true;
                }
                return false;
            });
            if (!evicted.isEmpty()) {
                persist();
            }
        }
        if (!evicted.isEmpty()) {
            logger.warn("Evicted {} after {} without a heartbeat", evicted,
                    settings.heartbeatTimeout().plus(settings.evictionGrace()));
        }
        return evicted.size();
    }

    public long registrations() {
        return registrations.get();
    }

    public long heartbeats() {
        return heartbeats.get();
    }

    public long evictions() {
        return evictions.get();
    }

    Duration heartbeatTimeout() {
        return settings.heartbeatTimeout();
    }

    private void persist() {
        store.write(workers());
    }
}
