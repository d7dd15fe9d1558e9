package dev.crank.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The bounds of a {@link CrankServer}. Defaults: 16 MiB body, 8 KiB request line, 16 KiB headers,
 * 60 s idle timeout, 10 s TLS handshake timeout, 256 handler threads.
 */
public record ServerLimits(int maxContentLength, int maxInitialLineLength, int maxHeaderSize,
                           Duration idleTimeout, Duration handshakeTimeout, int maxHandlerThreads) {

    public static final int DEFAULT_MAX_CONTENT_LENGTH = 16 * 1024 * 1024;

    public ServerLimits {
        positive("maxContentLength", maxContentLength);
        positive("maxInitialLineLength", maxInitialLineLength);
        positive("maxHeaderSize", maxHeaderSize);
        positive("maxHandlerThreads", maxHandlerThreads);
        requireNonNull(idleTimeout, "idleTimeout");
        requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout: " + handshakeTimeout + " (expected: > 0)");
        }
    }

    public static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_MAX_CONTENT_LENGTH, 8192, 16384, Duration.ofSeconds(60), Duration.ofSeconds(10), 256);
    }

    public ServerLimits withMaxContentLength(int bytes) {
        return new ServerLimits(bytes, maxInitialLineLength, maxHeaderSize, idleTimeout, handshakeTimeout, maxHandlerThreads);
    }

    public ServerLimits withIdleTimeout(Duration timeout) {
        return new ServerLimits(maxContentLength, maxInitialLineLength, maxHeaderSize, timeout, handshakeTimeout, maxHandlerThreads);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
