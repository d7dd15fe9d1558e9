package dev.crank.runtime.e2e;

import dev.crank.core.testing.RawHttps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The HTTP-layer probes of the hardening issue, written byte by byte on one mTLS connection: each
 * returns what went wrong, or nothing when the listener answered as it must.
 */
final class HostileProbes {

    private HostileProbes() {}

    /** Two valid pipelined requests, then one whose target is undecodable: both answers, in order, then a 400. */
    static List<String> pipelinedThenMalformed(SSLContext client, String name, int port) throws IOException {
        List<String> failures = new ArrayList<>();
        try (RawHttps.Connection connection = RawHttps.connect(client, port)) {
            connection.write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "GET /status HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "GET /health%zz HTTP/1.1\r\nHost: localhost\r\n\r\n");
            expect(failures, name + " pipelined /health", connection.read(), 200, null);
            expect(failures, name + " pipelined /status", connection.read(), 200, null);
            expect(failures, name + " pipelined /health%zz", connection.read(), 400, "MALFORMED_REQUEST");
        }
        return failures;
    }

    /** One request on its own connection: status and problem code. */
    static Optional<String> single(SSLContext client, String name, int port, String request, int status, String code) throws IOException {
        List<String> failures = new ArrayList<>();
        try (RawHttps.Connection connection = RawHttps.connect(client, port)) {
            connection.write(request);
            expect(failures, name + " " + request.lines().findFirst().orElse(""), connection.read(), status, code);
        }
        return failures.stream().findFirst();
    }

    /** A head sent a few bytes at a time and then abandoned: the listener must answer 408 or close, not wait for ever. */
    static RawHttps.Connection startSlowHead(SSLContext client, int port) throws IOException {
        RawHttps.Connection connection = RawHttps.connect(client, port);
        connection.write("GET /hea");
        return connection;
    }

    static Optional<String> finishedSlowHead(String name, RawHttps.Connection connection) throws IOException {
        try (connection) {
            RawHttps.Answer answer = connection.read();
            if (answer == null || answer.status() == 408) {
                return Optional.empty();
            }
            return Optional.of(name + " slow head: expected 408 or a close, got " + answer.status());
        } catch (java.net.SocketTimeoutException e) {
            return Optional.of(name + " slow head: the listener still holds a head that stopped arriving");
        }
    }

    private static void expect(List<String> failures, String what, RawHttps.Answer answer, int status, String code) {
        if (answer == null) {
            failures.add(what + ": no answer (the connection was closed)");
        } else if (answer.status() != status) {
            failures.add(what + ": expected " + status + ", got " + answer.status() + " " + answer.body());
        } else if (code != null && !answer.body().contains("\"code\":\"" + code + "\"")) {
            failures.add(what + ": expected code " + code + " in " + answer.body());
        }
    }
}
