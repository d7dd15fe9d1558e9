package dev.crank.controller;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Picks one worker for a call among a capability's {@link Providers}, given what routing knows of
 * each now ({@link Load}: eligible = healthy, not excluded, below its bound). Strategies look at a few
 * candidates, not at every provider, so a decision costs O(1) in the common case and O(providers) only
 * when most providers are not eligible. Named implementations: {@link #roundRobin()},
 * {@link #leastInFlight()} and {@link #gpuFirst(RoutingStrategy)}.
 */
@FunctionalInterface
public interface RoutingStrategy {

    /** What a strategy may ask about a provider at the moment of the decision. */
    interface Load {
        boolean eligible(RegisteredWorker worker);

        int inFlight(RegisteredWorker worker);
    }

    /** An eligible worker among {@code candidates} (sorted by id, eligible or not), or nothing. */
    Optional<RegisteredWorker> select(String capability, List<RegisteredWorker> candidates, Load load);

    /** Selects among a capability's providers; {@link #gpuFirst} looks at the GPU ones first. */
    default Optional<RegisteredWorker> select(Providers providers, Load load) {
        return select(providers.capability(), providers.all(), load);
    }

    /** Plain round robin per capability, load ignored: the next eligible worker after the last turn. */
    static RoutingStrategy roundRobin() {
        ConcurrentHashMap<String, AtomicLong> counters = new ConcurrentHashMap<>();
        return (capability, candidates, load) -> {
            int size = candidates.size();
            if (size == 0) {
                return Optional.empty();
            }
            int start = (int) Math.floorMod(counters.computeIfAbsent(capability, key -> new AtomicLong()).getAndIncrement(), (long) size);
            for (int i = 0; i < size; i++) {
                RegisteredWorker worker = candidates.get((start + i) % size);
                if (load.eligible(worker)) {
                    return Optional.of(worker);
                }
            }
            return Optional.empty();
        };
    }

    /**
     * Power of two choices: two eligible candidates at random, the one with fewer calls in flight
     * wins, alternating on ties. Near-optimal balance at O(1) cost and no herd on a single worker; when
     * random probes keep finding ineligible workers it falls back to one scan for the least loaded.
     */
    static RoutingStrategy leastInFlight() {
        ConcurrentHashMap<String, AtomicLong> counters = new ConcurrentHashMap<>();
        return (capability, candidates, load) -> {
            int size = candidates.size();
            if (size == 0) {
                return Optional.empty();
            }
            long turn = counters.computeIfAbsent(capability, key -> new AtomicLong()).getAndIncrement();
            if (size <= 8) {
                return scan(candidates, load, turn);
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            RegisteredWorker first = null;
            for (int probe = 0; probe < 16; probe++) {
                RegisteredWorker candidate = candidates.get(random.nextInt(size));
                if (candidate == first || !load.eligible(candidate)) {
                    continue;
                }
                if (first == null) {
                    first = candidate;
                    continue;
                }
                return Optional.of(lighter(first, candidate, load, turn));
            }
            return first != null ? Optional.of(first) : scan(candidates, load, turn);
        };
    }

    /**
     * Prefers workers on a GPU while one of them is eligible, spilling to the others when every GPU
     * worker is at its bound; {@code within} chooses inside each group.
     */
    static RoutingStrategy gpuFirst(RoutingStrategy within) {
        return new RoutingStrategy() {
            @Override
            public Optional<RegisteredWorker> select(String capability, List<RegisteredWorker> candidates, Load load) {
                return within.select(capability, candidates, load);
            }

            @Override
            public Optional<RegisteredWorker> select(Providers providers, Load load) {
                if (!providers.gpu().isEmpty()) {
                    Optional<RegisteredWorker> gpu = within.select(providers.capability(), providers.gpu(), load);
                    if (gpu.isPresent()) {
                        return gpu;
                    }
                }
                return within.select(providers, load);
            }
        };
    }

    /** The controller's default: GPU first, then least in flight. */
    static RoutingStrategy standard() {
        return gpuFirst(leastInFlight());
    }

    private static Optional<RegisteredWorker> scan(List<RegisteredWorker> candidates, Load load, long turn) {
        RegisteredWorker best = null;
        int bestLoad = Integer.MAX_VALUE;
        int ties = 0;
        for (RegisteredWorker candidate : candidates) {
            if (!load.eligible(candidate)) {
                continue;
            }
            int inFlight = load.inFlight(candidate);
            if (inFlight < bestLoad) {
                best = candidate;
                bestLoad = inFlight;
                ties = 1;
            } else if (inFlight == bestLoad && Math.floorMod(turn, ++ties) == 0) {
                best = candidate; // spread ties over the equally loaded
            }
        }
        return Optional.ofNullable(best);
    }

    private static RegisteredWorker lighter(RegisteredWorker a, RegisteredWorker b, Load load, long turn) {
        int loadA = load.inFlight(a);
        int loadB = load.inFlight(b);
        if (loadA != loadB) {
            return loadA < loadB ? a : b;
        }
        return turn % 2 == 0 ? a : b;
    }
}
