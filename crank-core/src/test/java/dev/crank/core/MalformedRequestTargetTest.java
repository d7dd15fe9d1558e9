package dev.crank.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.testing.ProbeServer;
import dev.crank.core.testing.RawHttps;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 item 7: a request target that cannot be decoded (bad or truncated percent-encoding in the path
 * or the query, bytes that are not UTF-8 once decoded, control characters, raw non-ASCII, a fragment, no
 * leading slash) is answered 400 {@code MALFORMED_REQUEST} problem+json, never a dropped connection.
 */
class MalformedRequestTargetTest {

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
    @ValueSource(strings = {
            "/health%zz", "/health%", "/health%4", "/health%4g", "/health%g4", "/%%", "/n/%2",
            "/echo?q=%zz", "/echo?q=%", "/echo?q=%4", "/echo?%zz=1", "/echo?q=ok&r=%E",
            "/health%C3", "/health%C3%28", "/health%FF", "/health%C0%AF", "/echo?q=%ED%A0%80", "/echo?q=%F4%90%80%80",
            "/health%00", "/n/a%0Ab", "/n/%7F",
            "/health\u00e9", "/health\u0001", "/health\u007f", "/health#fragment", "health", "*"})
    void answersAnUndecodableTargetWith400MalformedRequest(String target) throws Exception {
        try (RawHttps.Connection connection = server.connect()) {
            connection.write("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttps.Answer answer = connection.read();

            assertThat(answer).as("an answer, not a dropped connection").isNotNull();
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
            assertThat(answer.body()).contains("\"code\":\"MALFORMED_REQUEST\"");
        }
        server.assertStillHealthy();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/echo?q=a%20b+c%C3%A9 | /echo | a b cé",
            "/echo?q=%2B%26%3D      | /echo | +&=",
            "/%65cho?q=x            | /echo | x",
            "/echo?q=               | /echo | ''",
            "/echo?r=1&&q=2&        | /echo | 2",
            "https://localhost/echo?q=absolute | /echo | absolute"})
    void decodesAWellFormedTargetStrictly(String target, String path, String query) throws Exception {
        try (RawHttps.Connection connection = server.connect()) {
            connection.write("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttps.Answer answer = connection.read();

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"path\":\"" + path + "\",\"q\":\"" + query + "\"}");
        }
    }

    @Test
    void crankClientPercentEncodesANonAsciiPath() {
        try (CrankClient client = CrankClient.builder(server.pki().adminMaterial("admin")).build()) {
            ClientResponse answer = client.send(new ClientRequest("GET",
                    URI.create("https://localhost:" + server.port() + "/n/\u00e9t\u00e9"),
                    Map.of(), new byte[0], Duration.ofSeconds(10))).join();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().get("n").asText()).isEqualTo("\u00e9t\u00e9");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"/n/a+b | a+b", "/n/a%2Bb | a+b", "/n/%C3%A9t%C3%A9 | été"})
    void keepsPlusLiteralInThePath(String target, String n) throws Exception {
        try (RawHttps.Connection connection = server.connect()) {
            connection.write("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(connection.read().body()).isEqualTo("{\"n\":\"" + n + "\"}");
        }
    }
}
