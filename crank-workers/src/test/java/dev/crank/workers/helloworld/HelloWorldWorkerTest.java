package dev.crank.workers.helloworld;

import static dev.crank.testing.CrankAssertions.assertThat;
import dev.crank.core.ClientResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.ServerLimits;
import dev.crank.testing.CrankPlatform;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelloWorldWorkerTest {

    @TempDir
    Path dir;

    private CrankPlatform platform;
    private HelloWorldWorker worker;

    @BeforeEach
    void start() {
        platform = CrankPlatform.withoutController(dir);
        worker = platform.start(new HelloWorldWorker(platform.config(HelloWorldWorker.WORKER_ID)
                .limits(ServerLimits.defaults().withMaxContentLength(64 * 1024)).build()));
    }

    @AfterEach
    void stop() {
        platform.close();
    }

    @Test
    void greetsWithDefaults() {
        ClientResponse response = invoke("{\"message\":\"  World  \"}");
        assertThat(response).isOk().matchesOutputSchema(platform.capability(worker, "greet:hello_world"));
        JsonNode answer = response.json();

        assertThat(answer.get("greeting").asText()).isEqualTo("Hello, World!");
        assertThat(answer.get("metadata").get("total_greetings").asLong()).isEqualTo(1);
        assertThat(answer.get("metadata").get("character_count").asInt()).isEqualTo(5);
        assertThat(answer.get("processing_time_ms").asDouble()).isNotNegative();
    }

    @Test
    void reversesByUserPerceivedCharactersThenUppercases() {
        JsonNode answer = invoke("{\"message\":\"he\u0301llo\uD83D\uDC4B\uD83C\uDFFD\",\"options\":{\"reverse\":true,\"uppercase\":true,\"exclamations\":0}}").json();

        assertThat(answer.get("greeting").asText()).isEqualTo("Hello, \uD83D\uDC4B\uD83C\uDFFDOLLE\u0301H");
        assertThat(answer.get("metadata").get("options_applied")).extracting(JsonNode::asText)
                .containsExactly("reverse", "uppercase", "exclamations:0");
        assertThat(answer.get("metadata").get("character_count").asInt()).isEqualTo(6);
    }

    @Test
    void countsGreetingsInStats() {
        invoke("{\"message\":\"a\"}");
        invoke("{\"message\":\"b\",\"options\":{\"exclamations\":10}}");

        JsonNode stats = platform.get(base(), "/stats").json();
        assertThat(stats.get("total_greetings").asLong()).isEqualTo(2);
        assertThat(stats.get("worker_id").asText()).isEqualTo(HelloWorldWorker.WORKER_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"message\":\"   \"}",
        "{\"message\":\"\"}",
        "{}",
        "{\"message\":42}",
        "{\"message\":null}",
        "{\"message\":\"x\",\"options\":{\"exclamations\":\"2\"}}",
        "{\"message\":\"x\",\"options\":{\"exclamations\":11}}",
        "{\"message\":\"x\",\"options\":{\"exclamations\":-1}}",
        "{\"message\":\"x\",\"options\":{\"exclamations\":1.5}}",
        "{\"message\":\"x\",\"options\":{\"uppercase\":\"yes\"}}",
        "{\"message\":\"x\",\"options\":[]}",
        "[\"message\"]",
        "\"just a string\""
    })
    void refusesBadInputWithProblemJson(String body) {
        assertThat(invoke(body)).isProblem(400, "INVALID_INPUT");
    }

    @Test
    void refusesMalformedOversizedAndMisroutedRequests() {
        assertThat(invoke("{\"message\":")).isProblem(400, "MALFORMED_JSON");
        assertThat(invoke("{\"message\":\"" + "a".repeat(10_001) + "\"}")).isProblem(400, "INVALID_INPUT");
        assertThat(invoke("{\"message\":\"" + "a".repeat(70_000) + "\"}")).isProblem(413, "PAYLOAD_TOO_LARGE");
        assertThat(platform.get(base(), "/invoke/greet/hello_world")).isProblem(405, "METHOD_NOT_ALLOWED");
        assertThat(platform.postJson(base(), "/invoke/greet/goodbye", "{}")).isProblem(404, "NOT_FOUND");
        assertThat(platform.post(base(), "/invoke/greet/hello_world", "text/plain", "World".getBytes(StandardCharsets.UTF_8))).isProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(invoke("{\"message\":\"still up\"}").status()).isEqualTo(200);
    }

    private ClientResponse invoke(String json) {
        return platform.invoke(worker, "greet", "hello_world", json);
    }

    private URI base() {
        return URI.create("https://localhost:" + worker.port());
    }
}
