package dev.crank.core;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PEM files a process proves itself with and trusts others by: its certificate chain, its
 * PKCS#8 private key and the platform CA. Both servers and clients use OpenSSL (BoringSSL) and
 * fail fast when it is missing; servers require a client certificate, clients verify host names.
 */
public record TlsMaterial(Path certificateChain, Path privateKey, Path trustedCa) {

    private static final Logger logger = LoggerFactory.getLogger(TlsMaterial.class);
    private static final AtomicBoolean OPENSSL_LOGGED = new AtomicBoolean();
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    public TlsMaterial {
        requireNonNull(certificateChain, "certificateChain");
        requireNonNull(privateKey, "privateKey");
        requireNonNull(trustedCa, "trustedCa");
    }

    /** Checks that every file exists and is readable, naming the first one that is not. */
    public TlsMaterial verifyReadable() {
        for (Path path : new Path[] {certificateChain, privateKey, trustedCa}) {
            if (!Files.isReadable(path)) {
                throw new IllegalArgumentException("TLS file not readable: " + path);
            }
        }
        return this;
    }

    /** A server context that requires a client certificate signed by {@link #trustedCa()}. */
    public SslContext serverContext() {
        ensureOpenSsl();
        try {
            return SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile())
                    .sslProvider(SslProvider.OPENSSL)
                    .trustManager(trustedCa.toFile())
                    .clientAuth(ClientAuth.REQUIRE)
                    .protocols(PROTOCOLS)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot build the server TLS context from " + this + ": " + e.getMessage(), e);
        }
    }

    /** A client context that presents this certificate and verifies the server's chain and host name. */
    public SslContext clientContext() {
        ensureOpenSsl();
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(SslProvider.OPENSSL)
                    .keyManager(certificateChain.toFile(), privateKey.toFile())
                    .trustManager(trustedCa.toFile())
                    .endpointIdentificationAlgorithm("HTTPS")
                    .protocols(PROTOCOLS)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot build the client TLS context from " + this + ": " + e.getMessage(), e);
        }
    }

    static void ensureOpenSsl() {
        OpenSsl.ensureAvailability();
        if (OPENSSL_LOGGED.compareAndSet(false, true)) {
            logger.info("TLS provider: {} ({})", OpenSsl.versionString(), "netty-tcnative");
        }
    }
}
