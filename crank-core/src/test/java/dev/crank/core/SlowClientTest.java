package dev.crank.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.testing.ProbeServer;
import dev.crank.core.testing.RawHttps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 item 9, the deadline half: a client has {@code requestHeadTimeout} to send a whole request head.
 * Trickling bytes does not extend it (the idle timeout never fires while bytes flow); a late head is
 * answered 408 {@code REQUEST_TIMEOUT} and closed, a silent connection is closed; both are counted. The
 * deadline is short here (a network timer, not a clock to inject); the tests assert what happens, not when.
 */
class SlowClientTest {

    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(1); // short, yet far above a loaded machine's stalls

    @TempDir
    Path dir;

    private ProbeServer server;

    @BeforeEach
    void start() throws Exception {
        server = ProbeServer.start(dir, ServerLimits.defaults().withRequestHeadTimeout(HEAD_TIMEOUT));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "after {0}")
    @ValueSource(strings = {"", "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"})
    void answersATrickledRequestHeadWith408AndCloses(String earlierRequest) throws Exception {
        AtomicBoolean trickling = new AtomicBoolean(true);
        try (RawHttps.Connection connection = server.connect()) {
            connection.write(earlierRequest + "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
                try {
                    while (trickling.get()) { // one byte every 50 ms, for as long as the server listens
                        connection.write("a");
                        Thread.sleep(50);
                    }
                } catch (Exception e) {
                    // the server closed the connection: that is the point
                }
            });
            if (!earlierRequest.isEmpty()) {
                assertThat(connection.read().status()).as("the complete request before the slow one").isEqualTo(200);
            }
            RawHttps.Answer answer = connection.read();
            trickling.set(false);
            trickle.join();

            assertThat(answer).as("an answer while bytes still trickle in").isNotNull();
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.body()).contains("\"code\":\"REQUEST_TIMEOUT\"");
            assertThat(connection.closedByServer()).isTrue();
        }
        assertThat(headTimeouts()).isEqualTo(1);
        server.assertStillHealthy();
    }

    @Test
    void closesAConnectionThatSendsNothingAfterTheHandshake() throws Exception {
        try (RawHttps.Connection connection = server.connect()) {
            assertThat(connection.closedByServer()).as("closed by the server, not by the 15 s read timeout").isTrue();
        }
        assertThat(headTimeouts()).isEqualTo(1);
        server.assertStillHealthy();
    }

    @Test
    void keepsAnIdleKeepAliveConnectionBetweenRequests() throws Exception {
        try (RawHttps.Connection connection = server.connect()) {
            connection.write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(connection.read().status()).isEqualTo(200);
            Thread.sleep(HEAD_TIMEOUT.multipliedBy(2).toMillis()); // idle, not slow: the idle timeout (60 s) governs

            connection.write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(connection.read().status()).isEqualTo(200);
        }
        assertThat(headTimeouts()).isZero();
        server.assertStillHealthy();
    }

    private double headTimeouts() {
        return server.meters().get("crank.http.request.head.timeouts").counter().count();
    }
}
