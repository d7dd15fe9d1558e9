package dev.crank.testing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Waits for something another thread does (a registration, a heartbeat, a process exit): polls
 * {@code condition} until it holds and fails with {@code what} when {@code timeout} passes first. The
 * timeout is a deadline against hangs, never a figure the test asserts.
 */
public final class Await {

    private static final long POLL_MILLIS = 20;

    private Await() {}

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        requireNonNull(what, "what");
        requireNonNull(condition, "condition");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }

    /**
     * Waits until {@code value} stops moving (the same in four samples 250 ms apart, e.g. bytes a stalled
     * stream has produced) and returns where it stopped; after {@code timeout} it returns the last sample.
     */
    public static long untilSteady(Duration timeout, LongSupplier value) {
        requireNonNull(value, "value");
        long last = -1;
        int unchanged = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unchanged < 4 && System.nanoTime() < deadline) {
            long now = value.getAsLong();
            unchanged = now == last ? unchanged + 1 : 0;
            last = now;
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for a steady value", e);
            }
        }
        return last;
    }
}
