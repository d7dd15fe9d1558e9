package dev.crank.workers.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<String> lines = new ArrayList<>();

    private void elapse(Duration duration) {
        clock.addAndGet(duration.toNanos());
    }

    @Test
    void printsRateAndTimeLeftAtMostOncePerInterval() {
        Progress progress = new Progress("training", 100, "epochs", lines::add, clock::get, Duration.ofSeconds(5));
        elapse(Duration.ofSeconds(2));
        progress.advance(10);
        assertThat(lines).as("not yet 5 s").isEmpty();
        elapse(Duration.ofSeconds(8));
        progress.advance(15); // 25 epochs in 10 s: 2.5/s, 75 left = 30 s
        assertThat(lines).containsExactly("training: 25/100 epochs (25%), 2.5 epochs/s, 30s left");
        elapse(Duration.ofSeconds(1));
        progress.step();
        assertThat(lines).hasSize(1);
        elapse(Duration.ofSeconds(189));
        progress.advance(74);
        progress.finish();
        assertThat(lines).last().isEqualTo("training: 100 epochs in 3m20s (0.5 epochs/s)");
    }

    @Test
    void timeLeftIsLeftOutBeforeAnythingIsDone() {
        Progress progress = new Progress("scoring", 4000, "messages", lines::add, clock::get, Duration.ZERO);
        elapse(Duration.ofHours(2));
        progress.advance(0);
        progress.advance(1000);
        assertThat(lines).containsExactly("scoring: 0/4000 messages (0%), 0.0 messages/s",
                "scoring: 1000/4000 messages (25%), 0.1 messages/s, 6h00m left");
    }
}
