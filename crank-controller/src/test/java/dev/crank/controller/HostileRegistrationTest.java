package dev.crank.controller;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankClient;
import dev.crank.core.CrankJson;
import dev.crank.core.DevPki;
import dev.crank.core.TlsMaterial;
import dev.crank.core.WorkerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a hostile tester did to the controller with one ordinary worker certificate, over real mTLS:
 * schema references that leave the schema, catastrophic patterns, capability take-over, bad worker
 * URLs, loose SPIFFE IDs. Each test ends with the controller healthy.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang is a failure, not a stuck build
class HostileRegistrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String GREET = "{\"verb\":\"greet\",\"name\":\"hello_world\",\"version\":\"%s\",\"input_schema\":%s}";

    @TempDir
    Path dir;

    private DevPki pki;
    private ControllerApplication controller;
    private CrankClient admin;
    private CrankClient workerA;
    private CrankClient workerB;

    @BeforeEach
    void start() {
        pki = DevPki.open(dir.resolve("pki"));
        controller = start(ControllerSettings.defaults(dir));
        admin = CrankClient.builder(pki.adminMaterial("admin")).build();
        workerA = CrankClient.builder(pki.workerMaterial("crank-a")).build();
        workerB = CrankClient.builder(pki.workerMaterial("crank-b")).build();
    }

    private ControllerApplication start(ControllerSettings settings) {
        ControllerApplication started = new ControllerApplication(WorkerConfig.builder(ControllerApplication.CONTROLLER_ID,
                pki.controllerMaterial()).bindHost("127.0.0.1").build(), settings);
        started.start();
        return started;
    }

    @AfterEach
    void stop() {
        assertThat(send(admin, "GET", "/health", "").status()).as("the controller stays healthy").isEqualTo(200);
        controller.close();
        admin.close();
        workerA.close();
        workerB.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jar:http://127.0.0.1:%d/x.jar!/s.json", "jar:https://127.0.0.1:%d/x.jar!/s.json",
            "https://127.0.0.1:%d/s.json", "jar:file:%s!/s.json", "file:%s", "classpath:logback-test.xml", "other.json"})
    void schemaReferencesThatLeaveTheSchemaAreRefusedWithoutAnyFetch(String reference) throws Exception {
        Path zip = dir.resolve("s.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("s.json"));
            out.write("{\"type\":\"object\"}".getBytes(StandardCharsets.UTF_8));
        }
        try (CountingListener listener = new CountingListener()) {
            String ref = reference.contains("%d") ? reference.formatted(listener.port()) : reference.contains("%s") ? reference.formatted(zip) : reference;
            for (String field : List.of("input_schema", "output_schema")) {
                String capability = "{\"verb\":\"greet\",\"name\":\"hello_world\",\"version\":\"1.0.0\",\"" + field
                        + "\":{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"" + ref + "\"}}}}";
                ClientResponse response = register(workerA, "crank-a", capability, "cpu");
                assertThat(response.status()).as(response.bodyText()).isEqualTo(400);
                assertThat(response.json().get("code").asText()).isEqualTo("INVALID_SCHEMA");
            }
            assertThat(listener.accepted()).as("connections the controller opened").isZero();
        }
        assertThat(controller.registry().workers()).isEmpty();
    }

    @Test
    void aCatastrophicPatternNeitherHangsACallNorBlocksDeregistration() {
        String schema = "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"pattern\":\"^(.*a){20}$\"}}}";
        assertThat(register(workerA, "crank-a", GREET.formatted("1.0.0", schema), "cpu").status()).isEqualTo(200);
        assertThat(register(workerB, "crank-b", GREET.formatted("1.0.0", schema), "cpu").status()).isEqualTo(200);
        send(workerA, "POST", "/heartbeat", "{\"worker_id\":\"crank-a\"}");

        CompletableFuture<ClientResponse> call = admin.send(request("POST", "/invoke/greet/hello_world",
                CrankJson.object().put("s", "a".repeat(40) + "!").toString()));
        ClientResponse deregistered = send(admin, "DELETE", "/deregister/crank-a", "");
        ClientResponse answer = call.join();

        assertThat(deregistered.status()).isEqualTo(200);
        assertThat(answer.status()).as(answer.bodyText()).isEqualTo(400);
        assertThat(answer.json().get("code").asText()).isEqualTo("INVALID_INPUT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"(a)\\\\1", "(?=a)", "(?<!a)b", "a{1001}"})
    void patternsThatCannotBeMatchedInLinearTimeAreRefusedAtRegistration(String pattern) {
        String schema = "{\"type\":\"object\",\"properties\":{\"s\":{\"type\":\"string\",\"pattern\":\"" + pattern + "\"}}}";
        ClientResponse response = register(workerA, "crank-a", GREET.formatted("1.0.0", schema), "cpu");

        assertThat(response.status()).as(response.bodyText()).isEqualTo(400);
        assertThat(response.json().get("code").asText()).isEqualTo("INVALID_SCHEMA");
    }

    @Test
    void aSecondMajorVersionCannotTakeOverACapabilityThatHasProviders() {
        assertThat(register(workerA, "crank-a", GREET.formatted("1.0.0", "{}"), "cpu").status()).isEqualTo(200);
        send(workerA, "POST", "/heartbeat", "{\"worker_id\":\"crank-a\"}");

        ClientResponse takeover = register(workerB, "crank-b", GREET.formatted("2.0.0", "{}"), "cuda:0");
        assertThat(takeover.status()).as(takeover.bodyText()).isEqualTo(409);
        assertThat(takeover.json().get("code").asText()).isEqualTo("VERSION_CONFLICT");
        assertThat(route().get("worker_id").asText()).isEqualTo("crank-a");

        assertThat(register(workerB, "crank-b", GREET.formatted("1.4.0", "{}"), "cpu").status()).as("a minor version joins").isEqualTo(200);
        assertThat(register(workerB, "crank-b", GREET.formatted("2.0.0", "{}"), "cuda:0").status()).isEqualTo(409);
        send(admin, "DELETE", "/deregister/crank-a", "");
        assertThat(register(workerB, "crank-b", GREET.formatted("2.0.0", "{}"), "cuda:0").status())
                .as("once the last other provider is gone, the only provider may move to a new major").isEqualTo(200);
    }

    @Test
    void aPolicyRefusesCapabilitiesAWorkerMayNotProvide() throws IOException {
        controller.close();
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, """
                {"rules": [{"capabilities": ["greet:*"], "workers": ["crank-a"]},
                           {"capabilities": ["classify:image_category"], "workers": ["crank-image-*"]}]}
                """);
        controller = start(ControllerSettings.defaults(dir).withPolicy(CapabilityPolicy.load(policy)));

        ClientResponse intruder = register(workerB, "crank-b", GREET.formatted("1.0.0", "{}"), "cuda:0");
        assertThat(intruder.status()).as(intruder.bodyText()).isEqualTo(403);
        assertThat(intruder.json().get("code").asText()).isEqualTo("CAPABILITY_NOT_ALLOWED");
        ClientResponse unlisted = register(workerA, "crank-a",
                "{\"verb\":\"classify\",\"name\":\"email_intent\",\"version\":\"1.0.0\"}", "cpu");
        assertThat(unlisted.status()).isEqualTo(403);
        assertThat(unlisted.json().get("code").asText()).isEqualTo("CAPABILITY_NOT_ALLOWED");
        ClientResponse adminForIntruder = register(admin, "crank-b", GREET.formatted("1.0.0", "{}"), "cpu");
        assertThat(adminForIntruder.status()).as("the policy binds worker ids, whoever sends the registration").isEqualTo(403);

        assertThat(register(workerA, "crank-a", GREET.formatted("1.0.0", "{}"), "cpu").status()).isEqualTo(200);
        assertThat(controller.registry().workers()).extracting(RegisteredWorker::workerId).containsExactly("crank-a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://localhost:99999", "https://localhost:65536", "https://localhost:0",
            "https://user:secret@localhost:8600", "https://secret@localhost:8600", "https://localhost:8600?token=secret",
            "https://localhost:8600#secret", "https://localhost:8600/api", "https://localhost:8600/../x", "https://:8600",
            "https:///x", "https:localhost:8600", "HTTPS://localhost:8600", "ftp://localhost:8600", "https://local host:1"})
    void workerUrlsThatAreNotAnHttpsOriginAreRefused(String url) {
        String body = CrankJson.object().put("worker_id", "crank-a").put("worker_url", url)
                .set("capabilities", CrankJson.parse("[" + GREET.formatted("1.0.0", "{}") + "]")).toString();
        ClientResponse response = send(workerA, "POST", "/register", body);

        assertThat(response.status()).as(response.bodyText()).isEqualTo(400);
        assertThat(response.json().get("code").asText()).isEqualTo("INVALID_WORKER_URL");
        assertThat(send(admin, "GET", "/workers", "").bodyText()).doesNotContain("secret");
    }

    @Test
    void anUnreachableWorkerGives502WithoutItsNetworkError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String body = CrankJson.object().put("worker_id", "crank-a").put("worker_url", "https://127.0.0.1:" + closedPort)
                .set("capabilities", CrankJson.parse("[" + GREET.formatted("1.0.0", "{}") + "]")).toString();
        assertThat(send(workerA, "POST", "/register", body).status()).isEqualTo(200);
        send(workerA, "POST", "/heartbeat", "{\"worker_id\":\"crank-a\"}");

        ClientResponse response = send(admin, "POST", "/invoke/greet/hello_world", "{}");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.json().get("code").asText()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(response.bodyText()).doesNotContain(Integer.toString(closedPort)).doesNotContainIgnoringCase("refused")
                .doesNotContain("Exception");
    }

    @ParameterizedTest
    @ValueSource(strings = {"spiffe://crank.local/%61dmin/x", "spiffe://crank.local/admin/%78", "SPIFFE://crank.local/admin/x",
            "spiffe://CRANK.LOCAL/admin/x", "spiffe://crank.local/Admin/x", "spiffe://crank.local/worker/../admin/x",
            "spiffe://crank.local/admin/./x", "spiffe://crank.local/admin/..", "spiffe://crank.local//admin/x",
            "spiffe://x@crank.local/admin/x", "spiffe://crank.local:443/admin/x", "spiffe://crank.local/admin/x?y",
            "spiffe://crank.local/admin/x#y", "spiffe://crank.local/admin/x/", "spiffe://crank.local/worker/crank-a/../../admin/x",
            "spiffe://crank.local/worker/crank-a,spiffe://crank.local/admin/x", "spiffe://crank.local/admin/x,spiffe://crank.local/worker/crank-b"})
    void looselyWrittenSpiffeIdsAreNobody(String sans) {
        assertThat(register(workerA, "crank-a", GREET.formatted("1.0.0", "{}"), "cpu").status()).isEqualTo(200);
        Instant now = Instant.now();
        TlsMaterial material = pki.issueWithUriNames("hostile", List.of(sans.split(",")), List.of("localhost", "127.0.0.1"),
                now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofHours(1)));
        try (CrankClient hostile = CrankClient.builder(material).build()) {
            ClientResponse deregister = send(hostile, "DELETE", "/deregister/crank-a", "");
            assertThat(deregister.status()).as(deregister.bodyText()).isEqualTo(403);
            assertThat(register(hostile, "crank-a", GREET.formatted("1.0.0", "{}"), "cuda:0").status()).isEqualTo(403);
            assertThat(register(hostile, "x", GREET.formatted("1.0.0", "{}"), "cuda:0").status()).isEqualTo(403);
        }
        assertThat(controller.registry().worker("crank-a")).isPresent();
        assertThat(controller.registry().worker("crank-a").get().device()).isEqualTo("cpu");
    }

    private JsonNode route() {
        return send(admin, "POST", "/route", "{\"verb\":\"greet\",\"capability\":\"hello_world\"}").json();
    }

    private ClientResponse register(CrankClient client, String workerId, String capability, String device) {
        return send(client, "POST", "/register", "{\"worker_id\":\"" + workerId + "\",\"worker_url\":\"https://localhost:8600\","
                + "\"capabilities\":[" + capability + "],\"metadata\":{\"device\":\"" + device + "\"}}");
    }

    private ClientResponse send(CrankClient client, String method, String path, String body) {
        return client.send(request(method, path, body)).join();
    }

    private ClientRequest request(String method, String path, String body) {
        return new ClientRequest(method, URI.create("https://localhost:" + controller.port() + path),
                Map.of("content-type", "application/json"), body.getBytes(StandardCharsets.UTF_8), TIMEOUT);
    }

    /** A loopback listener that counts the connections anyone opens to it. */
    private static final class CountingListener implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger accepted = new AtomicInteger();
        private final Thread acceptor;

        CountingListener() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket ignored = socket.accept()) {
                        accepted.incrementAndGet();
                    } catch (SocketException closed) {
                        return;
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "counting-listener");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
