package dev.crank.core.internal;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections in all and per remote IP address, and refuses one over either bound. Shared by
 * every connection of a server; safe for any thread.
 */
final class ConnectionLimiter {

    enum Verdict { ACCEPTED, OVER_TOTAL, OVER_PEER }

    private final int maxTotal;
    private final int maxPerPeer;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perPeer = new ConcurrentHashMap<>();

    ConnectionLimiter(int maxTotal, int maxPerPeer) {
        this.maxTotal = maxTotal;
        this.maxPerPeer = maxPerPeer;
    }

    /** Takes a slot for {@code peer}; on {@link Verdict#ACCEPTED} the caller must {@link #release} it once. */
    Verdict acquire(InetAddress peer) {
        if (open.incrementAndGet() > maxTotal) {
            open.decrementAndGet();
            return Verdict.OVER_TOTAL;
        }
        boolean[] admitted = new boolean[1];
        perPeer.compute(peer, (address, count) -> {
            AtomicInteger current = count == null ? new AtomicInteger() : count;
            if (current.get() < maxPerPeer) {
                current.incrementAndGet();
                admitted[0] = true;
            }
            return current.get() == 0 ? null : current;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            return Verdict.OVER_PEER;
        }
        return Verdict.ACCEPTED;
    }

    void release(InetAddress peer) {
        perPeer.computeIfPresent(peer, (address, count) -> count.decrementAndGet() <= 0 ? null : count);
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }
}
