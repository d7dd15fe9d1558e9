package dev.crank.core;

import java.time.Duration;

/**
 * The body of a streamed response, written while it is produced. {@link #write} blocks while the
 * client is slow (the connection's outbound buffer is full), so a producer never buffers without
 * bound; it throws {@link ClosedException} once the client has gone, which is the producer's cue to stop.
 */
public interface ResponseStream {

    /** Sends {@code chunk} now; blocks while the client cannot keep up. */
    void write(byte[] chunk);

    /** Sends {@code text} as UTF-8. */
    void write(String text);

    /** Sends one server-sent event (the response's type is {@link ServerSentEvent#MEDIA_TYPE}). */
    default void send(ServerSentEvent event) {
        write(event.encode());
    }

    /** Sends a server-sent-events comment such as {@code keep-alive}, which keeps idle proxies from closing the stream. */
    default void comment(String text) {
        write(ServerSentEvent.comment(text));
    }

    /** Whether the client is still connected. */
    boolean isOpen();

    /** Waits up to {@code duration}, returning early (with {@code false}) if the client disconnects. */
    boolean pause(Duration duration) throws InterruptedException;

    /** Thrown by {@link #write} once the client has disconnected. */
    final class ClosedException extends CrankException {
        private static final long serialVersionUID = 1L;

        public ClosedException() {
            super(499, "CLIENT_CLOSED", "The client closed the connection");
        }
    }
}
