package dev.crank.controller;

import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The operator console at {@code GET /ui}: one page, its stylesheet and its script, read once from the
 * jar. Nothing is fetched from elsewhere, and the Content-Security-Policy says so to the browser: only
 * this origin's script, styles and API, no inline code, no framing.
 */
final class ConsoleResources {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8");

    private final Map<String, byte[]> contents;

    ConsoleResources() {
        this.contents = Map.of(
                "index.html", read("index.html"),
                "console.css", read("console.css"),
                "console.js", read("console.js"));
    }

    /** {@code GET /ui}. */
    CrankResponse page(CrankRequest request) {
        return serve("index.html");
    }

    /** {@code GET /ui/console.css}. */
    CrankResponse stylesheet(CrankRequest request) {
        return serve("console.css");
    }

    /** {@code GET /ui/console.js}. */
    CrankResponse script(CrankRequest request) {
        return serve("console.js");
    }

    private CrankResponse serve(String name) {
        return CrankResponse.of(200, FILES.get(name), contents.get(name))
                .withHeader("content-security-policy", CONTENT_SECURITY_POLICY)
                .withHeader("x-content-type-options", "nosniff")
                .withHeader("referrer-policy", "no-referrer")
                .withHeader("cache-control", "no-cache");
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleResources.class.getResourceAsStream("console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console/" + name + " is missing from the controller's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read console/" + name, e);
        }
    }
}
