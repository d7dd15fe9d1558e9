package dev.crank.core.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter": attempt n waits a random time between half and all of
 * {@code min(cap, initial * 2^(n-1))}, so retries spread out and never exceed the cap.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration cap;
    private final RandomGenerator random;

    public Backoff(Duration initial, Duration cap, RandomGenerator random) {
        this.initial = initial;
        this.cap = cap;
        this.random = random;
    }

    /** The delay before retry {@code attempt} (1 for the first retry). */
    public Duration delay(int attempt) {
        long ceiling = cap.toNanos();
        long base = initial.toNanos();
        for (int i = 1; i < attempt && base < ceiling; i++) {
            base *= 2;
        }
        base = Math.min(base, ceiling);
        return Duration.ofNanos(base / 2 + (long) (random.nextDouble() * (base - base / 2)));
    }

    /** {@code interval} moved at random by up to ±{@code fraction} of itself. */
    public static Duration jitter(Duration interval, double fraction, RandomGenerator random) {
        double factor = 1 + fraction * (2 * random.nextDouble() - 1);
        return Duration.ofNanos((long) (interval.toNanos() * factor));
    }
}
