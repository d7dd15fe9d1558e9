package dev.crank.core;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Who is on the other end of a connection, read from the URI SAN of its verified certificate:
 * {@code spiffe://crank.local/worker/<id>}, {@code spiffe://crank.local/controller} or
 * {@code spiffe://crank.local/admin/<name>}.
 */
public record PeerIdentity(URI uri) {

    public static final String TRUST_DOMAIN = "crank.local";
    private static final String WORKER_PREFIX = "/worker/";
    private static final String ADMIN_PREFIX = "/admin/";
    private static final int SAN_URI = 6;

    public PeerIdentity {
        requireNonNull(uri, "uri");
        if (!"spiffe".equals(uri.getScheme()) || !TRUST_DOMAIN.equals(uri.getHost())) {
            throw new IllegalArgumentException("uri: " + uri + " (expected: spiffe://" + TRUST_DOMAIN + "/...)");
        }
    }

    public static PeerIdentity worker(String workerId) {
        return new PeerIdentity(URI.create("spiffe://" + TRUST_DOMAIN + WORKER_PREFIX + requireNonNull(workerId, "workerId")));
    }

    public static PeerIdentity controller() {
        return new PeerIdentity(URI.create("spiffe://" + TRUST_DOMAIN + "/controller"));
    }

    public static PeerIdentity admin(String name) {
        return new PeerIdentity(URI.create("spiffe://" + TRUST_DOMAIN + ADMIN_PREFIX + requireNonNull(name, "name")));
    }

    /** The first {@code spiffe://crank.local/...} URI SAN of a certificate, if it has one. */
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
        for (List<?> name : names) {
            if (name.size() == 2 && Integer.valueOf(SAN_URI).equals(name.get(0)) && name.get(1) instanceof String value) {
                try {
                    return Optional.of(new PeerIdentity(URI.create(value)));
                } catch (IllegalArgumentException ignored) {
                    // another trust domain or a malformed URI: keep looking
                }
            }
        }
        return Optional.empty();
    }

    /** The worker id when this is a worker identity. */
    public Optional<String> workerId() {
        String path = uri.getPath();
        return path.startsWith(WORKER_PREFIX) && path.length() > WORKER_PREFIX.length()
                ? Optional.of(path.substring(WORKER_PREFIX.length()))
                : Optional.empty();
    }

    public boolean isAdmin() {
        return uri.getPath().startsWith(ADMIN_PREFIX);
    }

    public boolean isController() {
        return "/controller".equals(uri.getPath());
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
