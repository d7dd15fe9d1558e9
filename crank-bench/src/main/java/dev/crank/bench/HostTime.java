package dev.crank.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the host did during a phase, from the first line of {@code /proc/stat}: the share of CPU time stolen by
 * the hypervisor for other guests, beside the JIT's compile time in this JVM. Both take cores from a phase
 * without showing in its own threads, so a phase reports them next to its figures. Where {@code /proc/stat}
 * cannot be read the steal is -1.
 */
final class HostTime {

    private static final Path STAT = Path.of("/proc/stat");

    private final long[] start;
    private final long jitStart;

    private HostTime(long[] start, long jitStart) {
        this.start = start;
        this.jitStart = jitStart;
    }

    static HostTime begin() {
        return new HostTime(cpuLine(), Harness.jitMillis());
    }

    /** Steal and JIT since {@link #begin()}. */
    Span end() {
        long[] now = cpuLine();
        long jit = Harness.jitMillis() - jitStart;
        if (start == null || now == null) {
            return new Span(-1, jit);
        }
        long total = 0;
        for (int i = 0; i < now.length; i++) {
            total += now[i] - start[i];
        }
        long steal = now.length > 7 ? now[7] - start[7] : 0; // user nice system idle iowait irq softirq steal
        return new Span(total == 0 ? 0 : 100.0 * steal / total, jit);
    }

    /** Steal in percent of all CPU time of the phase, JIT compile time in milliseconds. */
    record Span(double stealPercent, long jitMillis) {

        /** This phase and {@code other} as one: the larger steal of the two, their JIT times added. */
        Span over(Span other) {
            return new Span(Math.max(stealPercent, other.stealPercent), jitMillis + other.jitMillis);
        }

        @Override
        public String toString() {
            return stealPercent < 0 ? String.format("jit %d ms", jitMillis)
                    : String.format("steal %.1f %%, jit %d ms", stealPercent, jitMillis);
        }
    }

    private static long[] cpuLine() {
        try {
            List<String> lines = Files.readAllLines(STAT);
            String[] fields = lines.get(0).trim().split("\\s+");
            if (!fields[0].equals("cpu")) {
                return null;
            }
            int count = Math.min(fields.length - 1, 8);
            long[] values = new long[count];
            for (int i = 0; i < count; i++) {
                values[i] = Long.parseLong(fields[i + 1]);
            }
            return values;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
