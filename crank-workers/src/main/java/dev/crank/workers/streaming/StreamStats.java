package dev.crank.workers.streaming;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Live counters of the streaming worker, shown in {@code GET /status} and in every status event. */
final class StreamStats {

    private final AtomicInteger textStreams = new AtomicInteger();
    private final AtomicInteger subscribers = new AtomicInteger();
    private final AtomicLong chunksProduced = new AtomicLong();
    private final AtomicLong eventsProduced = new AtomicLong();
    private final AtomicLong keepAlivesSent = new AtomicLong();

    void textStreamOpened() {
        textStreams.incrementAndGet();
    }

    void textStreamClosed() {
        textStreams.decrementAndGet();
    }

    void subscriberOpened() {
        subscribers.incrementAndGet();
    }

    void subscriberClosed() {
        subscribers.decrementAndGet();
    }

    void chunkProduced() {
        chunksProduced.incrementAndGet();
    }

    void eventProduced() {
        eventsProduced.incrementAndGet();
    }

    void keepAliveSent() {
        keepAlivesSent.incrementAndGet();
    }

    /** Text streams and status subscribers being served now. */
    int activeStreams() {
        return textStreams.get() + subscribers.get();
    }

    void describe(ObjectNode status, int maxSubscribers) {
        ObjectNode streams = status.putObject("streams");
        streams.put("active_streams", activeStreams());
        streams.put("text_streams", textStreams.get());
        streams.put("sse_subscribers", subscribers.get());
        streams.put("max_subscribers", maxSubscribers);
        streams.put("chunks_produced", chunksProduced.get());
        streams.put("events_produced", eventsProduced.get());
        streams.put("keep_alives_sent", keepAlivesSent.get());
    }
}
