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
 * so granting while the previous batch commits takes it off a registration's path. A lease waits here at
 * most half its TTL (older ones are revoked, not used) and is renewed to its full TTL right after the
 * registration that takes it commits. Nothing is granted while nobody registers.
 */
final class EtcdLeasePool {

    private record Granted(long id, long grantedAt) {}

    /** What {@link #take} hands out: the lease ids, and those that waited in the pool (to renew after commit). */
    record Taken(List<Long> ids, List<Long> waited) {}

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
        long freshFor = TimeUnit.SECONDS.toNanos(ttlSeconds) / 2;
        List<Long> ids = new ArrayList<>(count);
        List<Long> waited = new ArrayList<>();
        for (Granted granted; ids.size() < count && (granted = ready.poll()) != null; ) {
            if (now - granted.grantedAt() > freshFor) {
                revokeQuietly(granted.id());
                continue;
            }
            ids.add(granted.id());
            waited.add(granted.id());
        }
        List<CompletableFuture<Long>> fresh = new ArrayList<>();
        for (int i = ids.size(); i < count; i++) {
            fresh.add(grant());
        }
        refill();
        return CompletableFuture.allOf(fresh.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            fresh.forEach(lease -> ids.add(lease.join()));
            return new Taken(ids, waited);
        });
    }

    /** Renews leases that waited in the pool to their full TTL (best effort: they have at least half of it left). */
    void renew(List<Long> waited) {
        waited.forEach(id -> leases.keepAliveOnce(id).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionally(error -> null));
    }

    void revokeQuietly(long id) {
        if (id != 0) {
            leases.revoke(id).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionally(error -> null);
        }
    }

    private void refill() {
        while (ready.size() + pending.get() < target) {
            pending.incrementAndGet();
            grant().whenComplete((id, error) -> {
                pending.decrementAndGet();
                if (error == null) {
                    ready.add(new Granted(id, System.nanoTime()));
                }
            });
        }
    }

    private CompletableFuture<Long> grant() {
        return leases.grant(ttlSeconds).thenApply(response -> response.getID())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Revokes what waits here (at shutdown). */
    void clear() {
        for (Granted granted; (granted = ready.poll()) != null; ) {
            revokeQuietly(granted.id());
        }
    }
}
