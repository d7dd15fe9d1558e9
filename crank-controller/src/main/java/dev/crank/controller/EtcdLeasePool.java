package dev.crank.controller;

import io.etcd.jetcd.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Leases granted ahead of the registrations that will need them: a grant is a raft round (a disk sync),
 * so granting while the previous batch commits takes it off a registration's path. Every lease is granted
 * for the TTL plus {@link #FRESH_SECONDS} and waits here at most that long (older ones are revoked, not
 * used), so a registration always starts with at least its full TTL without a renewal of its own; its
 * first heartbeat renews it (to the TTL plus at most that second). Nothing is granted while nobody registers.
 */
final class EtcdLeasePool {

    private record Granted(long id, long grantedAt) {}

    /** How long a lease may wait here, and what it is granted for beyond the TTL. */
    static final long FRESH_SECONDS = 1;

    /** What {@link #take} hands out: the lease ids, in order. */
    record Taken(List<Long> ids) {}

    private final Lease leases;
    private final long ttlSeconds;
    private final int target;
    private final Duration timeout;
    private final ConcurrentLinkedQueue<Granted> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();

    EtcdLeasePool(Lease leases, long ttlSeconds, int target, Duration timeout) {
        this.leases = leases;
        this.ttlSeconds = ttlSeconds;
        this.target = target;
        this.timeout = timeout;
    }

    CompletableFuture<Taken> take(int count) {
        long now = System.nanoTime();
        long freshFor = TimeUnit.SECONDS.toNanos(FRESH_SECONDS);
        List<Long> ids = new ArrayList<>(count);
        for (Granted granted; ids.size() < count && (granted = ready.poll()) != null; ) {
            if (now - granted.grantedAt() > freshFor) {
                revokeQuietly(granted.id());
                continue;
            }
            ids.add(granted.id());
        }
        List<CompletableFuture<Long>> fresh = new ArrayList<>();
        for (int i = ids.size(); i < count; i++) {
            fresh.add(grant());
        }
        if (count > 0) {
            refill(); // a batch of removals only does not need leases ahead
        }
        return CompletableFuture.allOf(fresh.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            fresh.forEach(lease -> ids.add(lease.join()));
            return new Taken(ids);
        });
    }

    void revokeQuietly(long id) {
        if (id != 0) {
            leases.revoke(id).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionally(error -> null);
        }
    }

    private void refill() {
        while (ready.size() + pending.get() < target) {
            pending.incrementAndGet();
            long asked = System.nanoTime(); // the TTL runs from before etcd granted it
            grant().whenComplete((id, error) -> {
                pending.decrementAndGet();
                if (error == null) {
                    ready.add(new Granted(id, asked));
                }
            });
        }
    }

    private CompletableFuture<Long> grant() {
        return leases.grant(ttlSeconds + FRESH_SECONDS).thenApply(response -> response.getID())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Revokes what waits here (at shutdown). */
    void clear() {
        for (Granted granted; (granted = ready.poll()) != null; ) {
            revokeQuietly(granted.id());
        }
    }
}
