package dev.crank.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void growsExponentiallyWithJitterAndNeverPassesTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new SplittableRandom(42));

        for (int attempt = 1; attempt <= 40; attempt++) {
            long ceiling = Math.min(30_000, 100L << Math.min(attempt - 1, 20));
            Duration delay = backoff.delay(attempt);
            assertThat(delay.toMillis()).as("attempt %d", attempt).isBetween(ceiling / 2, ceiling);
        }
    }

    @Test
    void heartbeatJitterStaysWithinTenPercent() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            Duration jittered = Backoff.jitter(Duration.ofSeconds(30), 0.1, random);
            assertThat(jittered.toMillis()).isBetween(27_000L, 33_000L);
        }
    }
}
