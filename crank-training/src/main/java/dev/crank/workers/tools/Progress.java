package dev.crank.workers.tools;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Progress of a long command-line job (training, evaluations, benchmarks) as one line every few seconds:
 * {@code training: 120/500 epochs (24%), 3.2 epochs/s, 1m58s left}. Thread-safe; the clock is injected
 * so tests need not wait.
 *
 * <pre>{@code
 * Progress progress = Progress.toStderr("training", epochs, "epochs");
 * for (...) { ...; progress.step(); }
 * progress.finish();
 * }</pre>
 */
public final class Progress {

    private final String task;
    private final long total;
    private final String unit;
    private final Consumer<String> out;
    private final LongSupplier nanos;
    private final long everyNanos;
    private final long started;
    private long done;
    private long lastPrinted;

    public Progress(String task, long total, String unit, Consumer<String> out, LongSupplier nanos, Duration every) {
        this.task = requireNonNull(task, "task");
        if (total < 0) {
            throw new IllegalArgumentException("total: " + total + " (expected: >= 0)");
        }
        this.total = total;
        this.unit = requireNonNull(unit, "unit");
        this.out = requireNonNull(out, "out");
        this.nanos = requireNonNull(nanos, "nanos");
        this.everyNanos = requireNonNull(every, "every").toNanos();
        this.started = nanos.getAsLong();
        this.lastPrinted = started;
    }

    /** A line at most every 5 s on standard error, so standard output keeps only the results. */
    @SuppressWarnings("java:S106")
    public static Progress toStderr(String task, long total, String unit) {
        PrintStream err = Terminal.diagnostics();
        return new Progress(task, total, unit, err::println, System::nanoTime, Duration.ofSeconds(5));
    }

    public void step() {
        advance(1);
    }

    /** Counts {@code n} more units done; prints when the interval has passed since the last line. */
    public synchronized void advance(long n) {
        done = Math.min(total, done + n);
        long now = nanos.getAsLong();
        if (now - lastPrinted >= everyNanos && done < total) {
            lastPrinted = now;
            out.accept(line(now));
        }
    }

    /** Prints the closing line: how many, how long, at what rate. */
    public synchronized void finish() {
        long elapsed = nanos.getAsLong() - started;
        out.accept(String.format(Locale.ROOT, "%s: %d %s in %s (%s %s/s)", task, done, unit, duration(elapsed),
                rate(done, elapsed), unit));
    }

    synchronized String line(long now) {
        long elapsed = now - started;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: %d/%d %s (%d%%), %s %s/s", task, done, total, unit,
                total == 0 ? 100 : done * 100 / total, rate(done, elapsed), unit));
        if (done > 0) {
            long left = (long) ((double) elapsed / done * (total - done));
            line.append(", ").append(duration(left)).append(" left");
        }
        return line.toString();
    }

    private static String rate(long count, long elapsedNanos) {
        double perSecond = elapsedNanos <= 0 ? 0 : count / (elapsedNanos / 1e9);
        return perSecond >= 100 ? String.format(Locale.ROOT, "%.0f", perSecond) : String.format(Locale.ROOT, "%.1f", perSecond);
    }

    /** {@code 42s}, {@code 3m05s}, {@code 2h10m}. */
    public static String duration(long nanos) {
        long seconds = Math.round(nanos / 1e9);
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return (seconds / 60) + "m" + String.format(Locale.ROOT, "%02d", seconds % 60) + "s";
        }
        return (seconds / 3600) + "h" + String.format(Locale.ROOT, "%02d", (seconds % 3600) / 60) + "m";
    }
}
