package dev.crank.controller;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /workers} pages and filters, {@code /capabilities} and {@code /catalog} come from the capability index. */
class WorkerViewsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private LocalController local;
    private ControllerApplication controller;
    private CrankClient admin;

    @BeforeEach
    void start() {
        local = LocalController.start(dir, ControllerSettings.defaults(dir));
        controller = local.application();
        admin = local.admin();
        for (int i = 0; i < 7; i++) {
            String capability = i % 2 == 0 ? "greet:hello_world" : "echo:text";
            String[] parts = capability.split(":");
            assertThat(send("POST", "/register", "{\"worker_id\":\"w-" + i + "\",\"worker_url\":\"https://localhost:" + (8600 + i)
                    + "\",\"capabilities\":[{\"verb\":\"" + parts[0] + "\",\"name\":\"" + parts[1] + "\",\"version\":\"1.0.0\"}]"
                    + (i == 4 ? ",\"metadata\":{\"device\":\"cuda:0\"}" : "") + "}").status()).isEqualTo(200);
        }
    }

    @AfterEach
    void stop() {
        local.close();
    }

    @Test
    void pagesFollowNextUntilTheLastPage() {
        List<String> seen = new ArrayList<>();
        String path = "/workers?limit=3";
        int pages = 0;
        while (path != null) {
            JsonNode page = send("GET", path, "").json();
            page.get("workers").forEach(worker -> seen.add(worker.get("worker_id").asText()));
            assertThat(page.get("total").asInt()).isEqualTo(7);
            path = page.has("next") ? "/workers?limit=3&after=" + page.get("next").asText() : null;
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("w-0", "w-1", "w-2", "w-3", "w-4", "w-5", "w-6");
        assertThat(send("GET", "/workers", "").json().get("workers")).as("default page holds all 7").hasSize(7);
        assertThat(send("GET", "/workers", "").json().has("next")).isFalse();
    }

    @Test
    void filtersByCapabilityAndPagesWithinIt() {
        JsonNode first = send("GET", "/workers?capability=greet:hello_world&limit=2", "").json();
        assertThat(first.get("workers")).extracting(w -> w.get("worker_id").asText()).containsExactly("w-0", "w-2");
        assertThat(first.get("total").asInt()).isEqualTo(4);
        JsonNode second = send("GET", "/workers?capability=greet:hello_world&limit=2&after=" + first.get("next").asText(), "").json();
        assertThat(second.get("workers")).extracting(w -> w.get("worker_id").asText()).containsExactly("w-4", "w-6");
        assertThat(second.has("next")).isFalse();
        assertThat(send("GET", "/workers?capability=nobody:offers", "").json().get("workers")).isEmpty();
    }

    @Test
    void capabilitiesAndCatalogCountProvidersFromTheIndex() {
        JsonNode capabilities = send("GET", "/capabilities", "").json();
        assertThat(capabilities.get("greet:hello_world").get("workers").asInt()).isEqualTo(4);
        assertThat(capabilities.get("greet:hello_world").get("gpu_workers").asInt()).isEqualTo(1);
        assertThat(capabilities.get("echo:text").get("workers").asInt()).isEqualTo(3);

        send("DELETE", "/deregister/w-1", "");
        send("DELETE", "/deregister/w-3", "");
        send("DELETE", "/deregister/w-5", "");
        JsonNode after = send("GET", "/capabilities", "").json();
        assertThat(after.has("echo:text")).as("a capability whose last provider left is gone").isFalse();
        JsonNode catalog = send("GET", "/catalog", "").json();
        assertThat(catalog.get("capability_count").asInt()).isEqualTo(1);
        assertThat(catalog.get("capabilities").get("greet:hello_world").get("provider_count").asInt()).isEqualTo(4);
    }

    @ParameterizedTest
    @CsvSource({"/workers?limit=0,INVALID_LIMIT", "/workers?limit=x,INVALID_LIMIT", "/workers?limit=10001,INVALID_LIMIT",
            "/workers?after=../x,INVALID_AFTER", "/workers?capability=Greet,INVALID_CAPABILITY"})
    void badPageParametersAre400(String path, String code) {
        ClientResponse response = send("GET", path, "");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("code").asText()).isEqualTo(code);
    }

    @Test
    void aWorkerDeclaresAtMostAThousandCapabilities() {
        StringBuilder capabilities = new StringBuilder();
        for (int i = 0; i <= RegistrationRules.MAX_CAPABILITIES; i++) {
            capabilities.append(i == 0 ? "" : ",").append("{\"verb\":\"many\",\"name\":\"c").append(i).append("\",\"version\":\"1.0.0\"}");
        }
        ClientResponse response = send("POST", "/register",
                "{\"worker_id\":\"w-many\",\"worker_url\":\"https://localhost:8700\",\"capabilities\":[" + capabilities + "]}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("code").asText()).isEqualTo("TOO_MANY_CAPABILITIES");
    }

    private ClientResponse send(String method, String path, String body) {
        return admin.send(new ClientRequest(method, URI.create("https://localhost:" + controller.port() + path),
                Map.of("content-type", "application/json"), body.getBytes(StandardCharsets.UTF_8), TIMEOUT)).join();
    }
}
