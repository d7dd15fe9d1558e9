package dev.crank.core;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who is on the other end of a connection, read from the URI SAN of its verified certificate:
 * {@code spiffe://crank.local/worker/<id>}, {@code spiffe://crank.local/controller} or
 * {@code spiffe://crank.local/admin/<name>}. The text is matched exactly and case-sensitively, never
 * decoded or normalised: no percent-encoding, no dot segments, no user info, port, query or fragment,
 * and a certificate with more than one URI SAN has no identity at all.
 */
public record PeerIdentity(URI uri) {

    public static final String TRUST_DOMAIN = "crank.local";
    private static final String PREFIX = "spiffe://" + TRUST_DOMAIN + "/";
    /** A worker id or admin name: what /register accepts as a worker_id, except the dot segments. */
    private static final Pattern NAME = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9._-]{1,128}");
    private static final Pattern FORM = Pattern.compile(Pattern.quote(PREFIX) + "(?:controller|(worker|admin)/(" + NAME.pattern() + "))");
    private static final int SAN_URI = 6;

    public PeerIdentity {
        requireNonNull(uri, "uri");
        if (!FORM.matcher(uri.toString()).matches()) {
            throw new IllegalArgumentException("uri: " + uri + " (expected: " + PREFIX
                    + "controller, worker/<id> or admin/<name>, with <id> matching [A-Za-z0-9._-]{1,128})");
        }
    }

    public static PeerIdentity worker(String workerId) {
        return of("worker/" + requireNonNull(workerId, "workerId"));
    }

    public static PeerIdentity controller() {
        return of("controller");
    }

    public static PeerIdentity admin(String name) {
        return of("admin/" + requireNonNull(name, "name"));
    }

    private static PeerIdentity of(String path) {
        return parse(PREFIX + path).orElseThrow(() -> new IllegalArgumentException("not a Crank identity: " + PREFIX + path));
    }

    /** The identity a URI text names, if it is exactly one of the three forms. */
    public static Optional<PeerIdentity> parse(String text) {
        if (text == null || !FORM.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(new PeerIdentity(URI.create(text)));
    }

    /** The identity of a certificate with exactly one URI SAN naming a Crank identity; empty otherwise. */
    public static Optional<PeerIdentity> of(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (names == null) {
            return Optional.empty();
        }
        String uri = null;
        for (List<?> name : names) {
            if (name.size() == 2 && Integer.valueOf(SAN_URI).equals(name.get(0))) {
                if (uri != null || !(name.get(1) instanceof String value)) {
                    return Optional.empty(); // two URI SANs: which one would be the identity is not ours to guess
                }
                uri = value;
            }
        }
        return parse(uri);
    }

    /** The worker id when this is a worker identity. */
    public Optional<String> workerId() {
        return group("worker");
    }

    public boolean isAdmin() {
        return group("admin").isPresent();
    }

    public boolean isController() {
        return uri.toString().equals(PREFIX + "controller");
    }

    private Optional<String> group(String role) {
        Matcher matcher = FORM.matcher(uri.toString());
        return matcher.matches() && role.equals(matcher.group(1)) ? Optional.of(matcher.group(2)) : Optional.empty();
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
