package dev.crank.workers.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankException;
import dev.crank.core.CrankJson;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.HealthState;
import dev.crank.core.JsonSchemaValidator;
import dev.crank.core.ResponseStream;
import dev.crank.core.ServerSentEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * {@code stream:sse_events} and {@code GET /events}: a status event every {@code interval_ms} until the
 * client leaves, the worker drains or {@code max_events} have been sent, with a {@code : keep-alive}
 * comment every keep-alive period (15 s by default) whatever the events in between. Numbering
 * continues after {@code Last-Event-ID}. Both routes draw on one pool of subscriber permits, so their sum is bounded.
 */
final class StatusEvents {

    static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "interval_ms": {"type": "integer", "minimum": 100, "maximum": 60000, "default": 5000,
                                "description": "Time between two status events"},
                "max_events": {"type": "integer", "minimum": 1,
                               "description": "End the stream after this many events; default: run until the client leaves"}
              }
            }
            """;
    static final String OUTPUT_SCHEMA = """
            {
              "description": "text/event-stream of 'status' events (id = event_id, data = this object); 'retry:' on the first event; a ': keep-alive' comment every keep-alive period (15 s).",
              "type": "object",
              "required": ["event_id", "timestamp", "worker_id", "active_streams", "message"],
              "additionalProperties": false,
              "properties": {
                "event_id": {"type": "integer", "minimum": 1},
                "timestamp": {"type": "string", "format": "date-time"},
                "worker_id": {"type": "string"},
                "active_streams": {"type": "integer", "minimum": 0},
                "message": {"type": "string"}
              }
            }
            """;

    /** Ids stay exact in JavaScript (2^53 - 1), far from overflowing a long. */
    static final long MAX_EVENT_ID = (1L << 53) - 1;

    private record Subscription(Duration interval, OptionalLong maxEvents, long lastEventId) {}

    private final String workerId;
    private final Clock clock;
    private final StreamStats stats;
    private final Pacer pacer;
    private final StreamingSettings settings;
    private final Supplier<HealthState> health;
    private final Semaphore permits;
    private final JsonSchemaValidator queryValidator = JsonSchemaValidator.of(CrankJson.parse(INPUT_SCHEMA));

    StatusEvents(String workerId, Clock clock, StreamStats stats, Pacer pacer, StreamingSettings settings,
                 Supplier<HealthState> health) {
        this.workerId = workerId;
        this.clock = clock;
        this.stats = stats;
        this.pacer = pacer;
        this.settings = settings;
        this.health = health;
        this.permits = new Semaphore(settings.maxSubscribers());
    }

    /** {@code POST /invoke/stream/sse_events}: the framework has validated the body already. */
    CrankResponse invoke(CrankRequest request) {
        return subscribe(request, request.json());
    }

    /** {@code GET /events?interval_ms=..&max_events=..}: the query is checked against the same schema. */
    CrankResponse events(CrankRequest request) {
        if (health.get() != HealthState.HEALTHY) {
            throw new CrankException(503, "NOT_READY", workerId + " is " + healthName());
        }
        ObjectNode input = CrankJson.object();
        List<String> errors = new ArrayList<>();
        for (String name : List.of("interval_ms", "max_events")) {
            request.queryParam(name).ifPresent(value -> {
                try {
                    input.put(name, Long.parseLong(value.trim()));
                } catch (NumberFormatException e) {
                    errors.add("/" + name + ": '" + value + "' is not an integer");
                }
            });
        }
        errors.addAll(queryValidator.validate(input));
        if (!errors.isEmpty()) {
            throw CrankException.invalid("INVALID_INPUT", "The query does not match the input schema of stream:sse_events", errors);
        }
        return subscribe(request, input);
    }

    private CrankResponse subscribe(CrankRequest request, JsonNode input) {
        JsonNode max = input.path("max_events");
        Subscription subscription = new Subscription(
                Duration.ofMillis(input.path("interval_ms").asLong(5000)),
                max.isNumber() ? OptionalLong.of(max.asLong()) : OptionalLong.empty(),
                lastEventId(request));
        if (!permits.tryAcquire()) {
            throw CrankException.tooManyRequests("All " + settings.maxSubscribers() + " status subscriptions are taken",
                    Duration.ofSeconds(1));
        }
        return CrankResponse.stream(ServerSentEvent.MEDIA_TYPE, out -> stream(out, subscription))
                .whenStreamDone(permits::release);
    }

    private static long lastEventId(CrankRequest request) {
        Optional<String> header = request.header("last-event-id").map(String::trim).filter(value -> !value.isEmpty());
        if (header.isEmpty()) {
            return 0;
        }
        try {
            long id = Long.parseLong(header.get());
            if (id >= 0 && id <= MAX_EVENT_ID) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CrankException.badRequest("INVALID_LAST_EVENT_ID",
                "Last-Event-ID: '" + header.get() + "' (expected: an integer from 0 to " + MAX_EVENT_ID + ", as sent in an earlier 'id:')");
    }

    private void stream(ResponseStream out, Subscription subscription) throws InterruptedException {
        stats.subscriberOpened();
        try {
            long sent = 0;
            long nextEventAt = System.nanoTime();
            long keepAlive = settings.keepAlive().toNanos();
            long nextKeepAliveAt = nextEventAt + keepAlive;
            while (subscription.maxEvents().isEmpty() || sent < subscription.maxEvents().getAsLong()) {
                long now = System.nanoTime();
                if (now - nextEventAt >= 0) {
                    long id = subscription.lastEventId() + sent + 1;
                    ServerSentEvent event = ServerSentEvent.json("status", statusJson(id)).withId(id);
                    out.send(sent == 0 ? event.withRetry(settings.retry()) : event);
                    stats.eventProduced();
                    sent++;
                    nextEventAt = now + subscription.interval().toNanos();
                    continue;
                }
                if (now - nextKeepAliveAt >= 0) {
                    out.comment("keep-alive");
                    stats.keepAliveSent();
                    nextKeepAliveAt = now + keepAlive;
                    continue;
                }
                long wake = Math.min(nextEventAt - now, nextKeepAliveAt - now);
                Pacer.Outcome waited = pacer.pause(out, Duration.ofNanos(wake));
                if (waited == Pacer.Outcome.CLIENT_LEFT) {
                    throw new ResponseStream.ClosedException();
                }
                if (waited == Pacer.Outcome.STOPPING) {
                    return; // the client reconnects, after 'retry', to a worker that is still up
                }
            }
        } finally {
            stats.subscriberClosed();
        }
    }

    private String healthName() {
        return health.get().name().toLowerCase(Locale.ROOT);
    }

    private ObjectNode statusJson(long id) {
        int active = stats.activeStreams();
        return CrankJson.object()
                .put("event_id", id)
                .put("timestamp", clock.instant().toString())
                .put("worker_id", workerId)
                .put("active_streams", active)
                .put("message", workerId + " is " + healthName() + "; " + active + (active == 1 ? " stream" : " streams") + " open");
    }
}
