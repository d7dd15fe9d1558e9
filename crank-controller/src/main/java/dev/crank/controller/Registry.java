package dev.crank.controller;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankJson;
import java.net.URI;
import java.time.InstantSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live workers, safe for concurrent use.
 *
 * <p>Membership changes (register, deregister, evict) are decided by one writer thread
 * ({@link MembershipWriter}), which hands every change queued since its last batch to the
 * {@link RegistryStore} at once and publishes them, in order, only after the store said they are
 * durable: persist first, then publish. Readers never lock: the workers sit in a sorted concurrent map,
 * and a capability index maps each {@code verb:name} to an immutable {@link Providers} set that is
 * replaced when membership changes, never on a heartbeat. A heartbeat updates its worker in place.
 *
 * <p>A worker is routable while its last heartbeat is within the heartbeat timeout (restored workers
 * only after their first heartbeat), and evicted once it is older than timeout plus grace; the
 * {@link ExpiryQueue} finds those in O(expired).
 *
 * <p>A worker leaves one way: a removal queued with the writer, decided, stored and published like a
 * registration. {@link #deregister} queues it for both deregistration endpoints and for {@link #clear},
 * {@link #sweep} for an eviction; removals that other controllers stored reach this one through the
 * shared store's follower ({@link #follow}) and are published the same way.
 */
public final class Registry implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(Registry.class);
    /** How long a caller waits for the store before 503 {@code STORE_UNAVAILABLE}. */
    static final Duration STORE_DEADLINE = Duration.ofSeconds(10);
    static final Duration STORE_RETRY_AFTER = Duration.ofSeconds(2);

    private final ConcurrentSkipListMap<String, RegisteredWorker> workers = new ConcurrentSkipListMap<>();
    private volatile Map<String, Providers> index = Map.of();
    private final InstantSource clock;
    private final ControllerSettings settings;
    private final Contracts contracts;
    private final RegistryStore store;
    private final CapabilityInterner interner = new CapabilityInterner();
    private final ExpiryQueue expiry;
    private final MembershipWriter writer;
    /** Read: between choosing a worker and handing it a request; write: publishing removals. */
    private final StampedLock dispatch = new StampedLock();
    private final AtomicLong registrations = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicLong unrenewed = new AtomicLong();
    private final AtomicInteger renewing = new AtomicInteger();

    Registry(InstantSource clock, ControllerSettings settings, Contracts contracts) {
        this.clock = requireNonNull(clock, "clock");
        this.settings = requireNonNull(settings, "settings");
        this.contracts = requireNonNull(contracts, "contracts");
        this.store = settings.store();
        this.expiry = new ExpiryQueue(settings.heartbeatTimeout().plus(settings.evictionGrace()));
        this.writer = new MembershipWriter(this, store);
    }

    /**
     * Opens the store, imports a first-round {@code registry.jsonl} beside it once, and loads every
     * stored registration that passes the checks of {@code /register}; restored workers become
     * routable again on their first heartbeat. Returns how many were restored.
     */
    int restore() {
        List<RegistryStore.Stored> stored = store.load();
        if (!store.shared() && settings.legacyStateFile().isPresent() && LegacySnapshot.importInto(settings.legacyStateFile().get(), store) > 0) {
            stored = store.load();
        }
        Instant now = clock.instant();
        Map<String, RegisteredWorker> accepted = new HashMap<>();
        Map<String, List<RegisteredWorker>> acceptedByKey = new HashMap<>();
        Map<Contracts.Compiled, Boolean> compiled = new IdentityHashMap<>();
        // Stores hand out one node per distinct capability set: decode, compile and intern each set once.
        Map<JsonNode, Object> sets = new IdentityHashMap<>();
        for (RegistryStore.Stored entry : stored) {
            try {
                Object set = sets.computeIfAbsent(entry.document().path("capabilities"), node -> {
                    try {
                        List<CapabilitySchema> capabilities = interner.intern(RegistrationRules.capabilities(node));
                        return contracts.compile(capabilities);
                    } catch (CrankException e) {
                        return e;
                    }
                });
                if (set instanceof CrankException e) {
                    throw e;
                }
                Contracts.Compiled registration = (Contracts.Compiled) set;
                RegisteredWorker worker = RegistrationRules.decode(entry.document(), registration.capabilities(), now);
                if (!worker.workerId().equals(entry.workerId())) {
                    throw CrankException.badRequest("INVALID_WORKER_ID", "stored under " + entry.workerId() + " but names " + worker.workerId());
                }
                contracts.check(worker.workerId(), registration, key -> firstOther(key, worker.workerId(), accepted, acceptedByKey));
                if (store.shared()) {
                    worker.heartbeat(now, CrankJson.object()); // in the shared store means alive: its lease has not run out
                }
                accepted.put(worker.workerId(), worker);
                for (CapabilitySchema capability : worker.capabilities()) {
                    List<RegisteredWorker> first = acceptedByKey.computeIfAbsent(capability.key(), k -> new ArrayList<>(1));
                    if (first.isEmpty()) {
                        first.add(worker); // all providers of a key agree: one to compare with is enough
                    }
                }
                compiled.put(registration, true);
            } catch (CrankException | IllegalArgumentException e) {
                logger.warn("Not restoring {} from {}: {}", entry.workerId(), store.describe(), e.getMessage());
            }
        }
        publish(accepted);
        compiled.keySet().forEach(contracts::publish);
        writer.start();
        store.follow(new RegistryStore.Follower() {
            @Override
            public void changed(Map<String, Optional<ObjectNode>> changes) {
                follow(changes);
            }

            @Override
            public void committed(List<RegistryChange> changes) {
                publishCommitted(changes);
            }
        });
        if (!accepted.isEmpty()) {
            logger.info("Restored {} workers from {}; they are routable again on their next heartbeat", accepted.size(), store.describe());
        }
        return accepted.size();
    }

    /**
     * Adds or replaces a worker whose contracts agree with the registered ones (400/403/409 otherwise;
     * 503 {@code STORE_UNAVAILABLE} when the store cannot take it). Schemas are compiled here, on the
     * caller's thread, so a slow schema never delays another registration or a deregistration.
     */
    public void register(String workerId, URI url, List<CapabilitySchema> capabilities, ObjectNode metadata) {
        await(registerAsync(workerId, url, capabilities, metadata));
    }

    /**
     * {@link #register} without a thread waiting for the store: the checks that need no store run (and
     * throw) here; the future completes once the store committed the registration and it is routable, or
     * exceptionally with the answer (409 for a contract another registration won meanwhile, 503
     * {@code STORE_UNAVAILABLE} when the store did not take it within {@link #STORE_DEADLINE}).
     */
    CompletableFuture<Void> registerAsync(String workerId, URI url, List<CapabilitySchema> capabilities, ObjectNode metadata) {
        capabilities.forEach(capability -> settings.policy().check(workerId, capability.key()));
        Contracts.Compiled compiled = contracts.compile(capabilities);
        Instant now = clock.instant();
        RegisteredWorker worker = new RegisteredWorker(workerId, url, interner.intern(capabilities), metadata, now, now, false, CrankJson.object());
        if (store.weight(new RegistryChange.Register(worker)) > store.maxWeight()) {
            throw CrankException.badRequest("TOO_MANY_CAPABILITIES", capabilities.size() + " capabilities are more than one write to "
                    + store.describe() + " can carry (at most " + (store.maxWeight() - 1) + " per worker on this registry)");
        }
        return writer.register(worker, compiled).orTimeout(STORE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).handle((accepted, error) -> {
            if (error != null) {
                throw answer(error);
            }
            registrations.incrementAndGet();
            if (logger.isDebugEnabled()) {
                logger.debug("Registered {} at {} with {}", workerId, url, capabilities.stream().map(CapabilitySchema::key).toList());
            }
            return null;
        });
    }

    /**
     * Refreshes a worker; false when the registry does not know it (it must register again). With a
     * shared store the heartbeat renews the worker's lease there (503 {@code STORE_UNAVAILABLE} when it cannot).
     */
    public boolean heartbeat(String workerId, ObjectNode load) {
        return await(heartbeatAsync(workerId, load));
    }

    /**
     * {@link #heartbeat} without a thread waiting for the store: completes at once on a store of this
     * controller alone; on a shared store once it renewed the worker's lease (false when the lease ran
     * out), or exceptionally with 503 {@code STORE_UNAVAILABLE} when it did not within {@link #STORE_DEADLINE}.
     */
    CompletableFuture<Boolean> heartbeatAsync(String workerId, ObjectNode load) {
        heartbeats.incrementAndGet();
        RegisteredWorker worker = workers.get(workerId);
        if (worker == null) {
            return CompletableFuture.completedFuture(false);
        }
        if (!store.shared()) {
            worker.heartbeat(clock.instant(), load);
            return CompletableFuture.completedFuture(true);
        }
        renewing.incrementAndGet();
        CompletableFuture<Boolean> renewed;
        try {
            renewed = store.renew(workerId);
        } catch (RuntimeException e) {
            renewed = CompletableFuture.failedFuture(e);
        }
        return renewed.orTimeout(STORE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).handle((known, error) -> {
            renewing.decrementAndGet();
            if (error != null) {
                unrenewed.incrementAndGet();
                throw answer(error);
            }
            if (known) {
                worker.heartbeat(clock.instant(), load);
            }
            return known;
        });
    }

    /**
     * Removes a worker; once this returns no route names it and no gateway call is handed to it.
     * False when the registry does not know it.
     */
    public boolean deregister(String workerId) {
        return await(deregisterAsync(workerId));
    }

    /**
     * {@link #deregister} without a thread waiting for the store: completes once the removal is durable
     * and published (false: the registry does not know the worker), or exceptionally with the answer
     * (503 {@code STORE_UNAVAILABLE} when the store did not take it within {@link #STORE_DEADLINE}).
     */
    CompletableFuture<Boolean> deregisterAsync(String workerId) {
        return writer.deregister(workerId).orTimeout(STORE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).handle((removed, error) -> {
            if (error != null) {
                throw answer(error);
            }
            if (removed) {
                logger.info("Deregistered {}", workerId);
            }
            return removed;
        });
    }

    /** Forgets every worker (an operator reset, or a test of re-registration): a {@link #deregister} of each. */
    public void clear() {
        for (String workerId : new ArrayList<>(workers.keySet())) {
            deregister(workerId);
        }
        logger.warn("Registry cleared");
    }

    /** Evicts workers silent for longer than timeout plus grace; returns how many. */
    public int sweep() {
        if (store.shared()) {
            return 0; // the shared store removes a worker whose lease ran out
        }
        List<String> expired = expiry.expired(clock.instant(), workers::get);
        if (expired.isEmpty()) {
            return 0;
        }
        int evicted = 0;
        for (CompletableFuture<Boolean> eviction : writer.evict(expired)) {
            try {
                evicted += await(eviction) ? 1 : 0;
            } catch (CrankException e) {
                logger.warn("Eviction not persisted, retrying at the next sweep: {}", e.detail());
            }
        }
        if (evicted > 0) {
            logger.warn("Evicted {} workers after {} without a heartbeat (first: {})", evicted,
                    settings.heartbeatTimeout().plus(settings.evictionGrace()), expired.get(0));
        }
        return evicted;
    }

    /** The providers of {@code capability}, healthy or not. */
    Optional<Providers> providers(String capability) {
        return Optional.ofNullable(index.get(capability));
    }

    /** The capability index: every offered {@code verb:name} and its providers. */
    Map<String, Providers> index() {
        return index;
    }

    /** The healthy workers offering {@code capability}, sorted by id. O(providers of it). */
    public List<RegisteredWorker> healthyFor(String capability) {
        Providers providers = index.get(capability);
        if (providers == null) {
            return List.of();
        }
        Instant now = clock.instant();
        List<RegisteredWorker> healthy = new ArrayList<>();
        for (RegisteredWorker worker : providers.all()) {
            if (isHealthy(worker, now)) {
                healthy.add(worker);
            }
        }
        return healthy;
    }

    public boolean isHealthy(RegisteredWorker worker) {
        return isHealthy(worker, clock.instant());
    }

    boolean isHealthy(RegisteredWorker worker, Instant now) {
        if (store.shared()) {
            return !worker.restored(); // present in the shared store: its lease is alive
        }
        return !worker.restored() && !now.isAfter(worker.lastHeartbeat().plus(settings.heartbeatTimeout()));
    }

    Instant now() {
        return clock.instant();
    }

    /** Every known worker, sorted by id. O(workers): views page with {@link #page} instead. */
    public List<RegisteredWorker> workers() {
        return new ArrayList<>(workers.values());
    }

    /** Up to {@code limit} workers sorted by id after {@code after} (exclusive), optionally only providers of one capability. */
    List<RegisteredWorker> page(Optional<String> after, int limit, Optional<String> capability) {
        List<RegisteredWorker> page = new ArrayList<>(Math.min(limit, 1024));
        if (capability.isPresent()) {
            Providers providers = index.get(capability.get());
            if (providers != null) {
                int from = after.map(providers::indexAfter).orElse(0);
                for (int i = from; i < providers.size() && page.size() < limit; i++) {
                    page.add(providers.all().get(i));
                }
            }
            return page;
        }
        Map<String, RegisteredWorker> tail = after.isPresent() ? workers.tailMap(after.get(), false) : workers;
        for (RegisteredWorker worker : tail.values()) {
            if (page.size() == limit) {
                break;
            }
            page.add(worker);
        }
        return page;
    }

    public int size() {
        return workers.size();
    }

    /** Membership changes waiting for the writer's next batch. */
    int writerQueue() {
        return writer.queued();
    }

    public Optional<RegisteredWorker> worker(String workerId) {
        return Optional.ofNullable(workers.get(workerId));
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

    /** The writer counts the evictions of a durable batch before it publishes them. */
    void countEvictions(long count) {
        evictions.addAndGet(count);
    }

    /** Heartbeats answered 503 because the shared store could not renew the worker's lease. */
    public long unrenewedHeartbeats() {
        return unrenewed.get();
    }

    /** Heartbeats waiting for the shared store to renew their worker's lease now. */
    int renewing() {
        return renewing.get();
    }

    /** Controllers sharing the registry now, this one included. */
    public int liveControllers() {
        return Math.max(1, store.liveControllers());
    }

    /** Whether this controller's view may be behind the shared store (it cannot reach it now). */
    public boolean stale() {
        return store.stale();
    }

    RegistryStore store() {
        return store;
    }

    Duration heartbeatTimeout() {
        return settings.heartbeatTimeout();
    }

    /** Taken by the gateway between choosing a worker and handing it the request. */
    long enterDispatch() {
        return dispatch.readLock();
    }

    void exitDispatch(long stamp) {
        dispatch.unlockRead(stamp);
    }

    @Override
    public void close() {
        writer.close();
        store.close();
    }

    /** Whether {@code worker} is past its eviction deadline now (the writer re-checks before evicting). */
    boolean evictable(RegisteredWorker worker) {
        return worker.lastHeartbeat().plus(settings.heartbeatTimeout()).plus(settings.evictionGrace()).isBefore(clock.instant());
    }

    Contracts contracts() {
        return contracts;
    }

    /**
     * A registered provider of {@code key} other than {@code workerId}, as the writer's pending changes
     * see them: {@code pending} maps the ids changed in the batch to their new entry (null: removed),
     * {@code pendingByKey} lists the batch's new entries per capability. O(1) in the common case.
     */
    Optional<RegisteredWorker> firstOther(String key, String workerId, Map<String, RegisteredWorker> pending,
                                          Map<String, List<RegisteredWorker>> pendingByKey) {
        for (RegisteredWorker worker : pendingByKey.getOrDefault(key, List.of())) {
            if (!worker.workerId().equals(workerId) && pending.get(worker.workerId()) == worker) {
                return Optional.of(worker);
            }
        }
        Providers providers = index.get(key);
        if (providers != null) {
            for (RegisteredWorker worker : providers.all()) {
                if (!worker.workerId().equals(workerId) && !pending.containsKey(worker.workerId())) {
                    return Optional.of(worker);
                }
            }
        }
        return Optional.empty();
    }

    /** The current entry for {@code workerId} as the pending changes see it (null: none). */
    RegisteredWorker current(String workerId, Map<String, RegisteredWorker> pending) {
        return pending.containsKey(workerId) ? pending.get(workerId) : workers.get(workerId);
    }

    /**
     * Makes durable changes visible: {@code changes} maps a worker id to its new entry, or to null for
     * a removal. Removals are published under the dispatch write lock, so once a deregistration is
     * acknowledged no gateway call that chose the worker is still between choice and hand-over.
     */
    void publish(Map<String, RegisteredWorker> changes) {
        if (changes.isEmpty()) {
            return;
        }
        boolean removals = changes.containsValue(null);
        long stamp = removals ? dispatch.writeLock() : 0;
        try {
            Map<String, Map<String, RegisteredWorker>> byCapability = new HashMap<>();
            for (Map.Entry<String, RegisteredWorker> change : changes.entrySet()) {
                RegisteredWorker next = change.getValue();
                RegisteredWorker previous = next == null ? workers.remove(change.getKey()) : workers.put(change.getKey(), next);
                if (previous != null) {
                    previous.capabilities().forEach(c -> byCapability.computeIfAbsent(c.key(), k -> new HashMap<>()).putIfAbsent(change.getKey(), null));
                }
                if (next != null) {
                    next.capabilities().forEach(c -> byCapability.computeIfAbsent(c.key(), k -> new HashMap<>()).put(change.getKey(), next));
                    if (!store.shared()) {
                        expiry.add(next);
                    }
                }
            }
            Map<String, Providers> updated = new HashMap<>(index);
            byCapability.forEach((key, touched) -> {
                Providers providers = Providers.merge(updated.get(key), key, touched);
                if (providers.size() == 0) {
                    updated.remove(key);
                    contracts.forget(key);
                    interner.forget(key);
                } else {
                    updated.put(key, providers);
                }
            });
            index = Map.copyOf(updated);
        } finally {
            if (removals) {
                dispatch.unlockWrite(stamp);
            }
        }
    }

    /**
     * Applies what the shared store says changed (any controller's registrations and removals, and
     * expired leases): a document that does not pass the checks of {@code /register} is not published.
     */
    void follow(Map<String, Optional<ObjectNode>> changes) {
        Instant now = clock.instant();
        Map<String, RegisteredWorker> published = new HashMap<>();
        for (Map.Entry<String, Optional<ObjectNode>> change : changes.entrySet()) {
            if (change.getValue().isEmpty()) {
                published.put(change.getKey(), null);
                continue;
            }
            try {
                ObjectNode document = change.getValue().get();
                List<CapabilitySchema> capabilities = interner.intern(RegistrationRules.capabilities(document.get("capabilities")));
                RegisteredWorker worker = RegistrationRules.decode(document, capabilities, now);
                if (!worker.workerId().equals(change.getKey())) {
                    throw CrankException.badRequest("INVALID_WORKER_ID", "stored under " + change.getKey() + " but names " + worker.workerId());
                }
                worker.heartbeat(now, CrankJson.object());
                Contracts.Compiled compiled = contracts.compile(worker.capabilities());
                contracts.publish(compiled); // before the worker is routable
                published.put(change.getKey(), worker);
            } catch (CrankException | IllegalArgumentException e) {
                logger.warn("Not following {} from {}: {}", change.getKey(), store.describe(), e.getMessage());
                published.put(change.getKey(), null);
            }
        }
        publish(published);
    }

    /**
     * Publishes this controller's own changes, committed to the shared store (the writer answers their
     * callers after this): the writer's entries as they are, without reading them back from the store.
     */
    void publishCommitted(List<RegistryChange> changes) {
        Map<String, RegisteredWorker> published = new HashMap<>();
        for (RegistryChange change : changes) {
            if (change instanceof RegistryChange.Register register) {
                contracts.publish(contracts.compile(register.worker().capabilities())); // compiled before: cached; before it is routable
                published.put(change.workerId(), register.worker());
            } else {
                published.put(change.workerId(), null);
            }
        }
        publish(published);
    }

    /** Re-queues a worker whose eviction did not reach the store. */
    void retryEviction(RegisteredWorker worker) {
        expiry.add(worker);
    }

    private static <T> T await(CompletableFuture<T> change) {
        try {
            return change.get(STORE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw answer(e.getCause());
        } catch (TimeoutException e) {
            throw storeUnavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw storeUnavailable(e);
        }
    }

    /** What a caller is told of a change that failed with {@code error}: its own answer, else 503 {@code STORE_UNAVAILABLE}. */
    static CrankException answer(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof CrankException crank ? crank : storeUnavailable(cause);
    }

    static CrankException storeUnavailable(Throwable cause) {
        logger.warn("The registry store did not take a change: {}", cause == null ? "no reason" : cause.getMessage());
        return CrankException.unavailable("STORE_UNAVAILABLE", "The registry cannot store the change now; nothing was changed, "
                + "try again", STORE_RETRY_AFTER);
    }
}
