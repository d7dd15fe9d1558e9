package com.example.textstats;

import static dev.crank.testing.CrankAssertions.assertThat;
import dev.crank.core.ClientResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.testing.CrankWorkerExtension;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The worker as callers see it: a real controller, real mutual TLS, a throw-away PKI. */
class TextStatsWorkerTest {

    @RegisterExtension
    static final CrankWorkerExtension<TextStatsWorker> crank = CrankWorkerExtension.of(TextStatsWorker::new)
            .workerId(TextStatsWorker.WORKER_ID)
            .withController();

    @Test
    void analysesJson() throws Exception {
        String json = "{\"text\":" + quote(TextStatsTest.taleOfTwoCities()) + ",\"words_per_minute\":186}";

        ClientResponse response = crank.invoke("analyze:text_stats", json);

        assertThat(response).isOk().matchesOutputSchema(crank.capability("analyze:text_stats"));
        JsonNode stats = response.json();
        assertThat(stats.get("word_count").asInt()).isEqualTo(186);
        assertThat(stats.get("sentence_count").asInt()).isEqualTo(3);
        assertThat(stats.get("paragraph_count").asInt()).isEqualTo(2);
        assertThat(stats.get("words_per_minute").asInt()).isEqualTo(186);
        assertThat(stats.get("reading_time_seconds").asInt()).isEqualTo(60);
    }

    @Test
    void analysesAPlainTextBody() throws Exception {
        ClientResponse response = crank.invoke("analyze:text_stats", "text/plain",
                TextStatsTest.taleOfTwoCities().getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("word_count").asInt()).isEqualTo(186);
        assertThat(response.json().get("words_per_minute").asInt()).isEqualTo(TextStats.DEFAULT_WORDS_PER_MINUTE);
    }

    @Test
    void isRegisteredAndRoutable() {
        JsonNode route = crank.route("analyze:text_stats").json();

        assertThat(route.get("worker_id").asText()).isEqualTo(TextStatsWorker.WORKER_ID);
        assertThat(route.get("worker_url").asText()).isEqualTo(crank.workerUrl().toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing text               | {}                                       | 400 | INVALID_INPUT
            empty text                 | {"text":""}                              | 400 | INVALID_INPUT
            text is a number           | {"text":42}                              | 400 | INVALID_INPUT
            speed too low              | {"text":"Hi.","words_per_minute":10}     | 400 | INVALID_INPUT
            unknown field              | {"text":"Hi.","lang":"en"}               | 400 | INVALID_INPUT
            not JSON                   | {"text":                                 | 400 | MALFORMED_JSON
            """)
    void rejectsBadJson(String what, String body, int status, String code) {
        assertThat(crank.invoke("analyze:text_stats", body)).as(what).isProblem(status, code);
    }

    @Test
    void rejectsBadRawBodies() {
        assertThat(crank.invoke("analyze:text_stats", "text/plain", new byte[0])).isProblem(400, "EMPTY_TEXT");
        assertThat(crank.invoke("analyze:text_stats", "text/plain", new byte[] {'h', 'i', (byte) 0xC3, (byte) 0x28})).isProblem(400, "INVALID_UTF8");
        assertThat(crank.invoke("analyze:text_stats", "text/plain",
                "a".repeat(TextStatsWorker.MAX_CHARACTERS + 1).getBytes(StandardCharsets.UTF_8))).isProblem(400, "TEXT_TOO_LONG");
        assertThat(crank.invoke("analyze:text_stats", "application/xml", "<text/>".getBytes(StandardCharsets.UTF_8))).isProblem(415, "UNSUPPORTED_MEDIA_TYPE");
    }

    private static String quote(String text) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
    }
}
