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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /ui}: the console's three files from the jar, under a strict CSP, and the fields the page reads. */
class ConsoleResourcesTest {

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
    }

    @AfterEach
    void stop() {
        local.close();
    }

    @Test
    void pageStylesheetAndScriptComeWithTheirTypesAndAStrictPolicy() {
        ClientResponse page = get("/ui");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("content-type")).contains("text/html; charset=utf-8");
        assertThat(page.header("content-security-policy").orElseThrow())
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.header("x-content-type-options")).contains("nosniff");
        assertThat(page.bodyText()).contains("<script src=\"/ui/console.js\" defer></script>", "/ui/console.css");
        assertThat(get("/ui/console.js").header("content-type")).contains("text/javascript; charset=utf-8");
        assertThat(get("/ui/console.css").header("content-type")).contains("text/css; charset=utf-8");
    }

    @Test
    void pageHasNoInlineCodeAndNamesNoOtherOrigin() {
        String html = get("/ui").bodyText();
        String script = get("/ui/console.js").bodyText();
        assertThat(html).doesNotContainPattern("\\son[a-z]+=").doesNotContain("style=").doesNotContain("<style");
        assertThat(html.split("<script", -1)).hasSize(2);
        for (String text : new String[] {html, script, get("/ui/console.css").bodyText()}) {
            assertThat(text).doesNotContain("//cdn", "https:", "@import", "url(");
        }
        assertThat(script).doesNotContain("innerHTML", "eval(", "new Function");
    }

    @Test
    void unknownConsoleFileIsAProblem404() {
        ClientResponse missing = get("/ui/secrets.txt");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(get("/ui/..%2Fpom.xml").status()).isEqualTo(404);
        assertThat(get("/ui/index.html").status()).as("only the three names the page uses").isEqualTo(404);
    }

    @Test
    void workersCarryHeartbeatAgeAndBoundsAndTheCatalogCounts429s() {
        ClientResponse registered = admin.send(new ClientRequest("POST", url("/register"),
                Map.of("content-type", "application/json"), ("{\"worker_id\":\"w-1\",\"worker_url\":\"https://localhost:8601\","
                + "\"capabilities\":[{\"verb\":\"greet\",\"name\":\"hello_world\",\"version\":\"1.0.0\",\"max_concurrency\":7}]}")
                .getBytes(StandardCharsets.UTF_8), TIMEOUT)).join();
        assertThat(registered.status()).isEqualTo(200);
        JsonNode worker = get("/workers").json().get("workers").get(0);
        assertThat(worker.get("max_concurrency").get("greet:hello_world").asInt()).isEqualTo(7);
        assertThat(worker.get("heartbeat_age_seconds").asDouble()).isGreaterThanOrEqualTo(0.0);
        JsonNode counters = get("/catalog").json().get("capabilities").get("greet:hello_world").get("counters");
        assertThat(counters.get("gateway_429").asLong()).isZero();
    }

    private ClientResponse get(String path) {
        return admin.get(url(path), TIMEOUT).join();
    }

    private URI url(String path) {
        return URI.create("https://localhost:" + controller.port() + path);
    }
}
