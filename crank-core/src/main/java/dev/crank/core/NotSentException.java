package dev.crank.core;

import java.io.IOException;

/**
 * The request cannot have reached the server (no connection, failed TLS handshake, or the write failed):
 * retrying it elsewhere is safe even when it is not idempotent.
 */
public final class NotSentException extends IOException {
    private static final long serialVersionUID = 1L;

    public NotSentException(Throwable cause) {
        super("request not sent: " + cause, cause);
    }
}
