package dev.crank.controller;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankClient;
import dev.crank.core.DevPki;
import dev.crank.core.ServerLimits;
import dev.crank.core.WorkerConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The controller protocol over real mTLS: happy paths in every encoding, and bad input as 4xx problems. */
class ControllerApiTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String REGISTRATION = """
            {"worker_id":"crank-a","worker_url":"https://localhost:8600",
             "capabilities":[{"verb":"greet","name":"hello_world","version":"1.0.0","future":"kept"}],
             "metadata":{"device":"cpu"}}
            """;

    @TempDir
    Path dir;

    private ControllerApplication controller;
    private CrankClient admin;
    private CrankClient workerA;

    @BeforeEach
    void start() {
        DevPki pki = DevPki.open(dir.resolve("pki"));
        controller = new ControllerApplication(WorkerConfig.builder(ControllerApplication.CONTROLLER_ID, pki.controllerMaterial())
                .bindHost("127.0.0.1").limits(ServerLimits.defaults().withMaxContentLength(64 * 1024)).build(),
                ControllerSettings.defaults(dir));
        controller.start();
        admin = CrankClient.builder(pki.adminMaterial("admin")).build();
        workerA = CrankClient.builder(pki.workerMaterial("crank-a")).build();
    }

    @AfterEach
    void stop() {
        controller.close();
        admin.close();
        workerA.close();
    }

    @Test
    void registersHeartbeatsRoutesAndDeregistersInEveryEncoding() {
        JsonNode registered = send(workerA, "POST", "/register", "application/json", REGISTRATION).json();
        assertThat(registered.get("status").asText()).isEqualTo("registered");
        assertThat(registered.get("capabilities_registered").asInt()).isEqualTo(1);
        assertThat(registered.get("heartbeat_interval_seconds").asInt()).isEqualTo(30);
        assertThat(controller.registry().workers().get(0).capabilities().get(0).extra()).containsKey("future");

        ClientResponse form = send(workerA, "POST", "/heartbeat", "application/x-www-form-urlencoded", "worker_id=crank-a");
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.json().get("acknowledged").asBoolean()).isTrue();
        ClientResponse json = send(workerA, "POST", "/heartbeat", "application/json", "{\"worker_id\":\"crank-a\",\"load\":{\"in_flight\":{}}}");
        assertThat(json.status()).isEqualTo(200);

        JsonNode route = send(admin, "POST", "/route", "application/json", "{\"verb\":\"greet\",\"capability\":\"hello_world\"}").json();
        assertThat(route.get("capability").asText()).isEqualTo("greet:hello_world");
        assertThat(route.get("worker_url").asText()).isEqualTo("https://localhost:8600");

        ClientResponse deregistered = send(workerA, "POST", "/deregister", "application/x-www-form-urlencoded", "worker_id=crank-a");
        assertThat(deregistered.json().get("status").asText()).isEqualTo("deregistered");
        ClientResponse unknown = send(workerA, "POST", "/heartbeat", "application/json", "{\"worker_id\":\"crank-a\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("status").asText()).isEqualTo("unknown_worker");
        assertThat(unknown.json().get("acknowledged").asBoolean()).isFalse();

        send(workerA, "POST", "/register", "application/json", REGISTRATION);
        ClientResponse deleted = send(admin, "DELETE", "/deregister/crank-a", "application/json", "");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(send(admin, "POST", "/route", "application/json", "{\"verb\":\"greet\",\"capability\":\"hello_world\"}").status())
                .isEqualTo(404);
    }

    @Test
    void spreadsRoutesRoundRobinAndPrefersGpuWorkers() {
        for (String id : new String[] {"crank-b", "crank-c"}) {
            send(admin, "POST", "/register", "application/json", REGISTRATION.replace("crank-a", id));
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 4; i++) {
            seen.add(send(admin, "POST", "/route", "application/json", "{\"verb\":\"greet\",\"capability\":\"hello_world\"}")
                    .json().get("worker_id").asText());
        }
        assertThat(seen).containsExactlyInAnyOrder("crank-b", "crank-c");

        send(admin, "POST", "/register", "application/json", REGISTRATION.replace("crank-a", "crank-gpu").replace("\"cpu\"", "\"cuda:0\""));
        for (int i = 0; i < 4; i++) {
            assertThat(send(admin, "POST", "/route", "application/json", "{\"verb\":\"greet\",\"capability\":\"hello_world\"}")
                    .json().get("worker_id").asText()).isEqualTo("crank-gpu");
        }
        JsonNode capability = send(admin, "GET", "/capabilities", "application/json", "").json().get("greet:hello_world");
        assertThat(capability.get("workers").asInt()).isEqualTo(3);
        assertThat(capability.get("healthy_workers").asInt()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0} {1} -> {3} {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "POST|/register|`{\"worker_id\":`|400|MALFORMED_JSON",
        "POST|/register|`[]`|400|INVALID_BODY",
        "POST|/register|`{}`|400|MISSING_WORKER_ID",
        "POST|/register|`{\"worker_id\":42}`|400|INVALID_WORKER_ID",
        "POST|/register|`{\"worker_id\":\"../etc\"}`|400|INVALID_WORKER_ID",
        "POST|/register|`{\"worker_id\":\"crank-a\"}`|400|INVALID_WORKER_URL",
        "POST|/register|`{\"worker_id\":\"crank-a\",\"worker_url\":\"ftp://localhost:1\",\"capabilities\":[]}`|400|INVALID_WORKER_URL",
        "POST|/register|`{\"worker_id\":\"crank-a\",\"worker_url\":\"https://localhost:1\"}`|400|INVALID_CAPABILITIES",
        "POST|/register|`{\"worker_id\":\"crank-a\",\"worker_url\":\"https://localhost:1\",\"capabilities\":\"x\"}`|400|INVALID_CAPABILITIES",
        "POST|/register|`{\"worker_id\":\"crank-a\",\"worker_url\":\"https://localhost:1\",\"capabilities\":[{\"verb\":\"Greet\",\"name\":\"x\",\"version\":\"1.0.0\"}]}`|400|INVALID_CAPABILITY",
        "POST|/register|`{\"worker_id\":\"crank-a\",\"worker_url\":\"https://localhost:1\",\"capabilities\":[{\"verb\":\"greet\",\"name\":\"x\"}]}`|400|INVALID_CAPABILITY",
        "POST|/register|`{\"worker_id\":\"crank-a\",\"worker_url\":\"https://localhost:1\",\"capabilities\":[{\"verb\":\"greet\",\"name\":\"x\",\"version\":\"1.0.0\"}],\"metadata\":[]}`|400|INVALID_METADATA",
        "POST|/heartbeat|`{}`|400|MISSING_WORKER_ID",
        "POST|/heartbeat|`{\"worker_id\":[1]}`|400|INVALID_WORKER_ID",
        "POST|/heartbeat|`{\"worker_id\":\"crank-a\",\"load\":5}`|400|INVALID_LOAD",
        "POST|/deregister|`{\"worker_id\":\"\"}`|400|INVALID_WORKER_ID",
        "POST|/route|`{\"verb\":\"greet\"}`|400|INVALID_CAPABILITY",
        "POST|/route|`{\"verb\":1,\"capability\":\"x\"}`|400|INVALID_VERB",
        "POST|/route|`{\"verb\":\"greet\",\"capability\":\"nobody_offers_this\"}`|404|NO_HEALTHY_WORKER",
        "GET|/route|``|405|METHOD_NOT_ALLOWED",
        "PUT|/workers|``|405|METHOD_NOT_ALLOWED",
        "GET|/no/such/path|``|404|NOT_FOUND",
        "POST|/deregister|`{\"worker_id\":\"crank-nobody\"}`|404|UNKNOWN_WORKER"
    })
    void answersBadInputWithProblemJson(String method, String path, String body, int status, String code) {
        ClientResponse response = send(admin, method, path, "application/json", body);

        assertThat(response.status()).as(response.bodyText()).isEqualTo(status);
        assertThat(response.header("content-type")).contains("application/problem+json");
        assertThat(response.json().get("code").asText()).isEqualTo(code);
    }

    @Test
    void refusesOversizedAndWronglyTypedBodiesAndStaysUp() {
        ClientResponse tooLarge = send(admin, "POST", "/register", "application/json", "{\"x\":\"" + "a".repeat(70_000) + "\"}");
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");

        ClientResponse xml = send(admin, "POST", "/route", "application/xml", "<route/>");
        assertThat(xml.status()).isEqualTo(415);

        ClientResponse deep = send(admin, "POST", "/register", "application/json", "[".repeat(10_000) + "]".repeat(10_000));
        assertThat(deep.status()).isEqualTo(400);
        assertThat(deep.json().get("code").asText()).isEqualTo("MALFORMED_JSON");

        assertThat(send(admin, "GET", "/health", "application/json", "").status()).isEqualTo(200);
    }

    private ClientResponse send(CrankClient client, String method, String path, String contentType, String body) {
        return client.send(new ClientRequest(method, URI.create("https://localhost:" + controller.port() + path),
                Map.of("content-type", contentType), body.getBytes(StandardCharsets.UTF_8), TIMEOUT)).join();
    }
}
