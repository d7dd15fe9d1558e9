package dev.crank.controller;

import dev.crank.core.CrankException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the calls the controller has in flight per worker and capability and never lets one exceed
 * the worker's {@code max_concurrency}. When every worker is full a caller waits (up to the queue
 * time) for a slot, then gets 429; the wait holds no thread ({@link #acquireAsync}).
 *
 * <p>Choosing a worker and handing it the request happen under the registry's dispatch read stamp;
 * publishing a removal takes the write stamp, so once a deregistration is acknowledged no new request
 * can reach the worker. Choosing looks at the capability's {@link Providers} through the
 * {@link RoutingStrategy}: O(1) in the common case, never a scan of the registry.
 */
final class Admission implements AutoCloseable {

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
            wakeLater(capability);
        }

        String capability() {
            return capability;
        }
    }

    /** How often waiting callers look again for registry changes and lower reported load. */
    static final long RECHECK_MS = 50;

    private final Registry registry;
    private final RoutingStrategy strategy;
    /** Calls in flight by worker id, then capability: looked up without building a key per call. */
    private final Map<String, Map<String, AtomicInteger>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong rejected = new AtomicLong();
    private final Map<String, Queue<Waiter>> waiters = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    Admission(Registry registry, RoutingStrategy strategy) {
        this.registry = registry;
        this.strategy = strategy;
    }

    int inFlight(String workerId, String capability) {
        Map<String, AtomicInteger> byCapability = inFlight.get(workerId);
        AtomicInteger counter = byCapability == null ? null : byCapability.get(capability);
        return counter == null ? 0 : counter.get();
    }

    private AtomicInteger counter(String workerId, String capability) {
        Map<String, AtomicInteger> byCapability = inFlight.get(workerId);
        if (byCapability == null) {
            byCapability = inFlight.computeIfAbsent(workerId, k -> new ConcurrentHashMap<>());
        }
        AtomicInteger counter = byCapability.get(capability);
        return counter != null ? counter : byCapability.computeIfAbsent(capability, k -> new AtomicInteger());
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
     * Takes a slot on a worker chosen by the strategy, waiting up to {@code maxWait} for one (blocking
     * form of {@link #acquireAsync}). 404 when no healthy worker offers the capability; 429 with
     * Retry-After when all stay full.
     */
    Lease acquire(String capability, Set<String> excluded, Duration maxWait) throws InterruptedException {
        try {
            return acquireAsync(capability, excluded, maxWait).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CrankException refused) {
                throw refused;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * As {@link #acquire}, without a thread: the future completes with a lease as soon as a slot frees
     * (a lease closes, or every {@value #RECHECK_MS} ms for changes in the registry and reported load), or
     * fails with 404 / 429 with Retry-After. Waiters for a capability are served first come, first served.
     */
    CompletableFuture<Lease> acquireAsync(String capability, Set<String> excluded, Duration maxWait) {
        Optional<Lease> now;
        try {
            now = tryAcquire(capability, excluded);
        } catch (CrankException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (now.isPresent()) {
            return CompletableFuture.completedFuture(now.get());
        }
        Waiter waiter = new Waiter(capability, Set.copyOf(excluded));
        if (maxWait.isZero() || maxWait.isNegative()) {
            reject(waiter);
            return waiter.future;
        }
        waiters.computeIfAbsent(capability, k -> new ConcurrentLinkedQueue<>()).add(waiter);
        ScheduledExecutorService timer = timer();
        waiter.timeout = timer.schedule(() -> reject(waiter), maxWait.toNanos(), TimeUnit.NANOSECONDS);
        wake(capability); // a slot may have freed between the first try and the enqueue
        return waiter.future;
    }

    /**
     * Begins handing a leased call to its worker: takes the dispatch stamp again and checks the worker is
     * still registered at the same address. Returns what ends the hand-over (run it once the request is
     * written to the connection), or null when the worker is gone, which the caller treats as not sent.
     */
    Runnable handOver(Lease lease) {
        long stamp = registry.enterDispatch();
        RegisteredWorker chosen = lease.worker();
        boolean present = registry.worker(chosen.workerId()).filter(w -> w.workerUrl().equals(chosen.workerUrl())).isPresent();
        if (!present) {
            registry.exitDispatch(stamp);
            return null;
        }
        return () -> registry.exitDispatch(stamp);
    }

    /** A slot now, or empty when every eligible worker is full; 404 when no healthy worker offers it. */
    private Optional<Lease> tryAcquire(String capability, Set<String> excluded) {
        while (true) {
            long stamp = registry.enterDispatch();
            boolean handedOver = false;
            try {
                Providers providers = registry.providers(capability).orElseThrow(() -> noHealthyWorker(capability));
                Instant now = registry.now();
                Optional<RegisteredWorker> choice = strategy.select(providers, view(capability, excluded, true, now));
                if (choice.isPresent()) {
                    RegisteredWorker worker = choice.get();
                    AtomicInteger counter = counter(worker.workerId(), capability);
                    int limit = share(worker, capability);
                    int current = counter.get();
                    if (current < limit && counter.compareAndSet(current, current + 1)) {
                        handedOver = true;
                        return Optional.of(new Lease(worker, capability, counter, stamp));
                    }
                    continue; // lost a race for the last slot: choose again
                }
                if (strategy.select(providers, view(capability, excluded, false, now)).isEmpty()) {
                    throw noHealthyWorker(capability);
                }
                return Optional.empty();
            } finally {
                if (!handedOver) {
                    registry.exitDispatch(stamp);
                }
            }
        }
    }

    /**
     * Wakes the capability's waiters on the admission thread, not on the caller's: a lease is often closed
     * on an event loop, and choosing a worker takes the registry's dispatch read stamp, which waits behind a
     * pending removal, which in turn waits for dispatches that event loop has yet to complete.
     */
    private void wakeLater(String capability) {
        Queue<Waiter> queue = waiters.get(capability);
        if (queue != null && !queue.isEmpty()) {
            runOnAdmissionThread(() -> wake(capability));
        }
    }

    /** Runs {@code task} on the admission thread (for work that takes the dispatch stamp, off event loops). */
    void runOnAdmissionThread(Runnable task) {
        try {
            timer().execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // closed: nothing is waiting any more, and nothing will block
        }
    }

    /** Grants free slots to the capability's waiters in arrival order; completes their futures outside the lock. */
    private void wake(String capability) {
        Queue<Waiter> queue = waiters.get(capability);
        if (queue == null || queue.isEmpty()) {
            return;
        }
        List<Runnable> completions = new ArrayList<>();
        synchronized (queue) {
            Waiter waiter;
            while ((waiter = queue.peek()) != null) {
                if (waiter.future.isDone()) {
                    queue.poll();
                    continue;
                }
                Optional<Lease> lease;
                try {
                    lease = tryAcquire(capability, waiter.excluded);
                } catch (CrankException e) {
                    queue.poll();
                    Waiter failed = waiter;
                    completions.add(() -> failed.fail(e));
                    continue;
                }
                if (lease.isEmpty()) {
                    break;
                }
                queue.poll();
                Waiter granted = waiter;
                Lease slot = lease.get();
                completions.add(() -> granted.grant(slot));
            }
        }
        completions.forEach(Runnable::run);
    }

    private void reject(Waiter waiter) {
        rejected.incrementAndGet(); // counted before the caller can see its 429
        if (!waiter.fail(CrankException.tooManyRequests("Every worker for " + waiter.capability + " is at its max_concurrency",
                Duration.ofSeconds(1)))) {
            rejected.decrementAndGet(); // it had been answered already
        }
    }

    private synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("crank-admission", true));
            timer.scheduleWithFixedDelay(() -> waiters.keySet().forEach(this::wake), RECHECK_MS, RECHECK_MS, TimeUnit.MILLISECONDS);
        }
        return timer;
    }

    /** Stops the admission timer; waiting callers get no further slot. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    /** A caller waiting for a slot, without a thread. */
    private final class Waiter {
        final String capability;
        final Set<String> excluded;
        final CompletableFuture<Lease> future = new CompletableFuture<>();
        volatile ScheduledFuture<?> timeout;

        Waiter(String capability, Set<String> excluded) {
            this.capability = capability;
            this.excluded = excluded;
        }

        void grant(Lease lease) {
            cancelTimeout();
            if (!future.complete(lease)) {
                lease.close(); // it timed out meanwhile: the slot goes to the next waiter
            }
        }

        boolean fail(CrankException e) {
            cancelTimeout();
            return future.completeExceptionally(e);
        }

        private void cancelTimeout() {
            ScheduledFuture<?> scheduled = timeout;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }

    private static CrankException noHealthyWorker(String capability) {
        return CrankException.notFound("NO_HEALTHY_WORKER", "No healthy worker offers " + capability);
    }
}
