package dev.crank.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The bounds of a {@link CrankServer}. Defaults ({@link #defaults()}): 16 MiB body, 8 KiB request line,
 * 16 KiB headers, 60 s idle timeout, 10 s TLS handshake timeout, 256 handler threads, 10 s to send a
 * request head, 10,000 open connections in all and 1,000 from one IP address, 128 requests queued on one
 * connection.
 *
 * <ul>
 *   <li>{@code requestHeadTimeout}: the time a client has to send a whole request head (request line and
 *       headers), counted from the end of the TLS handshake for the first request and from the first byte of
 *       each later one. A partial head is answered 408 {@code REQUEST_TIMEOUT}; a connection that sent
 *       nothing is closed silently. Idle keep-alive connections are governed by {@code idleTimeout}.</li>
 *   <li>{@code maxConnections}, {@code maxConnectionsPerPeer}: a connection over either bound is closed as
 *       soon as it is accepted, before the TLS handshake, and counted in
 *       {@code crank.http.connections.refused}.</li>
 *   <li>{@code maxPipelinedRequests}: requests read ahead on one connection; at the bound the server stops
 *       reading from it until answers drain (it never closes the connection for it).</li>
 * </ul>
 */
public record ServerLimits(int maxContentLength, int maxInitialLineLength, int maxHeaderSize,
                           Duration idleTimeout, Duration handshakeTimeout, int maxHandlerThreads,
                           Duration requestHeadTimeout, int maxConnections, int maxConnectionsPerPeer,
                           int maxPipelinedRequests) {

    public static final int DEFAULT_MAX_CONTENT_LENGTH = 16 * 1024 * 1024;
    public static final Duration DEFAULT_REQUEST_HEAD_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_PEER = 1_000;
    public static final int DEFAULT_MAX_PIPELINED_REQUESTS = 128;

    public ServerLimits {
        positive("maxContentLength", maxContentLength);
        positive("maxInitialLineLength", maxInitialLineLength);
        positive("maxHeaderSize", maxHeaderSize);
        positive("maxHandlerThreads", maxHandlerThreads);
        positive("maxConnections", maxConnections);
        positive("maxConnectionsPerPeer", maxConnectionsPerPeer);
        positive("maxPipelinedRequests", maxPipelinedRequests);
        positive("idleTimeout", idleTimeout);
        positive("handshakeTimeout", handshakeTimeout);
        positive("requestHeadTimeout", requestHeadTimeout);
    }

    public static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_MAX_CONTENT_LENGTH, 8192, 16384, Duration.ofSeconds(60), Duration.ofSeconds(10), 256,
                DEFAULT_REQUEST_HEAD_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_PEER,
                DEFAULT_MAX_PIPELINED_REQUESTS);
    }

    public ServerLimits withMaxContentLength(int bytes) {
        return new ServerLimits(bytes, maxInitialLineLength, maxHeaderSize, idleTimeout, handshakeTimeout, maxHandlerThreads,
                requestHeadTimeout, maxConnections, maxConnectionsPerPeer, maxPipelinedRequests);
    }

    public ServerLimits withIdleTimeout(Duration timeout) {
        return new ServerLimits(maxContentLength, maxInitialLineLength, maxHeaderSize, timeout, handshakeTimeout, maxHandlerThreads,
                requestHeadTimeout, maxConnections, maxConnectionsPerPeer, maxPipelinedRequests);
    }

    public ServerLimits withRequestHeadTimeout(Duration timeout) {
        return new ServerLimits(maxContentLength, maxInitialLineLength, maxHeaderSize, idleTimeout, handshakeTimeout, maxHandlerThreads,
                timeout, maxConnections, maxConnectionsPerPeer, maxPipelinedRequests);
    }

    /** Open connections in all, and from one remote IP address. */
    public ServerLimits withMaxConnections(int total, int perPeer) {
        return new ServerLimits(maxContentLength, maxInitialLineLength, maxHeaderSize, idleTimeout, handshakeTimeout, maxHandlerThreads,
                requestHeadTimeout, total, perPeer, maxPipelinedRequests);
    }

    public ServerLimits withMaxPipelinedRequests(int requests) {
        return new ServerLimits(maxContentLength, maxInitialLineLength, maxHeaderSize, idleTimeout, handshakeTimeout, maxHandlerThreads,
                requestHeadTimeout, maxConnections, maxConnectionsPerPeer, requests);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    private static void positive(String name, Duration value) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
