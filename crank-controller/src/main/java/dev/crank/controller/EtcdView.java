package dev.crank.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.OptionsUtil;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This controller's copy of the shared registry: a paged list at one revision, then a watch from the
 * next one. Other controllers' changes reach the registry through the watch, in revision order; this
 * controller's own writes through {@link #committed}, straight from the commit's response (so a writer
 * answers without waiting for the watch to come round). Both go through one lock and are applied per
 * key by revision: whichever of the two brings a worker's change second skips it, so a key never goes
 * back to an older state. A watch that falls behind a compaction lists again and tells the registry
 * what differs.
 */
final class EtcdView implements EtcdTransaction.ContractView, AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(EtcdView.class);
    private static final int PAGE = 1000;

    private final KV kv;
    private final Watch watch;
    private final EtcdKeys keys;
    private final Duration timeout;
    private final ExecutorService relister;
    /** Guards everything below: the watch applies under it, the writer decides under it. */
    private final Object lock = new Object();
    private final Map<String, Long> workerRevisions = new HashMap<>();
    private final Map<String, Long> workerLeases = new HashMap<>();
    private final Map<String, Long> contractRevisions = new HashMap<>();
    private final Map<String, ByteSequence> contractValues = new HashMap<>();
    /** Worker ids in this controller's transactions on their way to etcd: their tombstones stay until those are applied. */
    private final Map<String, Integer> committing = new HashMap<>();
    /** Removed workers and the revision of their removal, until neither the watch nor a commit can bring anything older. */
    private final Map<String, Long> tombstones = new HashMap<>();
    /** The revision of the last list. */
    private long listedAt;
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiting = new TreeMap<>();
    private long revision;
    private RegistryStore.Follower follower;
    private Watch.Watcher watcher;
    private volatile boolean watchFailing;
    private boolean closed;

    EtcdView(KV kv, Watch watch, EtcdKeys keys, Duration timeout) {
        this.kv = kv;
        this.watch = watch;
        this.keys = keys;
        this.timeout = timeout;
        this.relister = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "etcd-relist");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Lists every registration under the prefix at one revision and remembers it as the starting point. */
    List<RegistryStore.Stored> load() {
        Map<String, KeyValue> listed = list();
        List<RegistryStore.Stored> stored = new ArrayList<>();
        synchronized (lock) {
            listed.forEach((workerId, value) -> {
                document(workerId, value).ifPresent(document -> stored.add(new RegistryStore.Stored(workerId, document)));
                workerRevisions.put(workerId, value.getModRevision());
                workerLeases.put(workerId, value.getLease());
            });
        }
        return stored;
    }

    void follow(RegistryStore.Follower newFollower) {
        synchronized (lock) {
            this.follower = newFollower;
            startWatch();
        }
    }

    <T> T locked(Supplier<T> action) {
        synchronized (lock) {
            return action.get();
        }
    }

    /** The revision of a capability's contract key as this view saw it last (0: none). Call under {@link #locked}. */
    @Override
    public long revision(String capability) {
        return contractRevisions.getOrDefault(capability, 0L);
    }

    /** The value of a capability's contract key as this view saw it last. Call under {@link #locked}. */
    @Override
    public Optional<ByteSequence> value(String capability) {
        return Optional.ofNullable(contractValues.get(capability));
    }

    /** Marks the worker ids of a transaction about to be sent (call under {@link #locked}); {@link #committed} or {@link #abandoned} ends it. */
    void committing(Iterable<String> workerIds) {
        synchronized (lock) {
            workerIds.forEach(id -> committing.merge(id, 1, Integer::sum));
        }
    }

    /** A transaction marked {@link #committing} that did not commit (or whose outcome is unknown: the watch will tell). */
    void abandoned(Iterable<String> workerIds) {
        synchronized (lock) {
            workerIds.forEach(id -> committing.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1));
        }
    }

    Optional<Long> lease(String workerId) {
        synchronized (lock) {
            return Optional.ofNullable(workerLeases.get(workerId)).filter(lease -> lease != 0);
        }
    }

    boolean watchFailing() {
        return watchFailing;
    }

    /** Completes once this view has applied {@code target} (at once if it has). */
    CompletableFuture<Void> reached(long target) {
        synchronized (lock) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            if (revision >= target) {
                done.complete(null);
            } else if (closed) {
                done.completeExceptionally(new RegistryStore.StoreUnavailableException("the etcd view is closed", null));
            } else {
                waiting.computeIfAbsent(target, k -> new ArrayList<>()).add(done);
            }
            return done;
        }
    }

    private Map<String, KeyValue> list() {
        Map<String, KeyValue> workers = new LinkedHashMap<>();
        Map<String, KeyValue> contracts = new HashMap<>();
        ByteSequence end = OptionsUtil.prefixEndOf(keys.all());
        ByteSequence from = keys.all();
        long at = 0;
        boolean more = true;
        while (more) {
            GetOption option = GetOption.builder().withRange(end).withLimit(PAGE).withRevision(at)
                    .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.ASCEND).build();
            GetResponse page = EtcdRegistryStore.await(kv.get(from, option), timeout, "list the registry");
            if (at == 0) {
                at = page.getHeader().getRevision();
            }
            for (KeyValue value : page.getKvs()) {
                keys.name(value.getKey(), EtcdKeys.WORKERS).ifPresent(id -> workers.put(id, value));
                keys.name(value.getKey(), EtcdKeys.CONTRACTS).ifPresent(key -> contracts.put(key, value));
                from = ByteSequence.from(append(value.getKey().getBytes()));
            }
            more = page.isMore() && !page.getKvs().isEmpty();
        }
        synchronized (lock) {
            revision = Math.max(revision, at);
            listedAt = at;
            long listed = at;
            contractRevisions.values().removeIf(known -> known <= listed); // newer ones: this controller's commits since
            contractValues.keySet().retainAll(contractRevisions.keySet());
            contracts.forEach((key, value) -> contract(key, value.getModRevision(), value.getValue()));
        }
        return workers;
    }

    private static byte[] append(byte[] key) {
        byte[] next = new byte[key.length + 1];
        System.arraycopy(key, 0, next, 0, key.length);
        return next; // the smallest key after this one
    }

    private void startWatch() {
        WatchOption option = WatchOption.builder().isPrefix(true).withRevision(revision + 1).withProgressNotify(true)
                .withCreateNotify(true).build(); // a resumed watch says so at once, even if nothing changes
        watcher = watch.watch(keys.all(), option, Watch.listener(this::apply, this::failed));
    }

    private void apply(WatchResponse response) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            watchFailing = false;
            Map<String, Optional<ObjectNode>> changes = new LinkedHashMap<>();
            long last = revision;
            for (WatchEvent event : response.getEvents()) {
                KeyValue value = event.getKeyValue();
                if (value.getModRevision() <= revision) {
                    continue; // applied already (a watch started again delivers from where this view stands)
                }
                last = Math.max(last, value.getModRevision());
                boolean put = event.getEventType() == WatchEvent.EventType.PUT;
                Optional<String> workerId = keys.name(value.getKey(), EtcdKeys.WORKERS);
                if (workerId.isPresent()) {
                    String id = workerId.get();
                    if (known(id) >= value.getModRevision()) {
                        continue; // this controller's own change, applied from its commit already (or one after it)
                    }
                    if (put) {
                        tombstones.remove(id);
                        workerRevisions.put(id, value.getModRevision());
                        workerLeases.put(id, value.getLease());
                        changes.put(id, document(id, value));
                    } else {
                        remove(id, value.getModRevision());
                        changes.put(id, Optional.empty());
                    }
                    continue;
                }
                keys.name(value.getKey(), EtcdKeys.CONTRACTS).ifPresent(key -> {
                    if (put) {
                        contract(key, value.getModRevision(), value.getValue());
                    } else {
                        contractRevisions.remove(key);
                        contractValues.remove(key);
                    }
                });
            }
            if (response.isProgressNotify()) {
                last = Math.max(last, response.getHeader().getRevision()); // every event up to it was delivered
            }
            if (!changes.isEmpty() && follower != null) {
                try {
                    follower.changed(changes);
                } catch (RuntimeException e) {
                    logger.error("The registry could not apply changes from etcd", e);
                }
            }
            advance(last);
        }
    }

    private void advance(long to) {
        revision = Math.max(revision, to);
        while (!waiting.isEmpty() && waiting.firstKey() <= revision) {
            waiting.pollFirstEntry().getValue().forEach(done -> done.complete(null));
        }
        forgetTombstones();
    }

    /**
     * Applies this controller's own committed transaction at {@code committed}: {@code changes} (one per
     * worker id), the new {@code leases} of its registrations and the contract keys it rewrote. A worker
     * whose key this view has already seen at a later revision (the watch came round first and brought
     * another controller's change after it) is left alone. Tells the follower what it applied.
     */
    void committed(long committed, List<RegistryChange> changes, Map<String, Long> leases, Map<String, ByteSequence> contracts) {
        synchronized (lock) {
            changes.forEach(change -> committing.computeIfPresent(change.workerId(), (k, n) -> n == 1 ? null : n - 1));
            if (closed) {
                return;
            }
            List<RegistryChange> applied = new ArrayList<>(changes.size());
            for (RegistryChange change : changes) {
                String id = change.workerId();
                if (known(id) >= committed) {
                    continue;
                }
                if (change instanceof RegistryChange.Register) {
                    tombstones.remove(id);
                    workerRevisions.put(id, committed);
                    workerLeases.put(id, leases.getOrDefault(id, 0L));
                } else {
                    remove(id, committed);
                }
                applied.add(change);
            }
            contracts.forEach((key, value) -> contract(key, committed, value));
            if (!applied.isEmpty() && follower != null) {
                try {
                    follower.committed(applied);
                } catch (RuntimeException e) {
                    logger.error("The registry could not apply its own committed changes", e);
                }
            }
            forgetTombstones();
        }
    }

    /** Records a contract key's value unless this view knows a newer one. */
    private void contract(String key, long modified, ByteSequence value) {
        if (modified >= contractRevisions.getOrDefault(key, 0L)) {
            contractRevisions.put(key, modified);
            contractValues.put(key, value);
        }
    }

    /** The newest revision at which this view saw {@code workerId} change (0: never). */
    private long known(String workerId) {
        return Math.max(workerRevisions.getOrDefault(workerId, 0L), tombstones.getOrDefault(workerId, 0L));
    }

    private void remove(String workerId, long at) {
        workerRevisions.remove(workerId);
        workerLeases.remove(workerId);
        tombstones.put(workerId, at);
    }

    /**
     * A tombstone is needed while the watch may still bring an older change of its key, or while one of
     * this controller's transactions of that worker is on its way (its commit may be older). Neither holds
     * once the watch passed it and no transaction of the worker is out: the next one is sent after now, so
     * it is newer than anything in etcd now.
     */
    private void forgetTombstones() {
        if (!tombstones.isEmpty()) {
            tombstones.entrySet().removeIf(entry -> entry.getValue() <= revision && !committing.containsKey(entry.getKey()));
        }
    }

    private void failed(Throwable error) {
        if (closed) {
            return;
        }
        if (error instanceof CompactedException || error.getCause() instanceof CompactedException) {
            logger.warn("The etcd watch fell behind a compaction; listing the registry again");
            relister.execute(this::relist);
            return;
        }
        if (!watchFailing) {
            logger.warn("The etcd watch failed; watching again until it answers: {}", error.getMessage());
        } else {
            logger.debug("The etcd watch failed again: {}", error.getMessage());
        }
        watchFailing = true;
        relister.execute(this::rewatch);
    }

    /** A new watch from where this view stands (the client gives some watches up: no leader, a halting error). */
    private void rewatch() {
        sleepQuietly(Duration.ofMillis(500));
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (watcher != null) {
                watcher.close();
            }
            startWatch();
        }
    }

    /** After a compaction: list again, tell the registry what differs from what it has, watch from there. */
    private void relist() {
        try {
            synchronized (lock) {
                if (watcher != null) {
                    watcher.close();
                }
            }
            Map<String, KeyValue> listed = list();
            synchronized (lock) {
                Map<String, Optional<ObjectNode>> changes = new LinkedHashMap<>();
                for (Map.Entry<String, Long> known : new ArrayList<>(workerRevisions.entrySet())) {
                    if (!listed.containsKey(known.getKey()) && known.getValue() <= listedAt) { // not a commit after the list
                        remove(known.getKey(), listedAt);
                        changes.put(known.getKey(), Optional.empty());
                    }
                }
                listed.forEach((workerId, value) -> {
                    if (known(workerId) < value.getModRevision()) {
                        tombstones.remove(workerId);
                        workerRevisions.put(workerId, value.getModRevision());
                        workerLeases.put(workerId, value.getLease());
                        changes.put(workerId, document(workerId, value));
                    }
                });
                if (!changes.isEmpty() && follower != null) {
                    follower.changed(changes);
                }
                advance(revision);
                startWatch();
            }
        } catch (RuntimeException e) {
            watchFailing = true;
            logger.warn("Listing the registry again failed, retrying: {}", e.getMessage());
            relister.execute(() -> {
                sleepQuietly(Duration.ofSeconds(1));
                relist();
            });
        }
    }

    private Optional<ObjectNode> document(String workerId, KeyValue value) {
        try {
            JsonNode document = CrankJson.parse(value.getValue().toString(StandardCharsets.UTF_8));
            if (document.isObject()) {
                return Optional.of((ObjectNode) document);
            }
        } catch (RuntimeException e) {
            // reported below
        }
        logger.warn("Skipping the registration of {} in etcd: not a JSON object", workerId);
        return Optional.empty();
    }

    private static void sleepQuietly(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (watcher != null) {
                watcher.close();
            }
            waiting.values().forEach(list -> list.forEach(done -> done.completeExceptionally(
                    new RegistryStore.StoreUnavailableException("the controller is shutting down", null))));
            waiting.clear();
        }
        relister.shutdownNow();
    }
}
