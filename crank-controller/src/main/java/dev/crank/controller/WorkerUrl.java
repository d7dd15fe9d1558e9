package dev.crank.controller;

import dev.crank.core.WorkerConfig;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The rules for a {@code worker_url}, at {@code /register} and when the store is restored: an
 * {@code https} origin, {@code https://host[:port][/]}, with a port in 1-65535, no user info (it would
 * be shown to every caller of {@code /route} and {@code /workers}), no query and no fragment.
 */
final class WorkerUrl {

    static final int MAX_LENGTH = 2048;

    private WorkerUrl() {}

    /** The URL, or an {@link IllegalArgumentException} that says what is wrong with it. */
    static URI parse(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("worker_url: " + text.length() + " characters (expected: at most " + MAX_LENGTH + ")");
        }
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("worker_url: not a URL (" + e.getReason() + ")");
        }
        WorkerConfig.requireHttps("worker_url", url);
        if (!"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("worker_url: scheme '" + url.getScheme() + "' (expected: https)");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("worker_url: user info is not allowed (it would be shown to every caller)");
        }
        if (url.getPort() != -1 && (url.getPort() < 1 || url.getPort() > 65535)) {
            throw new IllegalArgumentException("worker_url: port " + url.getPort() + " (expected: 1-65535)");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("worker_url: a query or fragment is not allowed (expected: https://host:port)");
        }
        String path = url.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("worker_url: path '" + abbreviate(path) + "' is not allowed (expected: https://host:port)");
        }
        return url;
    }

    private static String abbreviate(String value) {
        return value.length() > 100 ? value.substring(0, 100) + "..." : value;
    }
}
