package dev.crank.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.CrankResponse;
import dev.crank.core.CrankServer;
import dev.crank.core.DevPki;
import dev.crank.core.ServerLimits;
import dev.crank.core.internal.Json;
import dev.crank.core.internal.Router;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A real mTLS server on 127.0.0.1 port 0 for hostile-input probes, with a client certificate from the
 * same test CA. Routes: {@code GET /health}, {@code GET /n/{n}} (answers its number after a short pause, so
 * later pipelined requests queue up), {@code POST /store} (records the body: a request that ran),
 * {@code GET /echo} (the decoded path and query), {@code GET /big/{n}} (64 KiB, counted).
 */
public final class ProbeServer implements AutoCloseable {

    private static final byte[] HEALTH = "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final CrankServer server;
    private final DevPki pki;
    private final SSLContext client;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> stored = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger bigAnswers = new java.util.concurrent.atomic.AtomicInteger();

    private ProbeServer(Path dir, ServerLimits limits) throws Exception {
        pki = DevPki.open(dir.resolve("pki"));
        Router router = new Router();
        router.add("GET", "/health", request -> CrankResponse.json(Map.of("status", "healthy")));
        router.add("GET", "/n/{n}", request -> {
            Thread.sleep(2);
            return CrankResponse.json(Map.of("n", request.pathParam("n")));
        });
        router.add("POST", "/store", request -> {
            stored.add(request.bodyText());
            return CrankResponse.json(Map.of("stored", request.bodyText()));
        });
        router.add("GET", "/big/{n}", request -> {
            bigAnswers.incrementAndGet();
            return CrankResponse.text(200, "text/plain", request.pathParam("n") + " " + "x".repeat(64 * 1024));
        });
        router.add("GET", "/echo", request -> CrankResponse.json(Json.object().put("path", request.path())
                .put("q", request.queryParam("q").orElse(""))));
        server = CrankServer.builder(pki.workerMaterial("crank-probed"), router)
                .name("probed").bindHost("127.0.0.1").limits(limits).meters(meters).build().start();
        client = TestTls.forcedClient(pki.workerMaterial("crank-prober"), pki.caCertificate());
    }

    public static ProbeServer start(Path dir, ServerLimits limits) throws Exception {
        return new ProbeServer(dir, limits);
    }

    public int port() {
        return server.port();
    }

    /** A client context that presents a certificate of the server's CA. */
    public SSLContext client() {
        return client;
    }

    /** The test CA the server's and the clients' certificates come from. */
    public DevPki pki() {
        return pki;
    }

    public SimpleMeterRegistry meters() {
        return meters;
    }

    /** Bodies of the {@code POST /store} requests that ran, in the order they ran. */
    public List<String> stored() {
        return stored;
    }

    /** How many {@code GET /big/{n}} requests have run. */
    public int bigAnswers() {
        return bigAnswers.get();
    }

    public RawHttps.Connection connect() throws Exception {
        return RawHttps.connect(client, port());
    }

    /** Every probe ends here: a plain {@code GET /health} on a new connection is answered 200. */
    public void assertStillHealthy() throws Exception {
        RawHttps.Answer health = RawHttps.exchange(client, port(), HEALTH);
        assertThat(health.status()).as("GET /health on a new connection after the probe").isEqualTo(200);
        assertThat(health.body()).contains("healthy");
    }

    @Override
    public void close() {
        server.close();
    }
}
