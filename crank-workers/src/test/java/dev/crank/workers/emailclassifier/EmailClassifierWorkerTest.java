package dev.crank.workers.emailclassifier;

import static dev.crank.testing.CrankAssertions.assertThat;
import dev.crank.core.ClientResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import dev.crank.core.JsonSchemaValidator;
import dev.crank.testing.CrankPlatform;
import dev.crank.workers.mail.Fixtures;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code classify:email_intent} through a real controller and {@code /invoke} over mutual TLS. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmailClassifierWorkerTest {

    @TempDir
    static Path dir;

    private CrankPlatform platform;
    private EmailClassifierWorker worker;

    @BeforeAll
    void start() {
        platform = CrankPlatform.start(dir);
        worker = platform.worker(EmailClassifierWorker.WORKER_ID, EmailClassifierWorker::new);
        platform.awaitRegistered(worker);
    }

    @AfterAll
    void stop() {
        platform.close();
    }

    @Test
    void registersAndAnswersEveryTypeThroughTheRoutedWorker() {
        JsonNode route = platform.route("classify", "email_intent").json();
        assertThat(route.get("worker_id").asText()).isEqualTo(EmailClassifierWorker.WORKER_ID);

        ClientResponse response = platform.postJson(URI.create(route.get("worker_url").asText()),
                "/invoke/classify/email_intent", request(Fixtures.corpusText("easy-ham-2-00001")));

        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        JsonNode answer = response.json();
        assertThat(answer.get("input_kind").asText()).isEqualTo("rfc5322");
        assertThat(answer.get("processing_time_ms").asDouble()).isNotNegative();
        assertThat(answer.get("results")).extracting(r -> r.get("classification_type").asText())
                .containsExactly("spam_detection", "intent", "sentiment", "priority", "language");
        for (JsonNode result : answer.get("results")) {
            assertThat(result.get("confidence").asDouble()).isBetween(0.0, 1.0);
            assertThat(result.get("details").get("algorithm").asText()).isNotBlank();
        }
        assertThat(outputViolations(answer)).isEmpty();
        assertThat(prediction(answer, "spam_detection")).isEqualTo("not_spam");
        assertThat(prediction(answer, "language")).isEqualTo("en");
        assertThat(prediction(answer, "intent")).isNotEqualTo("marketing"); // a reply on a developers' list is no advert
    }

    @ParameterizedTest
    @ValueSource(strings = {"spam-2-00001", "spam-2-00002"})
    void detectsSpamInHeldOutCorpusMessages(String fixture) {
        JsonNode result = classify(Fixtures.corpusText(fixture), "spam_detection").get("results").get(0);

        assertThat(result.get("prediction").asText()).isEqualTo("spam");
        assertThat(result.get("confidence").asDouble()).isGreaterThan(0.9);
        JsonNode details = result.get("details");
        assertThat(details.get("algorithm").asText()).isEqualTo("logistic_regression");
        assertThat(details.get("spam_probability").asDouble()).isGreaterThanOrEqualTo(details.get("threshold").asDouble());
        assertThat(details.get("strongest_features")).isNotEmpty();
        assertThat(details.get("strongest_features").get(0).get("weight").asDouble()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"easy-ham-2-00001", "easy-ham-2-00002"})
    void passesHamFromHeldOutCorpusMessages(String fixture) {
        JsonNode result = classify(Fixtures.corpusText(fixture), "spam_detection").get("results").get(0);

        assertThat(result.get("prediction").asText()).isEqualTo("not_spam");
        assertThat(result.get("confidence").asDouble()).isGreaterThan(0.9);
        assertThat(result.get("details").get("spam_probability").asDouble()).isLessThan(result.get("details").get("threshold").asDouble());
    }

    @Test
    void classifiesAPlainBodyWithASubject() {
        ObjectNode request = CrankJson.object().put("email_content", "Hi team, the quarterly report is attached. Please review it "
                + "before Thursday's meeting. Best regards, Dana").put("subject", "Q3 report - please review");
        request.putArray("classification_types").add("intent").add("language").add("sentiment");

        JsonNode answer = invoke(CrankJson.string(request)).json();

        assertThat(answer.get("input_kind").asText()).isEqualTo("plain_text");
        assertThat(answer.get("results")).extracting(r -> r.get("classification_type").asText())
                .containsExactly("intent", "language", "sentiment");
        assertThat(prediction(answer, "intent")).isEqualTo("business");
        assertThat(prediction(answer, "language")).isEqualTo("en");
        assertThat(outputViolations(answer)).isEmpty();
    }

    @Test
    void theCallersSubjectReplacesTheMessagesOwn() {
        String message = Fixtures.message("From: a@example.org\nSubject: hello", "See you.");
        ObjectNode request = CrankJson.object().put("email_content", message).put("subject", "URGENT: reply immediately");
        request.putArray("classification_types").add("priority");

        JsonNode answer = invoke(CrankJson.string(request)).json();

        assertThat(prediction(answer, "priority")).isEqualTo("high");
    }

    @Test
    void refusesAnUnknownTypeListingTheValidOnes() {
        ClientResponse response = invoke("{\"email_content\":\"hello\",\"classification_types\":[\"intent\",\"horoscope\"]}");

        assertThat(response).isProblem(400, "INVALID_INPUT");
        String errors = response.json().get("errors").toString();
        assertThat(errors).contains("/classification_types/1");
        for (String type : ClassificationType.wireNames()) {
            assertThat(errors).contains(type);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"email_content\":\"\"}",
        "{\"email_content\":\"   \\n \"}",
        "{\"email_content\":42}",
        "{\"email_content\":null}",
        "{\"email_content\":\"x\",\"subject\":7}",
        "{\"email_content\":\"x\",\"classification_types\":[]}",
        "{\"email_content\":\"x\",\"classification_types\":\"intent\"}",
        "{\"email_content\":\"x\",\"classification_types\":[\"intent\",\"intent\"]}",
        "{\"email_content\":\"x\",\"extra\":1}",
        "[]"
    })
    void refusesWrongInputWithProblemJson(String body) {
        assertThat(invoke(body)).isProblem(400, "INVALID_INPUT");
    }

    @Test
    void refusesJunkEmptyAndOversizedBodiesAndStaysUp() {
        byte[] junk = new byte[2048];
        new Random(11).nextBytes(junk);
        assertThat(platform.post(base(), "/invoke/classify/email_intent", "application/json", junk)).isProblem(400, "INVALID_UTF8");
        assertThat(platform.post(base(), "/invoke/classify/email_intent", "application/json",
                "{\"email_content\":".getBytes(StandardCharsets.UTF_8))).isProblem(400, "MALFORMED_JSON");
        assertThat(platform.post(base(), "/invoke/classify/email_intent", "application/json", new byte[0])).isProblem(400, "EMPTY_BODY");
        assertThat(platform.post(base(), "/invoke/classify/email_intent", "message/rfc822", junk)).isProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        byte[] huge = new byte[20 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'a');
        assertThat(platform.post(base(), "/invoke/classify/email_intent", "application/json", huge)).isProblem(413, "PAYLOAD_TOO_LARGE");

        assertThat(platform.get(base(), "/health").status()).isEqualTo(200);
        assertThat(invoke("{\"email_content\":\"still here\"}").status()).isEqualTo(200);
    }

    @Test
    void classifiesBinaryLookingTextWithoutFailing() {
        StringBuilder noise = new StringBuilder("Subject: \u0000\u0001\n\n");
        new Random(3).ints(2000, 1, 0xD7FF).forEach(noise::appendCodePoint);
        ObjectNode request = CrankJson.object().put("email_content", noise.toString());

        ClientResponse response = invoke(CrankJson.string(request));

        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        assertThat(response.json().get("results")).hasSize(5);
    }

    /** What the answer breaks of the output schema the worker declares in {@code GET /capabilities}. */
    private List<String> outputViolations(JsonNode answer) {
        JsonNode declared = platform.get(base(), "/capabilities").json();
        for (JsonNode capability : declared) {
            if (capability.get("name").asText().equals("email_intent")) {
                return JsonSchemaValidator.of(capability.get("output_schema")).validate(answer);
            }
        }
        throw new AssertionError("classify:email_intent not declared: " + declared);
    }

    private JsonNode classify(String content, String type) {
        ObjectNode request = CrankJson.object().put("email_content", content);
        request.putArray("classification_types").add(type);
        ClientResponse response = invoke(CrankJson.string(request));
        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        return response.json();
    }

    private static String request(String content) {
        return CrankJson.string(CrankJson.object().put("email_content", content));
    }

    private static String prediction(JsonNode answer, String type) {
        for (JsonNode result : answer.get("results")) {
            if (result.get("classification_type").asText().equals(type)) {
                return result.get("prediction").asText();
            }
        }
        throw new AssertionError("no " + type + " in " + answer);
    }

    private ClientResponse invoke(String json) {
        return platform.invoke(worker, "classify", "email_intent", json);
    }

    private URI base() {
        return URI.create("https://localhost:" + worker.port());
    }
}
