package dev.crank.testing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.BooleanSupplier;

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
}
