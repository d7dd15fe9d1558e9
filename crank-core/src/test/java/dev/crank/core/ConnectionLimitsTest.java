package dev.crank.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.crank.core.testing.Await;
import dev.crank.core.testing.ProbeServer;
import dev.crank.core.testing.RawHttps;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 9, the cap half: connections over {@code maxConnectionsPerPeer} (by remote IP) or
 * {@code maxConnections} are closed on accept, before the TLS handshake, and counted in
 * {@code crank.http.connections.refused}; the server keeps serving everyone else, and serves the refused
 * peer again once its connections close. 127.0.0.2 stands in for a second peer (still loopback).
 */
class ConnectionLimitsTest {

    private static final InetAddress OTHER_PEER = address("127.0.0.2");
    private static final byte[] HEALTH = "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private ProbeServer server;
    private final List<RawHttps.Connection> held = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (RawHttps.Connection connection : held) {
            connection.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void refusesAPeerOverItsConnectionCapAndKeepsServingOthers() throws Exception {
        server = ProbeServer.start(dir, ServerLimits.defaults().withMaxConnections(100, 3));
        holdConnections(3, null);

        assertRefused(null);
        assertThat(refused("per_peer")).isEqualTo(1);
        assertThat(refused("total")).isZero();

        try (RawHttps.Connection other = RawHttps.connect(server.client(), server.port(), OTHER_PEER)) {
            assertThat(other.write(HEALTH).read().status()).as("another peer is served").isEqualTo(200);
        }
        assertThat(held.get(0).write(HEALTH).read().status()).as("held connections are still served").isEqualTo(200);

        releaseHeldConnections();
        server.assertStillHealthy();
    }

    @Test
    void refusesEveryoneOverTheTotalCapUntilConnectionsClose() throws Exception {
        server = ProbeServer.start(dir, ServerLimits.defaults().withMaxConnections(3, 100));
        holdConnections(2, null);
        holdConnections(1, OTHER_PEER);

        assertRefused(OTHER_PEER);
        assertRefused(null);
        assertThat(refused("total")).isEqualTo(2);
        assertThat(refused("per_peer")).isZero();

        releaseHeldConnections();
        server.assertStillHealthy();
    }

    @Test
    void reportsRefusalsInTheWorkersMetrics() throws Exception {
        DevPki pki = DevPki.open(dir.resolve("pki"));
        try (EchoWorker worker = new EchoWorker(WorkerConfig.builder("crank-echo", pki.workerMaterial("crank-echo"))
                .bindHost("127.0.0.1").limits(ServerLimits.defaults().withMaxConnections(100, 1)).build())) {
            worker.start();
            var context = dev.crank.core.testing.TestTls.forcedClient(pki.adminMaterial("admin"), pki.caCertificate());
            try (RawHttps.Connection first = RawHttps.connect(context, worker.port())) {
                Throwable refused = catchThrowable(() -> RawHttps.connect(context, worker.port()).close());
                assertThat(refused).isInstanceOf(IOException.class).isNotInstanceOf(SocketTimeoutException.class);

                String metrics = first.write("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n").read().body();
                assertThat(metrics).containsPattern("crank_http_connections_refused_total\\{[^}]*limit=\"per_peer\"[^}]*} 1\\.0");
                assertThat(metrics).contains("crank_http_request_head_timeouts_total");
                assertThat(metrics).containsPattern("crank_http_connections_open\\{[^}]*} 1\\.0");
            }
        }
    }

    private void holdConnections(int count, InetAddress from) throws IOException {
        for (int i = 0; i < count; i++) {
            held.add(RawHttps.connect(server.client(), server.port(), from));
        }
    }

    private void releaseHeldConnections() throws IOException {
        for (RawHttps.Connection connection : held) {
            connection.close();
        }
        held.clear();
        Await.until("the server to notice the closed connections", Duration.ofSeconds(10),
                () -> server.meters().get("crank.http.connections.open").gauge().value() == 0);
    }

    /** The connection is closed during its handshake: promptly, not by the client's 15 s read timeout. */
    private void assertRefused(InetAddress from) {
        Throwable refused = catchThrowable(() -> {
            try (RawHttps.Connection connection = RawHttps.connect(server.client(), server.port(), from)) {
                connection.write(HEALTH);
                if (connection.read() != null) {
                    throw new AssertionError("a refused connection was answered");
                }
                throw new IOException("closed after the handshake");
            }
        });
        assertThat(refused).isInstanceOf(IOException.class).isNotInstanceOf(SocketTimeoutException.class);
    }

    private double refused(String limit) {
        return server.meters().get("crank.http.connections.refused").tag("limit", limit).counter().count();
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
