package dev.crank.core;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a {@code text/event-stream} one {@link ServerSentEvent} at a time, as it arrives, by the WHATWG rules:
 * lines end with LF, CRLF or CR; one space after the colon is dropped; {@code data} lines are joined with a
 * newline; a blank line dispatches the event if it had data; comments and unknown fields are skipped (comments
 * are kept in {@link #comments()}); {@code retry} counts only when it is all digits. An event's {@code id} is
 * the one it carried itself.
 *
 * <pre>{@code
 * try (ServerSentEventReader events = ServerSentEventReader.of(response.body(), Duration.ofSeconds(30))) {
 *     for (Optional<ServerSentEvent> event = events.next(); event.isPresent(); event = events.next()) { ... }
 * }
 * }</pre>
 */
public final class ServerSentEventReader implements AutoCloseable {

    private final BufferedReader lines;
    private final List<String> comments = new ArrayList<>();

    /** Reads events from {@code in} (UTF-8); closing the reader closes it. */
    public ServerSentEventReader(InputStream in) {
        this(new BufferedReader(new InputStreamReader(requireNonNull(in, "in"), StandardCharsets.UTF_8)));
    }

    private ServerSentEventReader(BufferedReader lines) {
        this.lines = lines;
    }

    /** Reads events from a streamed {@link CrankClient} body, waiting up to {@code timeout} for each chunk. */
    public static ServerSentEventReader of(BodyReader body, Duration timeout) {
        return new ServerSentEventReader(body.inputStream(timeout));
    }

    /** Every event of a whole stream, as a client that collected the body sees it. */
    public static List<ServerSentEvent> parse(String stream) {
        try (ServerSentEventReader reader = new ServerSentEventReader(new BufferedReader(new StringReader(stream)))) {
            return reader.remaining();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next event, waiting for it; empty at the end of the stream (a last event without its blank line included). */
    public Optional<ServerSentEvent> next() throws IOException {
        StringBuilder data = new StringBuilder();
        boolean hasData = false;
        String event = null;
        String id = null;
        Duration retry = null;
        for (String line = lines.readLine(); ; line = lines.readLine()) {
            if (line == null || line.isEmpty()) {
                if (hasData) {
                    return Optional.of(new ServerSentEvent(event == null || event.isEmpty() ? ServerSentEvent.DEFAULT_EVENT : event,
                            data.toString(), Optional.ofNullable(id), Optional.ofNullable(retry)));
                }
                if (line == null) {
                    return Optional.empty();
                }
                event = null;
                id = null;
                retry = null;
                continue;
            }
            if (line.startsWith(":")) {
                comments.add(line.substring(1).trim());
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(line.startsWith(" ", colon + 1) ? colon + 2 : colon + 1);
            switch (field) {
                case "data" -> {
                    if (hasData) {
                        data.append('\n');
                    }
                    data.append(value);
                    hasData = true;
                }
                case "event" -> event = value;
                case "id" -> id = value.indexOf('\0') >= 0 ? id : value;
                case "retry" -> retry = value.matches("\\d{1,18}") ? Duration.ofMillis(Long.parseLong(value)) : retry;
                default -> {
                    // unknown fields are ignored, as the standard says
                }
            }
        }
    }

    /** Every event left, until the stream ends. */
    public List<ServerSentEvent> remaining() throws IOException {
        List<ServerSentEvent> events = new ArrayList<>();
        for (Optional<ServerSentEvent> event = next(); event.isPresent(); event = next()) {
            events.add(event.get());
        }
        return events;
    }

    /** Every comment read so far, without its colon and surrounding spaces ({@code keep-alive}). */
    public List<String> comments() {
        return List.copyOf(comments);
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
