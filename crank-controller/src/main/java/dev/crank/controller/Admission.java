package dev.crank.controller;

import dev.crank.core.CrankException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the calls the controller has in flight per worker and capability and never lets one exceed
 * the worker's {@code max_concurrency}. When every worker is full a caller waits (up to the queue
 * time) for a slot, then gets 429.
 *
 * <p>Choosing a worker and handing it the request happen under the registry's dispatch read stamp;
 * publishing a removal takes the write stamp, so once a deregistration is acknowledged no new request
 * can reach the worker. Choosing looks at the capability's {@link Providers} through the
 * {@link RoutingStrategy}: O(1) in the common case, never a scan of the registry.
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
                registry.exitDispatch(stamp);
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
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong rejected = new AtomicLong();

    Admission(Registry registry, RoutingStrategy strategy) {
        this.registry = registry;
        this.strategy = strategy;
    }

    int inFlight(String workerId, String capability) {
        AtomicInteger counter = inFlight.get(workerId + '\n' + capability);
        return counter == null ? 0 : counter.get();
    }

    long rejected() {
        return rejected.get();
    }

    /** The controller's count for a worker, or what it reported in its last heartbeat if that is higher. */
    private int load(RegisteredWorker worker, String capability) {
        return Math.max(inFlight(worker.workerId(), capability), reported(worker, capability));
    }

    private static int reported(RegisteredWorker worker, String capability) {
        return worker.reportedInFlight(capability);
    }

    /**
     * This controller's share of a worker's {@code max_concurrency}: the bound divided by the live
     * controllers, rounded up, so that several gateways together stay near the bound (the worker's own
     * 429 is the backstop for the rounding and for the moment a controller joins).
     */
    int share(RegisteredWorker worker, String capability) {
        int bound = worker.maxConcurrency(capability);
        int controllers = registry.liveControllers();
        return controllers <= 1 ? bound : (bound + controllers - 1) / controllers;
    }

    /** Room for one more call: below this controller's share, and the worker's own count below the whole bound. */
    private boolean hasCapacity(RegisteredWorker worker, String capability) {
        return inFlight(worker.workerId(), capability) < share(worker, capability)
                && reported(worker, capability) < worker.maxConcurrency(capability);
    }

    private RoutingStrategy.Load view(String capability, Set<String> excluded, boolean needCapacity, Instant now) {
        return new RoutingStrategy.Load() {
            @Override
            public boolean eligible(RegisteredWorker worker) {
                return registry.isHealthy(worker, now) && !excluded.contains(worker.workerId())
                        && (!needCapacity || hasCapacity(worker, capability));
            }

            @Override
            public int inFlight(RegisteredWorker worker) {
                return load(worker, capability);
            }
        };
    }

    /** A worker for {@code /route}: the strategy's choice among the healthy ones with capacity, else among all healthy ones. */
    Optional<RegisteredWorker> choose(String capability) {
        Optional<Providers> providers = registry.providers(capability);
        if (providers.isEmpty()) {
            return Optional.empty();
        }
        Instant now = registry.now();
        return strategy.select(providers.get(), view(capability, Set.of(), true, now))
                .or(() -> strategy.select(providers.get(), view(capability, Set.of(), false, now)));
    }

    /**
     * Takes a slot on a worker chosen by the strategy, waiting up to {@code maxWait} for one.
     * 404 when no healthy worker offers the capability; 429 with Retry-After when all stay full.
     */
    Lease acquire(String capability, Set<String> excluded, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            long stamp = registry.enterDispatch();
            boolean handedOver = false;
            try {
                Providers providers = registry.providers(capability).orElseThrow(() -> noHealthyWorker(capability));
                Instant now = registry.now();
                Optional<RegisteredWorker> choice = strategy.select(providers, view(capability, excluded, true, now));
                if (choice.isPresent()) {
                    RegisteredWorker worker = choice.get();
                    AtomicInteger counter = inFlight.computeIfAbsent(worker.workerId() + '\n' + capability, k -> new AtomicInteger());
                    int limit = share(worker, capability);
                    int current = counter.get();
                    if (current < limit && counter.compareAndSet(current, current + 1)) {
                        handedOver = true;
                        return new Lease(worker, capability, counter, stamp);
                    }
                    continue; // lost a race for the last slot: choose again
                }
                if (strategy.select(providers, view(capability, excluded, false, now)).isEmpty()) {
                    throw noHealthyWorker(capability);
                }
            } finally {
                if (!handedOver) {
                    registry.exitDispatch(stamp);
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

    private static CrankException noHealthyWorker(String capability) {
        return CrankException.notFound("NO_HEALTHY_WORKER", "No healthy worker offers " + capability);
    }
}
