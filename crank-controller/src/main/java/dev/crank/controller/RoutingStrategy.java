package dev.crank.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Picks one worker among the healthy ones offering a capability. */
@FunctionalInterface
public interface RoutingStrategy {

    Optional<RegisteredWorker> select(String capability, List<RegisteredWorker> healthy);

    /** Plain round robin per capability. */
    static RoutingStrategy roundRobin() {
        ConcurrentHashMap<String, AtomicLong> counters = new ConcurrentHashMap<>();
        return (capability, healthy) -> {
            if (healthy.isEmpty()) {
                return Optional.empty();
            }
            long turn = counters.computeIfAbsent(capability, key -> new AtomicLong()).getAndIncrement();
            return Optional.of(healthy.get((int) Math.floorMod(turn, (long) healthy.size())));
        };
    }

    /** Round robin among the workers on a GPU when any is healthy, else among all. */
    static RoutingStrategy gpuFirst() {
        RoutingStrategy roundRobin = roundRobin();
        return (capability, healthy) -> {
            List<RegisteredWorker> gpu = new ArrayList<>();
            for (RegisteredWorker worker : healthy) {
                if (worker.onGpu()) {
                    gpu.add(worker);
                }
            }
            return roundRobin.select(capability, gpu.isEmpty() ? healthy : gpu);
        };
    }
}
