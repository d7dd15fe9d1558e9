package dev.crank.runtime;

import dev.crank.core.CrankClient;
import dev.crank.core.StreamedResponse;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;
import dev.crank.core.TlsMaterial;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The CLI's HTTPS calls, made with the platform's own {@link CrankClient} (BoringSSL, mutual TLS, host names
 * verified), so that a streamed answer can be printed while it arrives. Failures to get an answer become a
 * {@link CliException} with {@link CliException#UNREACHABLE}.
 */
final class CliHttp implements AutoCloseable {

    /** A whole answer. */
    record Answer(int status, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** Once a streamed answer has begun, it may take as long as it takes: {@code --timeout} covers its head only. */
    static final Duration WHILE_IT_STREAMS = Duration.ofNanos(Long.MAX_VALUE);

    private final CrankClient client;
    private final Duration timeout;

    CliHttp(TlsMaterial tls, Duration timeout) {
        this.timeout = timeout;
        this.client = CrankClient.builder(tls).connectTimeout(timeout).ioThreads(1).build();
    }

    Answer get(URI uri) {
        return whole(new ClientRequest("GET", uri, Map.of(), new byte[0], timeout));
    }

    Answer postJson(URI uri, String json) {
        return whole(new ClientRequest("POST", uri, Map.of("content-type", "application/json"),
                json.getBytes(StandardCharsets.UTF_8), timeout));
    }

    /** Sends and returns as soon as the head has arrived (the timeout covers connecting and the head); the body streams in. */
    StreamedResponse stream(URI uri, Map<String, String> headers, byte[] body) {
        return await(uri, client.stream(new ClientRequest("POST", uri, headers, body, timeout)));
    }

    /** The media type without parameters, lower case; empty when absent. */
    static String contentType(Optional<String> header) {
        return header.map(value -> value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT)).orElse("");
    }

    @Override
    public void close() {
        client.close();
    }

    private Answer whole(ClientRequest request) {
        ClientResponse response = await(request.uri(), client.send(request));
        return new Answer(response.status(), contentType(response.header("content-type")), response.body());
    }

    private <T> T await(URI uri, CompletableFuture<T> answer) {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            throw unreachable(uri, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.UNREACHABLE, "interrupted while calling " + uri, e);
        }
    }

    private CliException unreachable(URI uri, Throwable failure) {
        String server = uri.getScheme() + "://" + uri.getAuthority();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof io.netty.channel.ConnectTimeoutException) {
                return new CliException(CliException.UNREACHABLE, "no answer from " + server + " within " + timeout.toMillis() + " ms", failure);
            }
            if (cause instanceof ConnectException) {
                return new CliException(CliException.UNREACHABLE, "cannot connect to " + server + ": "
                        + (cause.getMessage() == null ? "connection refused" : cause.getMessage()), failure);
            }
            if (cause instanceof SSLException) {
                return new CliException(CliException.UNREACHABLE, "TLS handshake with " + server + " failed: " + cause.getMessage()
                        + " (is the server's certificate signed by your CA, and is yours signed by the platform's?)", failure);
            }
        }
        return new CliException(CliException.UNREACHABLE, "call to " + server + " failed: " + failure, failure);
    }
}
