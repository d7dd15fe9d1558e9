package dev.crank.controller;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The workers that offer one capability, sorted by id, with the GPU ones precomputed: an immutable
 * value of the capability index, replaced (copy-on-write) only when membership changes, never on a
 * heartbeat. Health is not part of it: routing checks it on the candidates it picks.
 */
public record Providers(String capability, List<RegisteredWorker> all, List<RegisteredWorker> gpu) {

    private static final Comparator<RegisteredWorker> BY_ID = Comparator.comparing(RegisteredWorker::workerId);

    public Providers {
        all = List.copyOf(all);
        gpu = List.copyOf(gpu);
    }

    static Providers of(String capability, Collection<RegisteredWorker> workers) {
        List<RegisteredWorker> all = new ArrayList<>(workers);
        all.sort(BY_ID);
        List<RegisteredWorker> gpu = new ArrayList<>();
        for (RegisteredWorker worker : all) {
            if (worker.onGpu()) {
                gpu.add(worker);
            }
        }
        return new Providers(capability, all, gpu);
    }

    /**
     * {@code previous} (may be null) with {@code touched} applied: each id maps to its new entry, or to
     * null when it no longer offers the capability. O(providers + touched log touched): a merge, not a sort.
     */
    static Providers merge(Providers previous, String capability, Map<String, RegisteredWorker> touched) {
        List<RegisteredWorker> added = new ArrayList<>();
        for (RegisteredWorker worker : touched.values()) {
            if (worker != null) {
                added.add(worker);
            }
        }
        added.sort(BY_ID);
        List<RegisteredWorker> old = previous == null ? List.of() : previous.all();
        List<RegisteredWorker> all = new ArrayList<>(old.size() + added.size());
        int next = 0;
        for (RegisteredWorker worker : old) {
            if (touched.containsKey(worker.workerId())) {
                continue;
            }
            while (next < added.size() && BY_ID.compare(added.get(next), worker) < 0) {
                all.add(added.get(next++));
            }
            all.add(worker);
        }
        while (next < added.size()) {
            all.add(added.get(next++));
        }
        List<RegisteredWorker> gpu = new ArrayList<>();
        for (RegisteredWorker worker : all) {
            if (worker.onGpu()) {
                gpu.add(worker);
            }
        }
        return new Providers(capability, all, gpu);
    }

    public int size() {
        return all.size();
    }

    /** The index of the first provider whose id sorts after {@code workerId} (binary search). */
    int indexAfter(String workerId) {
        int low = 0;
        int high = all.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (all.get(middle).workerId().compareTo(workerId) <= 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}
