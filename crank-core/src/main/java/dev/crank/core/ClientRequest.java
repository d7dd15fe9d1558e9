package dev.crank.core;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** One request a {@link CrankClient} sends: only {@code https} URIs are accepted. */
public record ClientRequest(String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout) {

    public ClientRequest {
        requireNonNull(method, "method");
        requireNonNull(uri, "uri");
        requireNonNull(body, "body");
        requireNonNull(timeout, "timeout");
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("uri: " + uri + " (expected: an https:// URL; plain HTTP is not allowed)");
        }
        headers = Map.copyOf(headers);
    }
}
