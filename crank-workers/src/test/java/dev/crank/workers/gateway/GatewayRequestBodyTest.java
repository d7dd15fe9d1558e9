package dev.crank.workers.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankResponse;
import dev.crank.core.CrankServer;
import dev.crank.core.TlsMaterial;
import dev.crank.core.testing.TestTls;
import dev.crank.testing.Await;
import dev.crank.testing.CrankPlatform;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request bodies through the gateway: a JSON body is aggregated and validated before admission; any
 * other body is streamed to the worker as it arrives, and the controller stops reading the caller while
 * the worker's connection is not writable, so an upload holds a bounded amount of the controller's memory.
 */
class GatewayRequestBodyTest {

    @TempDir
    Path dir;

    @Test
    void aStreamedUploadReachesTheWorkerWholeAndTheConnectionCarriesTheNextCall() throws Exception {
        byte[] upload = new byte[8 * 1024 * 1024 + 123];
        ThreadLocalRandom.current().nextBytes(upload);
        try (CrankPlatform platform = CrankPlatform.start(dir);
             CrankServer worker = CrankServer.builder(platform.pki().workerMaterial("crank-sink"), request -> CrankResponse.json(
                     Map.of("bytes", request.body().length, "sha256", sha256(request.body()), "type", request.contentType())))
                     .name("crank-sink").bindHost("127.0.0.1").build().start()) {
            register(platform, "crank-sink", worker.port(), CapabilitySchema.builder("sink", "bytes").version("1.0.0")
                    .maxConcurrency(4).inputSchema("{\"type\":\"object\"}").build().toJson().toString());
            for (int call = 0; call < 2; call++) {
                ClientResponse answer = platform.admin().send(new ClientRequest("POST",
                        platform.controllerUrl().resolve("/invoke/sink/bytes"), Map.of("content-type", "application/octet-stream"),
                        upload, Duration.ofSeconds(60))).get(60, TimeUnit.SECONDS);
                assertThat(answer.status()).as(answer.bodyText()).isEqualTo(200);
                JsonNode seen = answer.json();
                assertThat(seen.get("bytes").asInt()).isEqualTo(upload.length);
                assertThat(seen.get("sha256").asText()).isEqualTo(sha256(upload));
                assertThat(seen.get("type").asText()).isEqualTo("application/octet-stream");
            }
            // A JSON body is still validated before admission: the worker never sees an invalid one.
            ClientResponse invalid = platform.admin().send(new ClientRequest("POST",
                    platform.controllerUrl().resolve("/invoke/sink/bytes"), Map.of("content-type", "application/json"),
                    "[1]".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30))).get(30, TimeUnit.SECONDS);
            assertThat(invalid.status()).isEqualTo(400);
        }
    }

    @Test
    void anUploadToAWorkerThatDoesNotReadStopsTheControllerReadingTheCaller() throws Exception {
        int total = 12 * 1024 * 1024;
        AtomicLong written = new AtomicLong();
        try (CrankPlatform platform = CrankPlatform.start(dir);
             SSLServerSocket stuck = stuckWorker(platform.pki().workerMaterial("crank-stuck"), platform.pki().caCertificate())) {
            Thread acceptor = start(() -> {
                try {
                    SSLSocket connection = (SSLSocket) stuck.accept();
                    connection.startHandshake(); // then never reads a byte of the request
                } catch (Exception e) {
                    // closed at the end of the test
                }
            });
            register(platform, "crank-stuck", stuck.getLocalPort(), CapabilitySchema.builder("stuck", "upload").version("1.0.0")
                    .maxConcurrency(1).inputSchema("{\"type\":\"object\"}").build().toJson().toString());
            SSLContext tls = TestTls.forcedClient(platform.pki().adminMaterial("admin"), platform.pki().caCertificate());
            // The TLS socket is layered on a plain one, so the test can drop the connection while a write blocks.
            try (java.net.Socket tcp = new java.net.Socket(InetAddress.getLoopbackAddress(), platform.controller().port());
                 SSLSocket caller = (SSLSocket) tls.getSocketFactory().createSocket(tcp, "localhost", platform.controller().port(), true)) {
                Thread uploader = start(() -> {
                    try {
                        OutputStream out = caller.getOutputStream();
                        out.write(("POST /invoke/stuck/upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                                + "Content-Length: " + total + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        byte[] chunk = new byte[16 * 1024];
                        for (int sent = 0; sent < total; sent += chunk.length) {
                            out.write(chunk);
                            written.addAndGet(chunk.length);
                        }
                        out.flush();
                    } catch (Exception e) {
                        // the socket is closed at the end of the test
                    }
                });
                long stalled = Await.untilSteady(CrankPlatform.TIMEOUT, written::get);
                long peak = platform.get(platform.controllerUrl(), "/status").json().get("gateway_relay_buffered_bytes_peak").asLong();
                System.out.printf("stuck worker: caller wrote %d of %d bytes before it stalled; controller held at most %d bytes%n",
                        stalled, total, peak);
                assertThat(stalled).as("the caller got some of the body out").isGreaterThan(1024 * 1024);
                assertThat(peak).as("bytes of the upload the controller held").isPositive().isLessThanOrEqualTo(1024 * 1024);
                tcp.close();
                uploader.join(TimeUnit.SECONDS.toMillis(30));
            } finally {
                stuck.close();
                acceptor.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }

    // ---- helpers

    /**
     * A worker endpoint that completes the mutual TLS handshake and then reads nothing, with a small
     * receive buffer, so the controller's connection to it stops being writable after a few KiB.
     */
    private static SSLServerSocket stuckWorker(TlsMaterial material, Path ca) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        X509Certificate certificate = TestTls.certificate(material.certificateChain());
        keys.setKeyEntry("worker", TestTls.privateKey(material.privateKey()), new char[0], new X509Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", TestTls.certificate(ca));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        socket.setReceiveBufferSize(16 * 1024);
        socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setNeedClientAuth(true);
        return socket;
    }

    private static Thread start(Runnable task) {
        Thread thread = new Thread(task, "test-upload");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void register(CrankPlatform platform, String id, int port, String capability) {
        ClientResponse registered = platform.postJson(platform.controllerUrl(), "/register",
                "{\"worker_id\":\"" + id + "\",\"worker_url\":\"https://localhost:" + port + "\",\"capabilities\":[" + capability + "]}");
        assertThat(registered.status()).as(registered.bodyText()).isEqualTo(200);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
