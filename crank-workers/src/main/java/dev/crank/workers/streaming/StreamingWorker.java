package dev.crank.workers.streaming;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.HealthState;
import dev.crank.core.Routes;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import java.util.List;

/**
 * Server-sent events: {@code stream:text_events} streams a text as word chunks, and
 * {@code stream:sse_events} (also at {@code GET /events}) sends status events until the client leaves.
 * Every stream is written as it is produced, stops when its client disconnects and slows down with a
 * slow client. See {@code docs/workers/streaming.md}.
 */
public final class StreamingWorker extends WorkerApplication {

    public static final String WORKER_ID = "crank-streaming";
    public static final int DEFAULT_PORT = 8501;
    public static final String TEXT_EVENTS = "stream:text_events";
    public static final String SSE_EVENTS = "stream:sse_events";

    private final StreamingSettings settings;
    private final StreamStats stats = new StreamStats();
    private final TextEvents textEvents;
    private final StatusEvents statusEvents;

    public StreamingWorker(WorkerConfig config) {
        this(config, StreamingSettings.defaults());
    }

    public StreamingWorker(WorkerConfig config, StreamingSettings settings) {
        super(config);
        this.settings = requireNonNull(settings, "settings");
        // A text stream is bounded work: a draining worker lets it finish (within the shutdown budget,
        // after which the framework closes the connection). A status stream never ends by itself, so
        // draining ends it.
        this.textEvents = new TextEvents(config.clock(), stats, new Pacer(() -> health() != HealthState.STOPPED));
        this.statusEvents = new StatusEvents(config.workerId(), config.clock(), stats,
                new Pacer(() -> health() == HealthState.HEALTHY), settings, this::health);
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of(
                CapabilitySchema.builder("stream", "text_events")
                        .version("1.0.0")
                        .description("Streams a text as server-sent 'chunk' events of whole words, then a 'done' event; "
                                + "Accept: application/json returns the chunks as one array")
                        .inputSchema(TextEvents.INPUT_SCHEMA)
                        .outputSchema(TextEvents.OUTPUT_SCHEMA)
                        .maxConcurrency(settings.maxTextStreams())
                        .idempotent(true)
                        .tags("streaming", "sse")
                        .build(),
                CapabilitySchema.builder("stream", "sse_events")
                        .version("1.0.0")
                        .description("Server-sent status events every interval_ms until the client leaves or max_events "
                                + "are sent; also served at GET /events; Last-Event-ID continues the numbering")
                        .inputSchema(StatusEvents.INPUT_SCHEMA)
                        .outputSchema(StatusEvents.OUTPUT_SCHEMA)
                        .maxConcurrency(settings.maxSubscribers())
                        .idempotent(true)
                        .tags("streaming", "sse")
                        .errorCodes("INVALID_LAST_EVENT_ID")
                        .build());
    }

    @Override
    protected void configure(Routes routes) {
        routes.capability(TEXT_EVENTS, textEvents)
                .capability(SSE_EVENTS, statusEvents::invoke)
                .get("/events", statusEvents::events);
    }

    @Override
    protected void describeStatus(ObjectNode status) {
        stats.describe(status, settings.maxSubscribers());
    }

    /** Text streams and status subscribers being served now. */
    public int activeStreams() {
        return stats.activeStreams();
    }
}
