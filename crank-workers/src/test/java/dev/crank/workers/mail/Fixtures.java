package dev.crank.workers.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The committed corpus messages ({@code spamassassin/README.md}) and small messages written for the tests. */
public final class Fixtures {

    private Fixtures() {}

    /** A committed corpus message, e.g. {@code corpus("spam-2-00001")}. */
    public static byte[] corpus(String name) {
        String path = "/dev/crank/workers/emailparser/spamassassin/" + name + ".eml";
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String corpusText(String name) {
        return new String(corpus(name), StandardCharsets.ISO_8859_1);
    }

    /** A message from header lines and a body, CRLF line ends. */
    public static String message(String headers, String body) {
        return (headers.strip() + "\n\n" + body).replace("\r\n", "\n").replace("\n", "\r\n");
    }
}
