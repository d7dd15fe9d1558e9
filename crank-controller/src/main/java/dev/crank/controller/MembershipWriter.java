package dev.crank.controller;

import dev.crank.core.CrankException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's writer: takes every membership change queued since its last batch, decides each
 * against the registry as it will be (contracts, whether the worker is still there, still expired),
 * writes the accepted ones to the store as one batch (one transaction, one fsync: group commit),
 * waits until they are durable, publishes them in order and only then answers their callers. A batch
 * the store refuses changes nothing in memory and fails its callers with 503.
 *
 * <p>It runs {@link RegistryStore#writers()} lanes (one for the embedded database), each a thread with
 * its own queue and its share of the worker ids, so the changes of one worker are decided and written
 * in order while several batches are in flight.
 */
final class MembershipWriter implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(MembershipWriter.class);
    /** A batch decided against a view that another controller changed meanwhile is decided again, this often at most. */
    private static final int MAX_ATTEMPTS = 4;

    private sealed interface Change {}

    private record Register(RegisteredWorker worker, Contracts.Compiled compiled, CompletableFuture<Boolean> done) implements Change {}

    private record Remove(String workerId, boolean eviction, CompletableFuture<Boolean> done) implements Change {}

    private static final Change STOP = new Remove("", false, new CompletableFuture<>());

    private final Registry registry;
    private final RegistryStore store;
    private final Lane[] lanes;
    private volatile boolean closed;

    /** One writer thread, its queue, and the worker ids that hash to it. */
    private final class Lane {
        final LinkedBlockingQueue<Change> queue = new LinkedBlockingQueue<>();
        final Thread thread;

        Lane(String name) {
            thread = new Thread(() -> run(queue), name);
            thread.setDaemon(true);
        }
    }

    MembershipWriter(Registry registry, RegistryStore store) {
        this.registry = registry;
        this.store = store;
        this.lanes = new Lane[Math.max(1, store.writers())];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(lanes.length == 1 ? "registry-writer" : "registry-writer-" + i);
        }
    }

    void start() {
        for (Lane lane : lanes) {
            lane.thread.start();
        }
    }

    /** Changes waiting for the next batch. */
    int queued() {
        int queued = 0;
        for (Lane lane : lanes) {
            queued += lane.queue.size();
        }
        return queued;
    }

    CompletableFuture<Boolean> register(RegisteredWorker worker, Contracts.Compiled compiled) {
        return submit(new Register(worker, compiled, new CompletableFuture<>()));
    }

    CompletableFuture<Boolean> deregister(String workerId) {
        return submit(new Remove(workerId, false, new CompletableFuture<>()));
    }

    List<CompletableFuture<Boolean>> evict(List<String> workerIds) {
        List<CompletableFuture<Boolean>> done = new ArrayList<>(workerIds.size());
        for (String workerId : workerIds) {
            done.add(submit(new Remove(workerId, true, new CompletableFuture<>())).exceptionally(e -> {
                registry.worker(workerId).ifPresent(registry::retryEviction);
                throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
            }));
        }
        return done;
    }

    private CompletableFuture<Boolean> submit(Change change) {
        CompletableFuture<Boolean> done = change instanceof Register register ? register.done() : ((Remove) change).done();
        if (closed) {
            done.completeExceptionally(CrankException.unavailable("SHUTTING_DOWN", "The controller is shutting down"));
            return done;
        }
        String workerId = change instanceof Register register ? register.worker().workerId() : ((Remove) change).workerId();
        lanes[Math.floorMod(workerId.hashCode(), lanes.length)].queue.add(change);
        return done;
    }

    private void run(LinkedBlockingQueue<Change> queue) {
        List<Change> batch = new ArrayList<>();
        List<Change> carried = new ArrayList<>(); // decided next, before anything queued after them
        boolean stop = false;
        while (true) {
            if (carried.isEmpty()) {
                if (stop) {
                    return;
                }
                try {
                    batch.add(queue.take());
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                batch.addAll(carried);
                carried.clear();
            }
            if (!stop && batch.size() < store.maxBatch()) {
                queue.drainTo(batch, store.maxBatch() - batch.size());
            }
            stop |= batch.remove(STOP);
            try {
                carried.addAll(apply(batch));
            } catch (RuntimeException e) {
                logger.error("Registry batch failed", e);
                batch.forEach(change -> done(change).completeExceptionally(Registry.storeUnavailable(e)));
            }
            batch.clear();
        }
    }

    /** Decides and writes what of {@code batch} fits in one write; returns the rest, undecided. */
    private List<Change> apply(List<Change> batch) {
        List<Change> undecided = batch;
        List<Change> rest = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            List<Change> round = undecided;
            Map<String, RegisteredWorker> pending = new LinkedHashMap<>();
            List<Change> accepted = new ArrayList<>(round.size());
            CompletableFuture<Void> written = store.withView(() -> {
                List<RegistryChange> changes = decide(round, pending, accepted, rest);
                return changes.isEmpty() ? null : store.write(changes);
            });
            if (written == null) {
                return rest;
            }
            try {
                written.get(Registry.STORE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
                if (cause instanceof RegistryStore.ViewChangedException && attempt < MAX_ATTEMPTS) {
                    logger.debug("Deciding a batch again: {}", cause.getMessage());
                    undecided = accepted; // the others were answered already
                    continue;
                }
                CrankException unavailable = Registry.storeUnavailable(cause);
                accepted.forEach(change -> done(change).completeExceptionally(unavailable));
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return rest;
            }
            // Counted before the removals are visible, so whoever sees a worker gone also sees it counted.
            registry.countEvictions(accepted.stream().filter(change -> change instanceof Remove remove && remove.eviction()).count());
            if (!store.shared()) { // a shared store has published the batch through the registry's follower
                for (Change change : accepted) {
                    if (change instanceof Register register) {
                        registry.contracts().publish(register.compiled()); // before the worker is routable
                    }
                }
                registry.publish(pending);
            }
            accepted.forEach(change -> done(change).complete(true));
            return rest;
        }
    }

    /**
     * Checks each change against the registry as it will be; answers the refused ones, returns the
     * accepted ones for the store, up to its {@link RegistryStore#maxWeight}: from the first that would
     * exceed it on, the changes go undecided to {@code rest} (in order), for the next write.
     */
    private List<RegistryChange> decide(List<Change> batch, Map<String, RegisteredWorker> pending, List<Change> accepted, List<Change> rest) {
        Map<String, List<RegisteredWorker>> pendingByKey = new HashMap<>();
        List<RegistryChange> changes = new ArrayList<>(batch.size());
        long weight = 0;
        for (int i = 0; i < batch.size(); i++) {
            Change change = batch.get(i);
            int cost = store.weight(change instanceof Register register ? new RegistryChange.Register(register.worker())
                    : new RegistryChange.Deregister(((Remove) change).workerId()));
            if (!changes.isEmpty() && weight + cost > store.maxWeight()) {
                rest.addAll(0, batch.subList(i, batch.size()));
                break;
            }
            if (change instanceof Register register) {
                RegisteredWorker worker = register.worker();
                try {
                    registry.contracts().check(worker.workerId(), register.compiled(),
                            key -> registry.firstOther(key, worker.workerId(), pending, pendingByKey));
                } catch (CrankException e) {
                    register.done().completeExceptionally(e);
                    continue;
                }
                pending.put(worker.workerId(), worker);
                worker.capabilities().forEach(c -> pendingByKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(worker));
                changes.add(new RegistryChange.Register(worker));
                accepted.add(change);
                weight += cost;
            } else {
                Remove remove = (Remove) change;
                RegisteredWorker current = registry.current(remove.workerId(), pending);
                if (current == null || (remove.eviction() && !registry.evictable(current))) {
                    remove.done().complete(false);
                    continue;
                }
                pending.put(remove.workerId(), null);
                changes.add(remove.eviction() ? new RegistryChange.Evict(remove.workerId()) : new RegistryChange.Deregister(remove.workerId()));
                accepted.add(change);
                weight += cost;
            }
        }
        return changes;
    }

    private static CompletableFuture<Boolean> done(Change change) {
        return change instanceof Register register ? register.done() : ((Remove) change).done();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Lane lane : lanes) {
            if (lane.thread.isAlive()) {
                lane.queue.add(STOP);
            }
        }
        for (Lane lane : lanes) {
            try {
                lane.thread.join(Registry.STORE_DEADLINE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Change change; (change = lane.queue.poll()) != null; ) {
                done(change).completeExceptionally(CrankException.unavailable("SHUTTING_DOWN", "The controller is shutting down"));
            }
        }
    }
}
