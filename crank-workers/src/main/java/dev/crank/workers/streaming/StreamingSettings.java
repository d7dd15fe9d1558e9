package dev.crank.workers.streaming;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Tunables of the {@link StreamingWorker}. Defaults: a {@code : keep-alive} comment every 15 s, {@code retry: 3000} on the first status event, at most 100 status subscribers
 * (over {@code POST /invoke/stream/sse_events} and {@code GET /events} together) and 32 text streams.
 *
 * @param keepAlive      period of the {@code : keep-alive} comments of a status stream
 * @param retry          reconnection delay advertised to status subscribers in the {@code retry:} field
 * @param maxSubscribers status subscribers served at once; one more gets a 429
 * @param maxTextStreams text streams served at once ({@code max_concurrency} of {@code stream:text_events})
 */
public record StreamingSettings(Duration keepAlive, Duration retry, int maxSubscribers, int maxTextStreams) {

    public StreamingSettings {
        positive("keepAlive", requireNonNull(keepAlive, "keepAlive"));
        positive("retry", requireNonNull(retry, "retry"));
        if (maxSubscribers < 1) {
            throw new IllegalArgumentException("maxSubscribers: " + maxSubscribers + " (expected: >= 1)");
        }
        if (maxTextStreams < 1) {
            throw new IllegalArgumentException("maxTextStreams: " + maxTextStreams + " (expected: >= 1)");
        }
    }

    public static StreamingSettings defaults() {
        return new StreamingSettings(Duration.ofSeconds(15), Duration.ofSeconds(3), 100, 32);
    }

    public StreamingSettings withKeepAlive(Duration period) {
        return new StreamingSettings(period, retry, maxSubscribers, maxTextStreams);
    }

    public StreamingSettings withMaxSubscribers(int subscribers) {
        return new StreamingSettings(keepAlive, retry, subscribers, maxTextStreams);
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
