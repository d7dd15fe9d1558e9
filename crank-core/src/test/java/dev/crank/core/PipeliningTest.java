package dev.crank.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.testing.ProbeServer;
import dev.crank.core.testing.RawHttps;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 15 item 6: a pipelined connection is answered strictly in request order. An error for request N
 * (whatever part of the stack finds it) comes only after the answers to 1..N-1, so a request that ran is
 * always acknowledged; and a deep pipeline is slowed down (the server stops reading), never cut off.
 */
class PipeliningTest {

    private static final int MAX_BODY = 1024;

    @TempDir
    Path dir;

    private ProbeServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A request that fails somewhere in the stack; {@code survives}: the connection goes on after the answer. */
    record Probe(String name, String request, int status, String code, boolean survives) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Probe> probes() {
        String host = "Host: localhost\r\n";
        return Stream.of(
                new Probe("bad HTTP version", "GET /n/x HTTX/1.1\r\n" + host + "\r\n", 400, "MALFORMED_REQUEST", false),
                new Probe("header name with a space", "GET /n/x HTTP/1.1\r\n" + host + "Bad Name: 1\r\n\r\n", 400, "MALFORMED_REQUEST", false),
                new Probe("two different Content-Lengths", "POST /store HTTP/1.1\r\n" + host
                        + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400, "MALFORMED_REQUEST", false),
                new Probe("bad chunk size", "POST /store HTTP/1.1\r\n" + host
                        + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "MALFORMED_REQUEST", false),
                new Probe("headers over the limit", "GET /n/x HTTP/1.1\r\n" + host + "X-Big: " + "a".repeat(20_000) + "\r\n\r\n",
                        431, "HEADERS_TOO_LARGE", false),
                new Probe("request line over the limit", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n" + host + "\r\n",
                        414, "URI_TOO_LONG", false),
                new Probe("unsupported expectation", "POST /store HTTP/1.1\r\n" + host
                        + "Expect: teapot\r\nContent-Length: 2\r\n\r\nab", 417, "UNSUPPORTED_EXPECTATION", false),
                new Probe("100-continue for a body over the limit", "POST /store HTTP/1.1\r\n" + host
                        + "Expect: 100-continue\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n", 413, "PAYLOAD_TOO_LARGE", false),
                new Probe("bad percent-encoding", "GET /health%zz HTTP/1.1\r\n" + host + "\r\n", 400, "MALFORMED_REQUEST", false),
                new Probe("no Host", "GET /health HTTP/1.1\r\n\r\n", 400, "MISSING_HOST", false),
                new Probe("two Host headers", "GET /health HTTP/1.1\r\n" + host + "Host: elsewhere\r\n\r\n", 400, "INVALID_HOST", false),
                new Probe("Content-Length body over the limit", "POST /store HTTP/1.1\r\n" + host
                        + "Content-Length: " + (MAX_BODY + 1) + "\r\n\r\n" + "b".repeat(MAX_BODY + 1), 413, "PAYLOAD_TOO_LARGE", true),
                new Probe("chunked body over the limit", "POST /store HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n"
                        + "400\r\n" + "c".repeat(1024) + "\r\n1\r\nc\r\n0\r\n\r\n", 413, "PAYLOAD_TOO_LARGE", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    void answersEveryEarlierPipelinedRequestInOrderBeforeTheError(Probe probe) throws Exception {
        server = ProbeServer.start(dir, ServerLimits.defaults().withMaxContentLength(MAX_BODY));
        StringBuilder pipeline = new StringBuilder();
        for (int n = 1; n <= 5; n++) {
            pipeline.append(get("/n/" + n));
        }
        pipeline.append(store("acknowledged-before"));
        pipeline.append(probe.request());
        pipeline.append(get("/n/after"));
        pipeline.append(store("after"));

        try (RawHttps.Connection connection = server.connect()) {
            connection.write(pipeline.toString());
            for (int n = 1; n <= 5; n++) {
                RawHttps.Answer answer = connection.read();
                assertThat(answer).as("answer %d", n).isNotNull();
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.body()).isEqualTo("{\"n\":\"" + n + "\"}");
            }
            RawHttps.Answer stored = connection.read();
            assertThat(stored.status()).isEqualTo(200);
            assertThat(stored.body()).contains("acknowledged-before");

            RawHttps.Answer error = connection.read();
            assertThat(error).as("the answer to the bad request").isNotNull();
            assertThat(error.status()).isEqualTo(probe.status());
            assertThat(error.header("content-type")).isEqualTo("application/problem+json");
            assertThat(error.body()).contains("\"code\":\"" + probe.code() + "\"");

            if (probe.survives()) {
                assertThat(connection.read().body()).isEqualTo("{\"n\":\"after\"}");
                assertThat(connection.read().body()).contains("\"stored\":\"after\"");
                assertThat(server.stored()).containsExactly("acknowledged-before", "after");
            } else {
                assertThat(connection.closedByServer()).as("closed after the error").isTrue();
                assertThat(server.stored()).containsExactly("acknowledged-before");
            }
        }
        server.assertStillHealthy();
    }

    @Test
    void answersAPipelineFarDeeperThanItsLimitInOrderWithoutClosing() throws Exception {
        server = ProbeServer.start(dir, ServerLimits.defaults());
        int requests = 1500; // the default read-ahead limit is 128
        assertPipelineAnsweredInOrder(requests);
        server.assertStillHealthy();
    }

    @Test
    void pausesAndResumesReadingAtASmallPipelineLimit() throws Exception {
        server = ProbeServer.start(dir, ServerLimits.defaults().withMaxPipelinedRequests(2));
        assertPipelineAnsweredInOrder(400);
        server.assertStillHealthy();
    }

    @Test
    void stopsRunningRequestsWhileTheClientDoesNotReadItsAnswers() throws Exception {
        server = ProbeServer.start(dir, ServerLimits.defaults());
        int requests = 300; // 300 answers of 64 KiB: far more than socket buffers and the write high-water mark
        StringBuilder pipeline = new StringBuilder();
        for (int n = 0; n < requests; n++) {
            pipeline.append(get("/big/" + n));
        }
        try (RawHttps.Connection connection = server.connect()) {
            connection.write(pipeline.toString());
            int ran = -1;
            while (ran != server.bigAnswers()) { // until the server stops making progress: it waits for the socket
                ran = server.bigAnswers();
                Thread.sleep(300);
            }
            assertThat(ran).as("requests run while nobody reads the answers").isPositive().isLessThan(requests);

            for (int n = 0; n < requests; n++) {
                RawHttps.Answer answer = connection.read();
                assertThat(answer).as("answer %d", n).isNotNull();
                assertThat(answer.body()).startsWith(n + " xxx");
            }
        }
        assertThat(server.bigAnswers()).isEqualTo(requests);
        server.assertStillHealthy();
    }

    @Test
    void sendsTheInterimContinueOnlyAfterEarlierAnswers() throws Exception {
        server = ProbeServer.start(dir, ServerLimits.defaults().withMaxContentLength(MAX_BODY));
        try (RawHttps.Connection connection = server.connect()) {
            connection.write(store("first") + "POST /store HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 6\r\n\r\n");
            assertThat(connection.read().body()).contains("\"stored\":\"first\"");
            RawHttps.Answer interim = connection.read();
            assertThat(interim.status()).isEqualTo(100);

            connection.write("second");
            RawHttps.Answer second = connection.read();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).contains("\"stored\":\"second\"");
        }
        assertThat(server.stored()).containsExactly("first", "second");
        server.assertStillHealthy();
    }

    private void assertPipelineAnsweredInOrder(int requests) throws Exception {
        StringBuilder pipeline = new StringBuilder();
        for (int n = 0; n < requests; n++) {
            pipeline.append(get("/echo?q=" + n));
        }
        try (RawHttps.Connection connection = server.connect()) {
            // Written from another thread: the server stops reading while its queue is full, so a
            // client that only writes would wait on it forever; real clients read as they write.
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    connection.write(pipeline.toString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int n = 0; n < requests; n++) {
                RawHttps.Answer answer = connection.read();
                assertThat(answer).as("answer %d of %d", n, requests).isNotNull();
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.body()).isEqualTo("{\"path\":\"/echo\",\"q\":\"" + n + "\"}");
            }
            writing.join();
            connection.write(get("/n/last"));
            assertThat(connection.read().body()).as("the connection is still open").isEqualTo("{\"n\":\"last\"}");
        }
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    private static String store(String text) {
        return "POST /store HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: " + text.length()
                + "\r\n\r\n" + text;
    }
}
