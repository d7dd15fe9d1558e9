package dev.crank.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crank.core.testing.RawHttps;
import dev.crank.core.testing.TestTls;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Servers require a certificate from the platform CA; clients verify chain and host name. */
class MutualTlsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final byte[] HEALTH = "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private DevPki pki;
    private CrankServer server;

    @BeforeEach
    void start() {
        pki = DevPki.open(dir.resolve("pki"));
        server = CrankServer.builder(pki.workerMaterial("crank-server"),
                        request -> CrankResponse.json(Map.of("peer", request.peer().map(PeerIdentity::toString).orElse("none"))))
                .bindHost("127.0.0.1")
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void acceptsAClientCertificateFromThePlatformCa() throws Exception {
        SSLContext context = TestTls.forcedClient(pki.workerMaterial("crank-client"), pki.caCertificate());

        RawHttps.Answer answer = RawHttps.exchange(context, server.port(), HEALTH);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("spiffe://crank.local/worker/crank-client");
    }

    @Test
    void refusesAClientWithoutCertificate() throws Exception {
        SSLContext context = TestTls.trustOnly(pki.caCertificate());

        assertRefused(context);
    }

    @Test
    void refusesACertificateFromAnotherCaEvenWhenTheClientInsistsOnSendingIt() throws Exception {
        DevPki other = DevPki.open(dir.resolve("other-pki"));
        SSLContext context = TestTls.forcedClient(other.workerMaterial("crank-client"), pki.caCertificate());

        assertRefused(context);
    }

    @Test
    void refusesAnExpiredCertificate() throws Exception {
        Instant now = Instant.now();
        TlsMaterial expired = pki.issue("expired", PeerIdentity.worker("crank-client"), List.of("localhost"),
                now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));

        assertRefused(TestTls.forcedClient(expired, pki.caCertificate()));
    }

    @Test
    void clientRefusesAServerWhoseCertificateIsForAnotherHost() {
        TlsMaterial wrongHost = pki.issue("wrong-host", PeerIdentity.worker("crank-wrong"), List.of("other.example"),
                Instant.now().minus(Duration.ofMinutes(1)), Instant.now().plus(Duration.ofDays(1)));
        try (CrankServer impostor = CrankServer.builder(wrongHost, request -> CrankResponse.json(Map.of())).bindHost("127.0.0.1").build().start();
             CrankClient client = CrankClient.builder(pki.adminMaterial("admin")).build()) {
            assertThatThrownBy(() -> client.get(URI.create("https://localhost:" + impostor.port() + "/health"), TIMEOUT).join())
                    .isInstanceOf(CompletionException.class)
                    .hasStackTraceContaining("No subject alternative DNS name matching localhost");
            assertThat(client.get(URI.create("https://localhost:" + server.port() + "/health"), TIMEOUT).join().status())
                    .as("the same client accepts a correctly named server").isEqualTo(200);
        }
    }

    @Test
    void clientRefusesAServerFromAnotherCa() {
        DevPki other = DevPki.open(dir.resolve("other-pki"));
        try (CrankServer foreign = CrankServer.builder(other.workerMaterial("crank-foreign"), request -> CrankResponse.json(Map.of()))
                .bindHost("127.0.0.1").build().start();
             CrankClient client = CrankClient.builder(pki.adminMaterial("admin")).build()) {
            assertThatThrownBy(() -> client.get(URI.create("https://localhost:" + foreign.port() + "/health"), TIMEOUT).join())
                    .isInstanceOf(CompletionException.class);
        }
    }

    @Test
    void clientRefusesPlainHttpUrls() {
        try (CrankClient client = CrankClient.builder(pki.adminMaterial("admin")).build()) {
            assertThatThrownBy(() -> client.get(URI.create("http" + "://localhost:" + server.port() + "/health"), TIMEOUT))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected: an https:// URL");
        }
    }

    @Test
    void devPkiWritesPrivateKeysOwnerOnlyWithIdentityAndHostNames() throws Exception {
        TlsMaterial material = pki.workerMaterial("crank-hello-world");

        assertThat(Files.getPosixFilePermissions(material.privateKey()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        X509Certificate certificate = TestTls.certificate(material.certificateChain());
        assertThat(PeerIdentity.of(certificate)).contains(PeerIdentity.worker("crank-hello-world"));
        assertThat(certificate.getSubjectAlternativeNames()).extracting(name -> name.get(1).toString())
                .contains("localhost", "127.0.0.1", "spiffe://crank.local/worker/crank-hello-world");
        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(DevPki.open(dir.resolve("pki")).workerMaterial("crank-hello-world")).isEqualTo(material);
        assertThat(Set.of(Files.readString(material.certificateChain()))).isEqualTo(
                Set.of(Files.readString(DevPki.open(dir.resolve("pki")).workerMaterial("crank-hello-world").certificateChain())));
    }

    private void assertRefused(SSLContext context) {
        RawHttps.Answer answer;
        try {
            answer = RawHttps.exchange(context, server.port(), HEALTH);
        } catch (IOException expected) {
            return; // the handshake or the first read failed: refused
        }
        assertThat(answer.status()).as("no HTTP answer may reach an unauthenticated client: " + answer.head()).isEqualTo(-1);
    }
}
