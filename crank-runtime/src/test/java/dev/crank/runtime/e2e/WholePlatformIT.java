package dev.crank.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankClient;
import dev.crank.core.CrankJson;
import dev.crank.core.DevPki;
import dev.crank.core.PeerIdentity;
import dev.crank.core.TlsMaterial;
import dev.crank.core.testing.RawHttps;
import dev.crank.core.testing.TestTls;
import dev.crank.testing.Await;
import dev.crank.workers.WorkerCatalog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole platform as separate processes of the shaded jar: the controller and every shipped
 * worker (the GPU worker in CPU fallback). Every capability is called for real, every listener is
 * attacked with bad certificates, and every capability and controller endpoint with bad input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WholePlatformIT {

    private Path dir;
    private PlatformProcesses platform;
    private final Map<String, PlatformProcesses.Node> nodes = new LinkedHashMap<>();

    @BeforeAll
    void startEverything() throws Exception {
        dir = Files.createTempDirectory("crank-e2e");
        platform = new PlatformProcesses(dir);
        long started = System.nanoTime();
        PlatformProcesses.Node controller = platform.startController();
        nodes.put("controller", controller);
        platform.awaitHealthy(controller);
        for (WorkerCatalog.Entry entry : WorkerCatalog.entries()) {
            nodes.put(entry.workerId(), platform.startWorker(entry.name()));
        }
        for (WorkerCatalog.Entry entry : WorkerCatalog.entries()) {
            platform.awaitRegistered(entry.workerId());
        }
        System.out.printf("[e2e] controller + %d worker processes started and registered in %.1f s%n",
                WorkerCatalog.entries().size(), (System.nanoTime() - started) / 1e9);
    }

    @AfterAll
    void stopEverything() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void everyWorkerRegistersAndEveryCapabilityAnswersARealCall() {
        Set<String> expected = new HashSet<>();
        WorkerCatalog.entries().forEach(entry -> expected.addAll(entry.capabilities()));
        JsonNode capabilities = platform.get(platform.controllerUrl().resolve("/capabilities")).json();
        assertThat(fieldNames(capabilities)).containsExactlyInAnyOrderElementsOf(expected);
        JsonNode catalog = platform.get(platform.controllerUrl().resolve("/catalog")).json();
        assertThat(catalog.get("capability_count").asInt()).isEqualTo(expected.size());

        for (String key : expected) {
            String[] parts = key.split(":");
            ClientResponse route = platform.postJson(platform.controllerUrl().resolve("/route"),
                    "{\"verb\":\"" + parts[0] + "\",\"capability\":\"" + parts[1] + "\"}");
            assertThat(route.status()).as("route " + key).isEqualTo(200);

            Samples.Call sample = Samples.of(key);
            ClientResponse direct = send(URI.create(route.json().get("worker_url").asText()).resolve("/invoke/" + parts[0] + "/" + parts[1]), sample);
            assertThat(direct.status()).as(key + " direct: " + direct.bodyText()).isBetween(200, 299);
            ClientResponse gateway = send(platform.controllerUrl().resolve("/invoke/" + parts[0] + "/" + parts[1]), sample);
            assertThat(gateway.status()).as(key + " via the controller: " + gateway.bodyText()).isBetween(200, 299);
            assertThat(gateway.header("x-crank-worker")).isPresent();
            sample.check().accept(gateway);
        }
    }

    @Test
    @Order(2)
    void imageClassificationSpreadsOverBothWorkersAndPrefersAGpuWorker() {
        String route = "{\"verb\":\"classify\",\"capability\":\"image_category\"}";
        // Routing counts what a worker's last heartbeat reported in flight; the calls of the test before
        // may have been in flight at one, so wait for heartbeats that show both workers idle.
        Await.until("both image classifiers reported idle", Duration.ofSeconds(30), () -> {
            JsonNode providers = platform.get(platform.controllerUrl().resolve("/catalog")).json()
                    .path("capabilities").path("classify:image_category").path("providers");
            int idle = 0;
            for (JsonNode provider : providers) {
                if (provider.path("in_flight_via_gateway").asInt() == 0
                        && provider.path("reported_load").path("in_flight").path("classify:image_category").asInt() == 0) {
                    idle++;
                }
            }
            return idle == 2;
        });
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            seen.add(platform.postJson(platform.controllerUrl().resolve("/route"), route).json().get("worker_id").asText());
        }
        assertThat(seen).as("neither reports a GPU: both are used").containsExactlyInAnyOrder("crank-image-classifier", "crank-image-classifier-gpu");

        // A worker whose registration says it runs on a GPU wins while it is healthy.
        PlatformProcesses.Node cpu = nodes.get("crank-image-classifier");
        JsonNode capabilities = platform.get(cpu.url().resolve("/capabilities")).json();
        ClientResponse registered = platform.postJson(platform.controllerUrl().resolve("/register"),
                "{\"worker_id\":\"crank-fake-gpu\",\"worker_url\":\"" + cpu.url() + "\",\"metadata\":{\"device\":\"cuda:0\"},"
                + "\"capabilities\":" + capabilities + "}");
        assertThat(registered.status()).as(registered.bodyText()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(platform.postJson(platform.controllerUrl().resolve("/route"), route).json().get("worker_id").asText())
                    .isEqualTo("crank-fake-gpu");
        }
        assertThat(platform.call("DELETE", platform.controllerUrl().resolve("/deregister/crank-fake-gpu"), "")
                .map(ClientResponse::status).orElse(-1)).isEqualTo(200);
    }

    @Test
    @Order(3)
    void everyListenerRefusesBadCertificatesAndWrongHostNames() throws Exception {
        DevPki pki = DevPki.open(dir.resolve("data").resolve("pki"));
        DevPki foreign = DevPki.open(dir.resolve("foreign-pki"));
        Instant now = Instant.now();
        TlsMaterial expired = pki.issue("e2e-expired", PeerIdentity.admin("expired"), List.of("localhost"),
                now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
        SSLContext noCertificate = TestTls.trustOnly(pki.caCertificate());
        SSLContext otherCa = TestTls.forcedClient(foreign.adminMaterial("intruder"), pki.caCertificate());
        SSLContext expiredCertificate = TestTls.forcedClient(expired, pki.caCertificate());
        SSLContext valid = TestTls.forcedClient(pki.adminMaterial("admin"), pki.caCertificate());
        byte[] health = "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        for (PlatformProcesses.Node node : nodes.values()) {
            assertThat(RawHttps.exchange(valid, node.port, health).status()).as(node.name + " accepts the admin").isEqualTo(200);
            for (Map.Entry<String, SSLContext> bad : Map.of("no certificate", noCertificate, "another CA", otherCa,
                    "an expired certificate", expiredCertificate).entrySet()) {
                assertThat(refused(bad.getValue(), node.port, health)).as(node.name + " refuses " + bad.getKey()).isTrue();
            }
            assertThat(refusedAsHost(valid, node.port, "wrong-host.example")).as(node.name + ": the client refuses a wrong host name").isTrue();
        }

        try (CrankClient impostor = CrankClient.builder(pki.workerMaterial("crank-impostor")).build()) {
            ClientResponse hijack = impostor.postJson(platform.controllerUrl().resolve("/register"), CrankJson.parse(
                    "{\"worker_id\":\"crank-hello-world\",\"worker_url\":\"https://localhost:1\","
                    + "\"capabilities\":[{\"verb\":\"greet\",\"name\":\"hello_world\",\"version\":\"1.0.0\"}]}"), Duration.ofSeconds(10)).join();
            assertThat(hijack.status()).isEqualTo(403);
            assertThat(hijack.json().get("code").asText()).isEqualTo("FORBIDDEN");
        }
    }

    @Test
    @Order(4)
    void everyCapabilityAndControllerEndpointAnswersBadInputWithA4xxAndStaysUp() throws Exception {
        int workersBefore = platform.workers().size();
        List<String> failures = new ArrayList<>();
        JsonNode capabilities = platform.get(platform.controllerUrl().resolve("/catalog")).json().get("capabilities");
        for (Iterator<String> keys = capabilities.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            JsonNode schema = capabilities.get(key).get("versions").elements().next().get("input_schema");
            for (PlatformProcesses.Node target : List.of(nodes.get("controller"), nodeFor(key))) {
                URI uri = target.url().resolve("/invoke/" + key.replace(':', '/'));
                for (Map.Entry<String, byte[]> bad : BadInput.payloads(schema).entrySet()) {
                    check(failures, key + " @" + target.name + " " + bad.getKey(), uri, "application/json", bad.getValue(), true);
                }
                for (String adversarial : BadInput.ADVERSARIAL) {
                    byte[] body = BadInput.withStrings(Samples.of(key), adversarial);
                    if (body != null) {
                        check(failures, key + " @" + target.name + " adversarial " + adversarial.substring(0, Math.min(12, adversarial.length())),
                                uri, "application/json", body, false);
                    }
                }
                truncated(target.port, uri.getPath());
            }
        }
        for (String endpoint : List.of("/register", "/heartbeat", "/deregister", "/route")) {
            URI uri = platform.controllerUrl().resolve(endpoint);
            for (Map.Entry<String, byte[]> bad : BadInput.payloads(CrankJson.parse("{\"type\":\"object\",\"required\":[\"worker_id\"],"
                    + "\"properties\":{\"worker_id\":{\"type\":\"string\"},\"verb\":{\"type\":\"string\"}}}")).entrySet()) {
                check(failures, "controller " + endpoint + " " + bad.getKey(), uri, "application/json", bad.getValue(), true);
            }
        }
        assertThat(failures).isEmpty();

        for (PlatformProcesses.Node node : nodes.values()) {
            assertThat(node.process.isAlive()).as(node.name + " still runs").isTrue();
            assertThat(platform.get(node.url().resolve("/health")).status()).as(node.name + " healthy").isEqualTo(200);
        }
        assertThat(platform.workers()).as("the registry is intact").hasSize(workersBefore);
        Samples.verifyStoredData(platform, nodes);
    }

    @Test
    @Order(5)
    void everyListenerAndTheControllerWithstandTheHostileTestersProbes() throws Exception {
        int workersBefore = platform.workers().size();
        Path pki = dir.resolve("data").resolve("pki");
        SSLContext admin = TestTls.forcedClient(DevPki.open(pki).adminMaterial("admin"), pki.resolve("ca.crt"));
        List<String> failures = new ArrayList<>();

        // HTTP layer, every listener: pipelining with a late error, bad percent-encoding, no Host, slow heads.
        Map<String, RawHttps.Connection> slow = new LinkedHashMap<>();
        for (PlatformProcesses.Node node : nodes.values()) {
            slow.put(node.name, HostileProbes.startSlowHead(admin, node.port));
        }
        for (PlatformProcesses.Node node : nodes.values()) {
            failures.addAll(HostileProbes.pipelinedThenMalformed(admin, node.name, node.port));
            HostileProbes.single(admin, node.name, node.port, "GET /health?x=%4 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, "MALFORMED_REQUEST")
                    .ifPresent(failures::add);
            HostileProbes.single(admin, node.name, node.port, "GET /health HTTP/1.1\r\n\r\n", 400, "MISSING_HOST")
                    .ifPresent(failures::add);
        }
        for (Map.Entry<String, RawHttps.Connection> connection : slow.entrySet()) {
            HostileProbes.finishedSlowHead(connection.getKey(), connection.getValue()).ifPresent(failures::add);
        }

        // Contract abuse at the controller, with an admin certificate (stronger than the tester's worker one).
        URI register = platform.controllerUrl().resolve("/register");
        for (String reference : List.of("jar:http://127.0.0.1:1/x.jar!/s.json", "jar:file:/tmp/x.zip!/s.json", "file:/etc/passwd", "other.json")) {
            expectProblem(failures, register, registration("crank-evil", "https://localhost:8999",
                    "{\"verb\":\"greet\",\"name\":\"evil\",\"version\":\"1.0.0\",\"input_schema\":{\"$ref\":\"" + reference + "\"}}", "cpu"),
                    400, "INVALID_SCHEMA");
        }
        for (String url : List.of("https://localhost:99999", "https://user:secret@localhost:8999", "https://localhost:8999/x?y#z")) {
            expectProblem(failures, register, registration("crank-evil", url, "{\"verb\":\"greet\",\"name\":\"evil\",\"version\":\"1.0.0\"}", "cpu"),
                    400, "INVALID_WORKER_URL");
        }
        expectProblem(failures, register, registration("crank-evil", "https://localhost:8999",
                "{\"verb\":\"greet\",\"name\":\"hello_world\",\"version\":\"9.0.0\"}", "cuda:0"), 409, "VERSION_CONFLICT");
        expectProblem(failures, register, registration("crank-evil", "https://localhost:8999",
                "{\"verb\":\"greet\",\"name\":\"evil\",\"version\":\"1.0.0\",\"input_schema\":{\"pattern\":\"(a)\\\\1\"}}", "cpu"),
                400, "INVALID_SCHEMA");
        ClientResponse catastrophic = platform.postJson(register, registration("crank-evil", "https://localhost:8999",
                "{\"verb\":\"greet\",\"name\":\"evil\",\"version\":\"1.0.0\",\"input_schema\":{\"type\":\"object\","
                        + "\"properties\":{\"s\":{\"type\":\"string\",\"pattern\":\"^(.*a){20}$\"}}}}", "cpu"));
        assertThat(catastrophic.status()).as(catastrophic.bodyText()).isEqualTo(200);
        platform.postJson(platform.controllerUrl().resolve("/heartbeat"), "{\"worker_id\":\"crank-evil\"}");
        expectProblem(failures, platform.controllerUrl().resolve("/invoke/greet/evil"), "{\"s\":\"" + "a".repeat(40) + "!\"}", 400, "INVALID_INPUT");
        assertThat(platform.call("DELETE", platform.controllerUrl().resolve("/deregister/crank-evil"), "").map(ClientResponse::status))
                .contains(200);
        JsonNode route = platform.postJson(platform.controllerUrl().resolve("/route"), "{\"verb\":\"greet\",\"capability\":\"hello_world\"}").json();
        assertThat(route.get("worker_id").asText()).as("no take-over").isEqualTo("crank-hello-world");

        // Page bombs, direct and through the gateway.
        String tall = "<div style=\\\"height:20000000px\\\">x</div>";
        String breaks = "<div style=\\\"page-break-before:always\\\">x</div>".repeat(40_000);
        for (PlatformProcesses.Node target : List.of(nodes.get("controller"), nodeFor("convert:document_to_pdf"))) {
            URI uri = target.url().resolve("/invoke/convert/document_to_pdf");
            check(failures, "page bomb (height) @" + target.name, uri, "application/json",
                    ("{\"document\":\"" + tall + "\",\"source_format\":\"html\"}").getBytes(StandardCharsets.UTF_8), false);
            expectProblem(failures, uri, "{\"document\":\"" + breaks + "\",\"source_format\":\"html\"}", 422, "TOO_MANY_PAGES");
        }
        assertThat(failures).isEmpty();

        for (PlatformProcesses.Node node : nodes.values()) {
            assertThat(node.process.isAlive()).as(node.name + " still runs").isTrue();
            assertThat(platform.get(node.url().resolve("/health")).status()).as(node.name + " healthy").isEqualTo(200);
        }
        assertThat(platform.workers()).as("the registry is intact").hasSize(workersBefore);
    }

    private static String registration(String workerId, String url, String capability, String device) {
        return "{\"worker_id\":\"" + workerId + "\",\"worker_url\":\"" + url + "\",\"capabilities\":[" + capability
                + "],\"metadata\":{\"device\":\"" + device + "\"}}";
    }

    private void expectProblem(List<String> failures, URI uri, String body, int status, String code) {
        ClientResponse response = platform.call("POST", uri, body).orElse(null);
        if (response == null) {
            failures.add(uri.getPath() + ": no answer");
        } else if (response.status() != status || !response.bodyText().contains("\"code\":\"" + code + "\"")) {
            failures.add(uri.getPath() + ": expected " + status + " " + code + ", got " + response.status() + " "
                    + response.bodyText().substring(0, Math.min(300, response.bodyText().length())));
        }
    }

    private void check(List<String> failures, String what, URI uri, String contentType, byte[] body, boolean must4xx) {
        ClientResponse response;
        try {
            response = platform.admin().send(new ClientRequest("POST", uri, Map.of("content-type", contentType), body,
                    Duration.ofSeconds(30))).join();
        } catch (RuntimeException e) {
            failures.add(what + ": no answer (" + e.getMessage() + ")");
            return;
        }
        int status = response.status();
        boolean problem = response.header("content-type").map(type -> type.startsWith("application/problem+json")).orElse(false);
        if (status >= 500) {
            failures.add(what + ": " + status + " " + response.bodyText());
        } else if (must4xx && (status < 400 || !problem || !response.json().has("code"))) {
            failures.add(what + ": expected a 4xx problem with a code, got " + status + " " + response.bodyText());
        } else if (status >= 400 && (!problem || !response.json().has("code"))) {
            failures.add(what + ": a " + status + " without problem+json code");
        }
    }

    /** Announces a body and sends half of it, then hangs up: the server must shrug it off. */
    private void truncated(int port, String path) throws Exception {
        SSLContext valid = TestTls.forcedClient(DevPki.open(dir.resolve("data").resolve("pki")).adminMaterial("admin"),
                dir.resolve("data").resolve("pki").resolve("ca.crt"));
        try (SSLSocket socket = (SSLSocket) valid.getSocketFactory().createSocket("localhost", port)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    private PlatformProcesses.Node nodeFor(String capability) {
        return WorkerCatalog.entries().stream().filter(entry -> entry.capabilities().contains(capability))
                .map(entry -> nodes.get(entry.workerId())).findFirst().orElseThrow();
    }

    private ClientResponse send(URI uri, Samples.Call call) {
        Map<String, String> headers = new LinkedHashMap<>(call.headers());
        headers.putIfAbsent("content-type", "application/json");
        return platform.admin().send(new ClientRequest("POST", uri, headers, call.body(), Duration.ofSeconds(60))).join();
    }

    private static boolean refused(SSLContext context, int port, byte[] request) {
        try {
            return RawHttps.exchange(context, port, request).status() == -1;
        } catch (IOException expected) {
            return true;
        }
    }

    /** Connects to 127.0.0.1 but verifies the server as {@code host}: the certificate does not name it. */
    private static boolean refusedAsHost(SSLContext context, int port, String host) {
        try (Socket plain = new Socket("127.0.0.1", port);
             SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setServerNames(List.of(new SNIHostName(host)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return false;
        } catch (IOException expected) {
            return true;
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @SuppressWarnings("unused")
    private static ObjectNode object() {
        return CrankJson.object();
    }
}
