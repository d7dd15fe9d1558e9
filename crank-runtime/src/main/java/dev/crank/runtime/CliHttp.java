package dev.crank.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The CLI's HTTPS client: {@code java.net.http} over mutual TLS (host names verified), HTTP/1.1, so
 * that a streamed answer can be printed while it arrives. Failures to get an answer become a
 * {@link CliException} with {@link CliException#UNREACHABLE}.
 */
final class CliHttp {

    /** A whole answer. */
    record Answer(int status, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient client;
    private final Duration timeout;

    CliHttp(SSLContext sslContext, Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .sslContext(sslContext)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Answer get(URI uri) {
        return whole(request(uri).GET().build());
    }

    Answer postJson(URI uri, String json) {
        return whole(request(uri).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build());
    }

    /** The request builder every call starts from: its deadline covers connecting and the answer's head. */
    HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(timeout);
    }

    /** Sends and returns as soon as the head has arrived; the body is read while it streams in. */
    HttpResponse<InputStream> stream(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.UNREACHABLE, "interrupted while calling " + request.uri(), e);
        }
    }

    private Answer whole(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), contentType(response), response.body());
        } catch (IOException e) {
            throw unreachable(request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.UNREACHABLE, "interrupted while calling " + request.uri(), e);
        }
    }

    /** The media type without parameters, lower case; empty when absent. */
    static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("content-type")
                .map(value -> value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .orElse("");
    }

    private CliException unreachable(URI uri, IOException e) {
        String server = uri.getScheme() + "://" + uri.getAuthority();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpTimeoutException) {
                return new CliException(CliException.UNREACHABLE, "no answer from " + server + " within " + timeout.toMillis() + " ms", e);
            }
            if (cause instanceof ConnectException) {
                return new CliException(CliException.UNREACHABLE, "cannot connect to " + server + ": "
                        + (cause.getMessage() == null ? "connection refused" : cause.getMessage()), e);
            }
            if (cause instanceof SSLException) {
                return new CliException(CliException.UNREACHABLE, "TLS handshake with " + server + " failed: " + cause.getMessage()
                        + " (is the server's certificate signed by your CA, and is yours signed by the platform's?)", e);
            }
        }
        return new CliException(CliException.UNREACHABLE, "call to " + server + " failed: " + e, e);
    }
}
