package dev.crank.controller;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The workers that offer one capability, sorted by id, with the GPU ones precomputed: an immutable
 * value of the capability index, replaced (copy-on-write) only when membership changes, never on a
 * heartbeat. Health is not part of it: routing checks it on the candidates it picks.
 */
public final class Providers {

    private static final Comparator<RegisteredWorker> BY_ID = Comparator.comparing(RegisteredWorker::workerId);
    private static final RegisteredWorker[] NONE = new RegisteredWorker[0];

    private final String capability;
    private final RegisteredWorker[] sorted;
    private final List<RegisteredWorker> all;
    private final List<RegisteredWorker> gpu;

    private Providers(String capability, RegisteredWorker[] sorted, List<RegisteredWorker> gpu) {
        this.capability = capability;
        this.sorted = sorted;
        this.all = Collections.unmodifiableList(Arrays.asList(sorted));
        this.gpu = Collections.unmodifiableList(gpu);
    }

    static Providers of(String capability, Collection<RegisteredWorker> workers) {
        RegisteredWorker[] all = workers.toArray(NONE);
        Arrays.sort(all, BY_ID);
        return new Providers(capability, all, gpuOf(all, all.length));
    }

    public String capability() {
        return capability;
    }

    /** Every provider, sorted by id. */
    public List<RegisteredWorker> all() {
        return all;
    }

    /** The providers on a GPU, sorted by id. */
    public List<RegisteredWorker> gpu() {
        return gpu;
    }

    /**
     * {@code previous} (may be null) with {@code touched} applied: each id maps to its new entry, or to
     * null when it no longer offers the capability. Each touched id is found by binary search and the
     * untouched runs between them are copied whole, so a batch of k changes costs O(k log n) comparisons
     * and one array copy; the GPU subset is recomputed only when a GPU worker is among the touched.
     */
    static Providers merge(Providers previous, String capability, Map<String, RegisteredWorker> touched) {
        RegisteredWorker[] old = previous == null ? NONE : previous.sorted;
        String[] ids = touched.keySet().toArray(String[]::new);
        Arrays.sort(ids);
        RegisteredWorker[] out = new RegisteredWorker[old.length + ids.length];
        int size = 0;
        int from = 0;
        boolean gpuChanged = previous == null;
        for (String id : ids) {
            int at = search(old, from, id);
            System.arraycopy(old, from, out, size, at - from);
            size += at - from;
            if (at < old.length && old[at].workerId().equals(id)) {
                gpuChanged |= old[at].onGpu();
                from = at + 1;
            } else {
                from = at;
            }
            RegisteredWorker next = touched.get(id);
            if (next != null) {
                gpuChanged |= next.onGpu();
                out[size++] = next;
            }
        }
        System.arraycopy(old, from, out, size, old.length - from);
        size += old.length - from;
        RegisteredWorker[] all = size == out.length ? out : Arrays.copyOf(out, size);
        return new Providers(capability, all, gpuChanged ? gpuOf(all, size) : previous.gpu);
    }

    public int size() {
        return sorted.length;
    }

    /** The index of the first provider whose id sorts after {@code workerId} (binary search). */
    int indexAfter(String workerId) {
        int at = search(sorted, 0, workerId);
        return at < sorted.length && sorted[at].workerId().equals(workerId) ? at + 1 : at;
    }

    /** The index of {@code workerId} in {@code sorted}, or where it would be inserted, searching from {@code from}. */
    private static int search(RegisteredWorker[] sorted, int from, String workerId) {
        int low = from;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle].workerId().compareTo(workerId) < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static List<RegisteredWorker> gpuOf(RegisteredWorker[] all, int size) {
        List<RegisteredWorker> gpu = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (all[i].onGpu()) {
                gpu.add(all[i]);
            }
        }
        return gpu;
    }
}
