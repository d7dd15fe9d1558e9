package dev.crank.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.testing.ProbeServer;
import dev.crank.core.testing.RawHttps;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 item 8 (RFC 9112 section 3.2): an HTTP/1.1 request needs exactly one {@code Host} header with a
 * {@code host[:port]} value; no Host is 400 {@code MISSING_HOST}, several or a malformed one 400
 * {@code INVALID_HOST}, and the connection is closed after the answer. HTTP/1.0 may leave Host out.
 */
class HostHeaderTest {

    @TempDir
    Path dir;

    private ProbeServer server;

    @BeforeEach
    void start() throws Exception {
        server = ProbeServer.start(dir, ServerLimits.defaults());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no Host at all                   | '' | MISSING_HOST",
            "only other headers               | 'Accept: */*\\r\\n' | MISSING_HOST",
            "two Host headers                 | 'Host: localhost\\r\\nHost: localhost\\r\\n' | INVALID_HOST",
            "two different Host headers       | 'Host: localhost\\r\\nHost: elsewhere.example\\r\\n' | INVALID_HOST",
            "empty Host                       | 'Host:\\r\\n' | INVALID_HOST",
            "Host with a space                | 'Host: local host\\r\\n' | INVALID_HOST",
            "Host with a path                 | 'Host: localhost/admin\\r\\n' | INVALID_HOST",
            "Host with user info              | 'Host: user@localhost\\r\\n' | INVALID_HOST",
            "Host with a port over 65535      | 'Host: localhost:99999\\r\\n' | INVALID_HOST",
            "Host with a non-numeric port     | 'Host: localhost:https\\r\\n' | INVALID_HOST",
            "unclosed IPv6 literal            | 'Host: [::1\\r\\n' | INVALID_HOST",
            "two Host values in one header    | 'Host: a.example, b.example\\r\\n' | INVALID_HOST"})
    void refusesAnHttp11RequestWithoutExactlyOneValidHost(String probe, String headers, String code) throws Exception {
        try (RawHttps.Connection connection = server.connect()) {
            connection.write("GET /health HTTP/1.1\r\n" + headers.replace("\\r\\n", "\r\n") + "\r\n");
            RawHttps.Answer answer = connection.read();

            assertThat(answer).as("an answer to: " + probe).isNotNull();
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
            assertThat(answer.body()).contains("\"code\":\"" + code + "\"");
            assertThat(connection.closedByServer()).as("closed after the answer").isTrue();
        }
        server.assertStillHealthy();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"localhost", "localhost:8443", "127.0.0.1:1", "[::1]:9000", "[::1]", "crank-worker.internal"})
    void servesAnHttp11RequestWithOneValidHost(String host) throws Exception {
        try (RawHttps.Connection connection = server.connect()) {
            connection.write("GET /health HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            assertThat(connection.read().status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "Host: localhost\r\n"})
    void servesHttp10WithOrWithoutHost(String headers) throws Exception {
        try (RawHttps.Connection connection = server.connect()) {
            connection.write("GET /health HTTP/1.0\r\n" + headers + "\r\n");
            RawHttps.Answer answer = connection.read();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).contains("healthy");
        }
        server.assertStillHealthy();
    }
}
