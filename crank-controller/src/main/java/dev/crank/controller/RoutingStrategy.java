package dev.crank.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Picks one worker among the healthy candidates for a capability, given their load. Named
 * implementations: {@link #roundRobin()}, {@link #leastInFlight()} and {@link #gpuFirst(RoutingStrategy)}.
 */
@FunctionalInterface
public interface RoutingStrategy {

    /** A healthy worker offering the capability, with its current load and declared bound. */
    record Candidate(RegisteredWorker worker, int inFlight, int maxConcurrency) {
        public boolean hasCapacity() {
            return inFlight < maxConcurrency;
        }
    }

    /** Chooses among {@code candidates} (never empty), or nothing. */
    Optional<Candidate> select(String capability, List<Candidate> candidates);

    /** Plain round robin per capability, load ignored. */
    static RoutingStrategy roundRobin() {
        ConcurrentHashMap<String, AtomicLong> counters = new ConcurrentHashMap<>();
        return (capability, candidates) -> candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(
                (int) Math.floorMod(counters.computeIfAbsent(capability, key -> new AtomicLong()).getAndIncrement(), (long) candidates.size())));
    }

    /**
     * Power of two choices: two candidates at random, the one with fewer calls in flight wins,
     * round robin breaks ties. Near-optimal balance at O(1) cost and no herd on a single worker.
     */
    static RoutingStrategy leastInFlight() {
        ConcurrentHashMap<String, AtomicLong> counters = new ConcurrentHashMap<>();
        return (capability, candidates) -> {
            int size = candidates.size();
            if (size == 0) {
                return Optional.empty();
            }
            long turn = counters.computeIfAbsent(capability, key -> new AtomicLong()).getAndIncrement();
            if (size == 1) {
                return Optional.of(candidates.get(0));
            }
            int first;
            int second;
            if (size == 2) {
                first = 0;
                second = 1;
            } else {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                first = random.nextInt(size);
                second = (first + 1 + random.nextInt(size - 1)) % size;
            }
            Candidate a = candidates.get(first);
            Candidate b = candidates.get(second);
            if (a.inFlight() != b.inFlight()) {
                return Optional.of(a.inFlight() < b.inFlight() ? a : b);
            }
            return Optional.of(turn % 2 == 0 ? a : b);
        };
    }

    /**
     * Prefers workers on a GPU while one of them has capacity, spilling to the others when every
     * GPU worker is at its bound; {@code within} chooses inside the preferred group.
     */
    static RoutingStrategy gpuFirst(RoutingStrategy within) {
        return (capability, candidates) -> {
            List<Candidate> gpu = new ArrayList<>();
            for (Candidate candidate : candidates) {
                if (candidate.worker().onGpu() && candidate.hasCapacity()) {
                    gpu.add(candidate);
                }
            }
            return within.select(capability, gpu.isEmpty() ? candidates : gpu);
        };
    }

    /** The controller's default: GPU first, then least in flight. */
    static RoutingStrategy standard() {
        return gpuFirst(leastInFlight());
    }
}
