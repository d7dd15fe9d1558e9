package dev.crank.controller;

import dev.crank.core.CrankException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;

/**
 * Counts the calls the controller has in flight per worker and capability and never lets one exceed
 * the worker's {@code max_concurrency}. When every worker is full a caller waits (up to the queue
 * time) for a slot, then gets 429.
 *
 * <p>Choosing a worker and handing it the request happen under a read stamp; deregistration takes
 * the write stamp, so once it is acknowledged no new request can reach the worker.
 */
final class Admission {

    /** A slot on one worker; closing it frees the slot (idempotent). */
    final class Lease implements AutoCloseable {
        private final RegisteredWorker worker;
        private final String capability;
        private final AtomicInteger counter;
        private long stamp;
        private boolean closed;

        private Lease(RegisteredWorker worker, String capability, AtomicInteger counter, long stamp) {
            this.worker = worker;
            this.capability = capability;
            this.counter = counter;
            this.stamp = stamp;
        }

        RegisteredWorker worker() {
            return worker;
        }

        /** The request has been handed over: deregistration may proceed. */
        synchronized void dispatched() {
            if (stamp != 0) {
                membership.unlockRead(stamp);
                stamp = 0;
            }
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            dispatched();
            counter.decrementAndGet();
            synchronized (Admission.this) {
                Admission.this.notifyAll();
            }
        }

        String capability() {
            return capability;
        }
    }

    private final Registry registry;
    private final RoutingStrategy strategy;
    private final StampedLock membership = new StampedLock();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong rejected = new AtomicLong();

    Admission(Registry registry, RoutingStrategy strategy) {
        this.registry = registry;
        this.strategy = strategy;
    }

    /** Runs a membership change (deregistration) once no dispatch is between choice and hand-over. */
    void exclusively(Runnable change) {
        long stamp = membership.writeLock();
        try {
            change.run();
        } finally {
            membership.unlockWrite(stamp);
        }
    }

    int inFlight(String workerId, String capability) {
        AtomicInteger counter = inFlight.get(workerId + '\n' + capability);
        return counter == null ? 0 : counter.get();
    }

    long rejected() {
        return rejected.get();
    }

    /** The candidates for {@code capability} with the controller's counts merged with the load they reported. */
    List<RoutingStrategy.Candidate> candidates(String capability, Set<String> excluded) {
        List<RoutingStrategy.Candidate> candidates = new ArrayList<>();
        for (RegisteredWorker worker : registry.healthyFor(capability)) {
            if (excluded.contains(worker.workerId())) {
                continue;
            }
            int own = inFlight(worker.workerId(), capability);
            int reported = worker.load().path("in_flight").path(capability).asInt(0);
            candidates.add(new RoutingStrategy.Candidate(worker, Math.max(own, reported), worker.maxConcurrency(capability)));
        }
        return candidates;
    }

    /** A worker for {@code /route}: the strategy's choice among those with capacity, else among all. */
    Optional<RegisteredWorker> choose(String capability) {
        List<RoutingStrategy.Candidate> all = candidates(capability, Set.of());
        if (all.isEmpty()) {
            return Optional.empty();
        }
        List<RoutingStrategy.Candidate> open = all.stream().filter(RoutingStrategy.Candidate::hasCapacity).toList();
        return strategy.select(capability, open.isEmpty() ? all : open).map(RoutingStrategy.Candidate::worker);
    }

    /**
     * Takes a slot on a worker chosen by the strategy, waiting up to {@code maxWait} for one.
     * 404 when no healthy worker offers the capability; 429 with Retry-After when all stay full.
     */
    Lease acquire(String capability, Set<String> excluded, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            long stamp = membership.readLock();
            boolean handedOver = false;
            try {
                List<RoutingStrategy.Candidate> candidates = candidates(capability, excluded);
                if (candidates.isEmpty()) {
                    throw CrankException.notFound("NO_HEALTHY_WORKER", "No healthy worker offers " + capability);
                }
                List<RoutingStrategy.Candidate> open = candidates.stream().filter(RoutingStrategy.Candidate::hasCapacity).toList();
                Optional<RoutingStrategy.Candidate> choice = open.isEmpty() ? Optional.empty() : strategy.select(capability, open);
                if (choice.isPresent()) {
                    RoutingStrategy.Candidate candidate = choice.get();
                    AtomicInteger counter = inFlight.computeIfAbsent(candidate.worker().workerId() + '\n' + capability, k -> new AtomicInteger());
                    int limit = candidate.maxConcurrency();
                    int current = counter.get();
                    if (current < limit && counter.compareAndSet(current, current + 1)) {
                        handedOver = true;
                        return new Lease(candidate.worker(), capability, counter, stamp);
                    }
                    continue; // lost a race for the last slot: choose again
                }
            } finally {
                if (!handedOver) {
                    membership.unlockRead(stamp);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                rejected.incrementAndGet();
                throw CrankException.tooManyRequests("Every worker for " + capability + " is at its max_concurrency", Duration.ofSeconds(1));
            }
            synchronized (this) {
                wait(Math.max(1, Math.min(50, left / 1_000_000)));
            }
        }
    }
}
