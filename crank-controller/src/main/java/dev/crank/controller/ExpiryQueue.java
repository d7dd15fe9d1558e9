package dev.crank.controller;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * Workers ordered by the instant they would be evicted, so a sweep costs O(expired), not O(workers).
 * Heartbeats do not touch the queue: when a worker's turn comes and it has heard from since, it goes
 * back in with its new deadline, so each worker is looked at about once per expiry period.
 */
final class ExpiryQueue {

    private record Deadline(Instant at, String workerId) implements Comparable<Deadline> {
        @Override
        public int compareTo(Deadline other) {
            int order = at.compareTo(other.at);
            return order != 0 ? order : workerId.compareTo(other.workerId);
        }
    }

    private final PriorityQueue<Deadline> queue = new PriorityQueue<>();
    /** The one live deadline per worker; queue entries that disagree with it are stale and skipped. */
    private final Map<String, Instant> scheduled = new HashMap<>();
    private final Duration lifetime;

    /** {@code lifetime}: how long after its last heartbeat a worker is evicted (timeout plus grace). */
    ExpiryQueue(Duration lifetime) {
        this.lifetime = lifetime;
    }

    synchronized void add(RegisteredWorker worker) {
        schedule(worker.workerId(), worker.lastHeartbeat().plus(lifetime));
    }

    private void schedule(String workerId, Instant deadline) {
        if (!deadline.equals(scheduled.put(workerId, deadline))) {
            queue.add(new Deadline(deadline, workerId));
        }
    }

    /**
     * The ids whose deadline has passed at {@code now}, as {@code lookup} sees them now (a worker that
     * is gone is dropped; one that heartbeated since is queued again with its new deadline).
     */
    synchronized List<String> expired(Instant now, Function<String, RegisteredWorker> lookup) {
        List<String> expired = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().at().isBefore(now)) {
            Deadline head = queue.poll();
            if (!head.at().equals(scheduled.get(head.workerId()))) {
                continue; // superseded by a later schedule of the same worker
            }
            scheduled.remove(head.workerId());
            RegisteredWorker worker = lookup.apply(head.workerId());
            if (worker == null) {
                continue;
            }
            Instant deadline = worker.lastHeartbeat().plus(lifetime);
            if (deadline.isBefore(now)) {
                expired.add(head.workerId());
            } else {
                schedule(head.workerId(), deadline);
            }
        }
        return expired;
    }

    synchronized int size() {
        return scheduled.size();
    }
}
