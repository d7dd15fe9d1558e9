package dev.crank.workers.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankJson;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Formats {@code text/event-stream} frames. Data is always one line of JSON (newlines inside strings
 * are escaped by the serialiser), so a frame never needs multi-line {@code data:} fields.
 */
final class ServerSentEvents {

    static final String MEDIA_TYPE = "text/event-stream";
    static final String KEEP_ALIVE = ": keep-alive\n\n";

    private ServerSentEvents() {}

    /** One event: optional {@code retry:}, optional {@code id:}, {@code event:} and {@code data:}. */
    static String event(OptionalLong id, String name, JsonNode data, Duration retry) {
        StringBuilder frame = new StringBuilder(128);
        if (retry != null) {
            frame.append("retry: ").append(retry.toMillis()).append('\n');
        }
        id.ifPresent(value -> frame.append("id: ").append(value).append('\n'));
        frame.append("event: ").append(name).append('\n');
        frame.append("data: ").append(CrankJson.string(data)).append("\n\n");
        return frame.toString();
    }

    static String event(long id, String name, JsonNode data) {
        return event(OptionalLong.of(id), name, data, null);
    }
}
