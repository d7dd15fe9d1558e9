package dev.crank.bench;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time and allocation per call, by thread group, over one phase of a benchmark run in this JVM:
 * which share of a call each component costs (the load generator, the controller's event loops and
 * handler threads, the worker's) holds up better on a loaded machine than latencies do. Thread groups
 * are thread names without their numbers ({@code crank-controller-io}); the JVM's own compiler and GC
 * threads are counted together as {@code jvm} from the process CPU time.
 */
final class CpuPerCall {

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private Map<Long, long[]> start;
    private long processStart;

    /** Starts a phase. */
    void begin() {
        start = sample();
        processStart = os.getProcessCpuTime();
    }

    /** Ends the phase: per group, CPU microseconds and allocated bytes per call over {@code calls}. */
    String end(long calls) {
        Map<Long, long[]> now = sample();
        long process = os.getProcessCpuTime() - processStart;
        Map<String, long[]> groups = new TreeMap<>();
        long javaCpu = 0;
        for (long id : threads.getAllThreadIds()) {
            long[] after = now.get(id);
            if (after == null) {
                continue;
            }
            long[] before = start.getOrDefault(id, new long[] {0, 0});
            String name = group(threadName(id));
            long[] sum = groups.computeIfAbsent(name, k -> new long[2]);
            sum[0] += after[0] - before[0];
            sum[1] += after[1] - before[1];
            javaCpu += after[0] - before[0];
        }
        StringBuilder line = new StringBuilder();
        double perCall = Math.max(1, calls);
        line.append(String.format("total %.1f us/call (jvm compiler+gc %.1f)", process / 1000.0 / perCall,
                Math.max(0, process - javaCpu) / 1000.0 / perCall));
        groups.entrySet().stream()
                .filter(e -> e.getValue()[0] / perCall >= 200) // >= 0.2 us per call
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> line.append(String.format("; %s %.1f us %.0f B", e.getKey(), e.getValue()[0] / 1000.0 / perCall,
                        e.getValue()[1] / perCall)));
        return line.toString();
    }

    private Map<Long, long[]> sample() {
        Map<Long, long[]> sample = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            long allocated = threads.getThreadAllocatedBytes(id);
            if (cpu >= 0) {
                sample.put(id, new long[] {cpu, Math.max(0, allocated)});
            }
        }
        return sample;
    }

    private String threadName(long id) {
        java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
        return info == null ? "gone" : info.getThreadName();
    }

    /** {@code crank-controller-io-4-1} → {@code crank-controller-io}. */
    static String group(String threadName) {
        return threadName.replaceAll("(-\\d+)+$", "");
    }
}
