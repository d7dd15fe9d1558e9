package dev.crank.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;

/**
 * One event of a {@code text/event-stream} (WHATWG server-sent events): its name, its data (any text; several
 * lines are sent as several {@code data:} fields), and optionally its {@code id} and {@code retry}. Workers send
 * it with {@link ResponseStream#send(ServerSentEvent)}; clients read it with {@link ServerSentEventReader}.
 *
 * <pre>{@code
 * out.send(ServerSentEvent.json("chunk", chunk).withId(7));   // id: 7, event: chunk, data: {...}
 * out.comment("keep-alive");                                  // : keep-alive
 * }</pre>
 */
public record ServerSentEvent(String event, String data, Optional<String> id, Optional<Duration> retry) {

    public static final String MEDIA_TYPE = "text/event-stream";
    /** The name of an event sent without an {@code event:} field. */
    public static final String DEFAULT_EVENT = "message";

    public ServerSentEvent {
        requireNonNull(event, "event");
        requireNonNull(data, "data");
        requireNonNull(id, "id");
        requireNonNull(retry, "retry");
        if (event.isEmpty() || event.indexOf('\n') >= 0 || event.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("event: '" + event + "' (expected: one non-empty line)");
        }
        id.ifPresent(value -> {
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("id: '" + value + "' (expected: one line without NUL)");
            }
        });
        retry.ifPresent(value -> {
            if (value.isNegative()) {
                throw new IllegalArgumentException("retry: " + value + " (expected: >= 0)");
            }
        });
    }

    public static ServerSentEvent of(String event, String data) {
        return new ServerSentEvent(event, data, Optional.empty(), Optional.empty());
    }

    /** An event whose data is {@code value} as one line of JSON (see {@link CrankJson}). */
    public static ServerSentEvent json(String event, Object value) {
        return of(event, CrankJson.string(value));
    }

    public ServerSentEvent withId(String value) {
        return new ServerSentEvent(event, data, Optional.of(value), retry);
    }

    public ServerSentEvent withId(long value) {
        return withId(Long.toString(value));
    }

    /** Asks the client to wait {@code delay} before reconnecting. */
    public ServerSentEvent withRetry(Duration delay) {
        return new ServerSentEvent(event, data, id, Optional.of(delay));
    }

    /** The data parsed as JSON; an {@link IllegalArgumentException} when it is not JSON. */
    public JsonNode json() {
        return CrankJson.parse(data);
    }

    /** The event as it goes on the wire, ending with the blank line that dispatches it. */
    public String encode() {
        StringBuilder frame = new StringBuilder(data.length() + 64);
        retry.ifPresent(delay -> frame.append("retry: ").append(delay.toMillis()).append('\n'));
        id.ifPresent(value -> frame.append("id: ").append(value).append('\n'));
        if (!event.equals(DEFAULT_EVENT)) {
            frame.append("event: ").append(event).append('\n');
        }
        for (String line : data.split("\r\n|\r|\n", -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        return frame.append('\n').toString();
    }

    /** A comment line, which clients ignore; a keep-alive is {@code comment("keep-alive")}. */
    public static String comment(String text) {
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("comment: '" + text + "' (expected: one line)");
        }
        return ": " + text + "\n\n";
    }
}
