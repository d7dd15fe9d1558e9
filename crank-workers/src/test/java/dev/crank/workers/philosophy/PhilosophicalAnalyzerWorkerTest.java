package dev.crank.workers.philosophy;

import static dev.crank.testing.CrankAssertions.assertThat;
import dev.crank.core.ClientResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import dev.crank.core.JsonSchemaValidator;
import dev.crank.core.ServerLimits;
import dev.crank.testing.CrankPlatform;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhilosophicalAnalyzerWorkerTest {

    private static final JsonSchemaValidator OUTPUT = JsonSchemaValidator.of(CrankJson.parse(Schemas.OUTPUT));
    private static final String LONG_ENOUGH = "Autonomous agents negotiate with their peers at the edge.";

    @TempDir
    static Path dir;

    private static CrankPlatform platform;
    private static PhilosophicalAnalyzerWorker worker;

    @BeforeAll
    static void start() {
        platform = CrankPlatform.start(dir);
        worker = platform.start(new PhilosophicalAnalyzerWorker(platform.config(PhilosophicalAnalyzerWorker.WORKER_ID)
                .limits(ServerLimits.defaults().withMaxContentLength(2 * 1024 * 1024)).build()));
        platform.awaitRegistered(worker);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void registersWithTheControllerAndAnalysesThroughInvoke() {
        assertThat(platform.get(platform.controllerUrl(), "/capabilities").json().has(PhilosophicalAnalyzerWorker.CAPABILITY)).isTrue();
        assertThat(platform.route("analyze", "philosophy").json().get("worker_id").asText())
                .isEqualTo(PhilosophicalAnalyzerWorker.WORKER_ID);

        String text = DnaAnalyzerTest.text("DHG.txt");
        ObjectNode request = CrankJson.object().put("text", text);
        request.putObject("context").put("author", "A. Writer").put("domain", "data platforms").put("year", 2026);
        JsonNode answer = analyze(request);

        assertThat(OUTPUT.validate(answer)).isEmpty();
        assertThat(answer.get("analysis_type").asText()).isEqualTo("full_analysis");
        JsonNode markers = answer.get("dna_markers");
        assertThat(strongest(markers)).isEqualTo("DHG");
        assertThat(answer.get("secondary_themes").size()).isEqualTo(4);
        assertThat(answer.get("analysis_summary").asText()).contains("by A. Writer (data platforms)").contains("DHG");
        assertThat(answer.get("detected_patterns")).extracting(JsonNode::asText).contains("DHG: data has gravity");
        assertThat(answer.get("readiness_thresholds").get("ready").asBoolean()).isFalse();
        assertThat(answer.get("match_counts").get("DHG").asInt()).isEqualTo(answer.get("evidence").get("DHG").size());
        for (Map.Entry<String, JsonNode> evidence : answer.get("evidence").properties()) {
            evidence.getValue().forEach(match -> assertThat(text.substring(match.get("start").asInt(), match.get("end").asInt()))
                    .isEqualTo(match.get("term").asText()));
        }
        assertThat(platform.get(base(), "/status").json().get("analyses").asLong()).isPositive();
    }

    @Test
    void analysisTypeTrimsTheAnswer() {
        String text = DnaAnalyzerTest.text("all-markers.txt");
        JsonNode markers = analyze(CrankJson.object().put("text", text).put("analysis_type", "dna_markers"));
        JsonNode authenticity = analyze(CrankJson.object().put("text", text).put("analysis_type", "authenticity"));
        JsonNode full = analyze(CrankJson.object().put("text", text));

        assertThat(List.of(markers, authenticity, full)).allSatisfy(answer -> assertThat(OUTPUT.validate(answer)).isEmpty());
        assertThat(fieldNames(markers)).containsExactly("analysis_type", "word_count", "lexicon_version", "dna_markers",
                "secondary_themes", "confidence", "detected_patterns", "match_counts", "evidence");
        assertThat(fieldNames(authenticity)).containsExactly("analysis_type", "word_count", "lexicon_version",
                "authenticity_score", "analysis_summary", "confidence", "readiness_thresholds");
        assertThat(full.get("dna_markers")).isEqualTo(markers.get("dna_markers"));
        assertThat(full.get("authenticity_score")).isEqualTo(authenticity.get("authenticity_score"));
        assertThat(authenticity.get("readiness_thresholds").get("ready").asBoolean()).isTrue();
        assertThat(authenticity.get("readiness_thresholds").get("markers_present").asInt()).isEqualTo(5);
        ObjectNode withoutEvidence = full.deepCopy();
        withoutEvidence.remove("evidence");
        assertThat(OUTPUT.validate(withoutEvidence)).as("the output schema requires what full_analysis promises").isNotEmpty();
    }

    @Test
    void acceptsATextOfExactlyFiftyCharacters() {
        String fifty = "  " + "Autonomous agents decide; data has gravity; places".substring(0, 50) + "\n";
        JsonNode answer = analyze(CrankJson.object().put("text", fifty));

        assertThat(OUTPUT.validate(answer)).isEmpty();
        assertThat(answer.get("dna_markers").get("AID").asDouble()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"text\":42}",
        "{\"text\":null}",
        "{\"text\":[\"" + LONG_ENOUGH + "\"]}",
        "{\"text\":\"" + LONG_ENOUGH + "\",\"analysis_type\":\"everything\"}",
        "{\"text\":\"" + LONG_ENOUGH + "\",\"analysis_type\":1}",
        "{\"text\":\"" + LONG_ENOUGH + "\",\"context\":\"philosophy\"}",
        "{\"text\":\"" + LONG_ENOUGH + "\",\"context\":{\"author\":7}}",
        "{\"text\":\"" + LONG_ENOUGH + "\",\"context\":{\"tags\":{\"nested\":true}}}",
        "{\"text\":\"" + LONG_ENOUGH + "\",\"language\":\"en\"}",
        "[\"text\"]"
    })
    void refusesInputThatBreaksTheSchema(String body) {
        assertThat(platform.invoke(worker, "analyze", "philosophy", body)).isProblem(400, "INVALID_INPUT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "short", "   \n\t   ", "Agents decide. Data has gravity. Space matters!!"})
    void refusesTextShorterThanFiftyCharacters(String text) {
        String padded = "   " + text + "   ";
        assertThat(analyzeRaw(CrankJson.object().put("text", padded))).isProblem(400, "TEXT_TOO_SHORT");
    }

    @Test
    void refusesTextOverOneMebibyteAndBodiesOverTheLimit() {
        assertThat(analyzeRaw(CrankJson.object().put("text", "a".repeat(1024 * 1024 + 1)))).isProblem(413, "TEXT_TOO_LARGE");
        assertThat(analyzeRaw(CrankJson.object().put("text", "\u00e9".repeat(600_000)))).isProblem(413, "TEXT_TOO_LARGE");
        assertThat(analyzeRaw(CrankJson.object().put("text", "a ".repeat(1_200_000)))).isProblem(413, "PAYLOAD_TOO_LARGE");
        assertThat(platform.invoke(worker, "analyze", "philosophy", "{\"text\":")).isProblem(400, "MALFORMED_JSON");
        assertThat(platform.post(base(), "/invoke/analyze/philosophy", "text/plain",
                LONG_ENOUGH.getBytes(StandardCharsets.UTF_8))).isProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(platform.post(base(), "/invoke/analyze/philosophy", "application/json",
                new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, '"', '}'})).isProblem(400, "INVALID_UTF8");
    }

    @Test
    void analysesALargeTextWithinTheLimit() {
        StringBuilder large = new StringBuilder();
        String paragraph = DnaAnalyzerTest.text("TUD.txt");
        while (large.length() + paragraph.length() < 1024 * 1024) {
            large.append(paragraph);
        }
        JsonNode answer = analyze(CrankJson.object().put("text", large.toString()).put("analysis_type", "dna_markers"));

        assertThat(strongest(answer.get("dna_markers"))).isEqualTo("TUD");
        assertThat(answer.get("evidence").get("TUD").size()).isEqualTo(50);
        assertThat(answer.get("match_counts").get("TUD").asInt()).isGreaterThan(1000);
        assertThat(answer.get("word_count").asInt()).isGreaterThan(100_000);
    }

    private static JsonNode analyze(ObjectNode request) {
        ClientResponse response = analyzeRaw(request);
        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        return response.json();
    }

    private static ClientResponse analyzeRaw(ObjectNode request) {
        return platform.invoke(worker, "analyze", "philosophy", request.toString());
    }

    private static String strongest(JsonNode scores) {
        String best = null;
        for (Map.Entry<String, JsonNode> entry : scores.properties()) {
            if (best == null || entry.getValue().asDouble() > scores.get(best).asDouble()) {
                best = entry.getKey();
            }
        }
        return best;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static URI base() {
        return URI.create("https://localhost:" + worker.port());
    }
}
