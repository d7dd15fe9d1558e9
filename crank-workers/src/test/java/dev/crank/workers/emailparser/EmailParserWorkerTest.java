package dev.crank.workers.emailparser;

import static dev.crank.testing.CrankAssertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import dev.crank.core.JsonSchemaValidator;
import dev.crank.core.testing.RawHttps;
import dev.crank.core.testing.TestTls;
import dev.crank.testing.CrankPlatform;
import dev.crank.workers.mail.EmailParser;
import dev.crank.workers.mail.Fixtures;
import dev.crank.workers.mail.ParseOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code parse:email_headers} through a real controller and {@code /invoke} over mutual TLS. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmailParserWorkerTest {

    private static final String MBOX = "From kre@munnari.OZ.AU Wed Aug 21 13:33:03 2002\n"
            + Fixtures.corpusText("easy-ham-2-00001").replace("\nFrom ", "\n>From ") + "\n"
            + "From foo@example.com Mon Jun 24 17:03:24 2002\n"
            + Fixtures.corpusText("spam-2-00002").replace("\nFrom ", "\n>From ") + "\n"
            + Fixtures.corpusText("spam-2-00001").replace("\nFrom ", "\n>From ") + "\n"; // the corpus file keeps its own From line

    @TempDir
    static Path dir;

    private CrankPlatform platform;
    private EmailParserWorker worker;

    @BeforeAll
    void start() {
        platform = CrankPlatform.start(dir);
        worker = platform.worker(EmailParserWorker.WORKER_ID, EmailParserWorker::new);
        platform.awaitRegistered(worker);
    }

    @AfterAll
    void stop() {
        platform.close();
    }

    @Test
    void registersAndParsesThroughTheRoutedWorker() {
        JsonNode route = platform.route("parse", "email_headers").json();
        assertThat(route.get("worker_id").asText()).isEqualTo(EmailParserWorker.WORKER_ID);

        ClientResponse response = platform.postJson(URI.create(route.get("worker_url").asText()),
                "/invoke/parse/email_headers", request("raw_email", Fixtures.corpusText("easy-ham-2-00001")));

        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        JsonNode email = response.json();
        assertThat(email.get("subject").asText()).isEqualTo("Re: New Sequences Window");
        assertThat(email.get("from").get("name").asText()).isEqualTo("Robert Elz");
        assertThat(email.get("from").get("address").asText()).isEqualTo("kre@munnari.OZ.AU");
        assertThat(email.get("date").asText()).isEqualTo("2002-08-21T12:30:01Z");
        assertThat(email.get("received")).hasSize(10);
        assertThat(email.get("received").get(0).get("delay_seconds").asLong()).isZero();
        assertThat(email.get("received").get(9).get("delay_seconds").isNull()).isTrue();
        assertThat(email.get("authentication").get("spf").isNull()).isTrue();
        assertThat(email.get("body_snippet").asText()).hasSizeLessThanOrEqualTo(200).startsWith("Date: Tue, 20 Aug 2002");
        assertThat(email.get("headers").get(0).get("name").asText()).isEqualTo("Return-Path");
        assertThat(email.get("defects")).isEmpty();
        assertThat(email.get("processing_time_ms").asDouble()).isNotNegative();
        assertThat(outputViolations(email)).isEmpty();
        assertThat(outputViolations(CrankJson.object().put("subject", 7))).isNotEmpty(); // the check can fail
    }

    @Test
    void readsARawMessageBodyWithOptionsInTheQuery() {
        ClientResponse response = platform.post(base(), "/invoke/parse/email_headers?include_body=false&keywords=Protection,stun%20guns",
                EmailParserWorker.RFC822, Fixtures.corpus("spam-2-00002"));

        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        JsonNode email = response.json();
        assertThat(email.get("body_text").isNull()).isTrue();
        assertThat(email.get("body_snippet").isNull()).isTrue();
        assertThat(email.get("receipt").get("matched_keywords")).extracting(JsonNode::asText).containsExactly("Protection", "stun guns");
        assertThat(email.get("receipt").get("is_receipt").asBoolean()).isTrue();
        assertThat(outputViolations(email)).isEmpty();
    }

    @Test
    void keepsEightBitBytesGivenAsBase64() {
        byte[] latin1 = Fixtures.message("From: =?iso-8859-1?q?Andr=E9?= <andre@example.org>\nSubject: caf\u00e9\n"
                + "Content-Type: text/plain; charset=iso-8859-1", "Cr\u00e8me br\u00fbl\u00e9e").getBytes(StandardCharsets.ISO_8859_1);

        JsonNode email = invoke(request("raw_email_base64", Base64.getMimeEncoder().encodeToString(latin1))).json();

        assertThat(email.get("from").get("name").asText()).isEqualTo("André");
        assertThat(email.get("body_text").asText()).isEqualTo("Crème brûlée");
        assertThat(email.get("subject").asText()).isEqualTo("caf\uFFFD"); // raw 8-bit in a header is not UTF-8...
        assertThat(email.get("defects")).extracting(JsonNode::asText).contains("Subject: bytes that are not UTF-8 were replaced");
    }

    @Test
    void parsesEveryMessageOfAnMboxIntoAnArray() {
        ClientResponse json = invoke(request("mbox", MBOX));
        ClientResponse raw = platform.post(base(), "/invoke/parse/email_headers", EmailParserWorker.MBOX,
                MBOX.getBytes(StandardCharsets.ISO_8859_1));

        for (ClientResponse response : List.of(json, raw)) {
            assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
            JsonNode messages = response.json();
            assertThat(messages.isArray()).isTrue();
            assertThat(messages).extracting(m -> m.get("subject").asText()).containsExactly("Re: New Sequences Window",
                    "Real Protection, Stun Guns!  Free Shipping! Time:2:01:35 PM", "[ILUG] STOP THE MLM INSANITY");
            assertThat(messages.get(0).get("body_text").asText())
                    .isEqualTo(EmailParser.parse(Fixtures.corpus("easy-ham-2-00001"), ParseOptions.defaults()).bodyText());
            assertThat(outputViolations(messages)).isEmpty();
        }
    }

    @Test
    void streamsAnMboxAsNdjsonMessageByMessage() throws Exception {
        ClientResponse response = platform.admin().send(new ClientRequest("POST", base().resolve("/invoke/parse/email_headers"),
                Map.of("content-type", EmailParserWorker.MBOX, "accept", EmailParserWorker.NDJSON),
                MBOX.getBytes(StandardCharsets.ISO_8859_1), CrankPlatform.TIMEOUT)).join();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).contains(EmailParserWorker.NDJSON);
        String[] lines = response.bodyText().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(Arrays.stream(lines).map(line -> CrankJson.parse(line).get("subject").asText()))
                .containsExactly("Re: New Sequences Window", "Real Protection, Stun Guns!  Free Shipping! Time:2:01:35 PM",
                        "[ILUG] STOP THE MLM INSANITY");

        // on the wire: a chunked response, one line per message
        RawHttps.Answer wire = RawHttps.exchange(TestTls.forcedClient(platform.pki().adminMaterial("admin"), platform.pki().caCertificate()),
                worker.port(), withAccept(RawHttps.request("POST", "/invoke/parse/email_headers", EmailParserWorker.MBOX,
                        MBOX.getBytes(StandardCharsets.ISO_8859_1))));
        assertThat(wire.status()).isEqualTo(200);
        assertThat(wire.header("transfer-encoding")).isEqualTo("chunked");
        assertThat(wire.body()).contains("\"subject\":\"[ILUG] STOP THE MLM INSANITY\"");
    }

    @Test
    void refusesBinaryJunkEmptyBodiesAndInputWithoutHeaders() {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        assertThat(platform.post(base(), "/invoke/parse/email_headers", EmailParserWorker.RFC822, junk)).isProblem(400, "INVALID_EMAIL");
        assertThat(platform.post(base(), "/invoke/parse/email_headers", "application/json", junk)).isProblem(400, "INVALID_UTF8");
        assertThat(platform.post(base(), "/invoke/parse/email_headers", EmailParserWorker.MBOX, junk)).isProblem(400, "INVALID_MBOX");
        assertThat(invoke(request("raw_email_base64", Base64.getEncoder().encodeToString(junk)))).isProblem(400, "INVALID_EMAIL");
        assertThat(platform.post(base(), "/invoke/parse/email_headers", "application/json", new byte[0])).isProblem(400, "EMPTY_BODY");
        assertThat(platform.post(base(), "/invoke/parse/email_headers", EmailParserWorker.RFC822, new byte[0])).isProblem(400, "INVALID_EMAIL");
        assertThat(platform.post(base(), "/invoke/parse/email_headers", EmailParserWorker.MBOX, new byte[0])).isProblem(400, "INVALID_MBOX");
        assertThat(invoke(request("raw_email", "Hello Bob,\n\nno headers here."))).isProblem(400, "INVALID_EMAIL");
        assertThat(invoke(request("raw_email", "\n\n"))).isProblem(400, "INVALID_EMAIL");
        assertThat(invoke(request("mbox", "Subject: not an mbox\n\nbody"))).isProblem(400, "INVALID_MBOX");
        assertStillServing();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"raw_email\":42}",
        "{\"raw_email\":\"\"}",
        "{\"raw_email\":null}",
        "{\"raw_email\":\"Subject: x\\n\\ny\",\"mbox\":\"From x\\n\"}",
        "{\"raw_email\":\"Subject: x\\n\\ny\",\"include_body\":\"yes\"}",
        "{\"raw_email\":\"Subject: x\\n\\ny\",\"snippet_length\":10001}",
        "{\"raw_email\":\"Subject: x\\n\\ny\",\"snippet_length\":-1}",
        "{\"raw_email\":\"Subject: x\\n\\ny\",\"snippet_length\":2.5}",
        "{\"raw_email\":\"Subject: x\\n\\ny\",\"keywords\":\"receipt\"}",
        "{\"raw_email\":\"Subject: x\\n\\ny\",\"keywords\":[\"  \"]}",
        "{\"raw_email\":\"Subject: x\\n\\ny\",\"unknown\":true}",
        "[\"Subject: x\"]",
        "\"Subject: x\""
    })
    void refusesWrongTypesWithProblemJson(String body) {
        assertThat(invoke(body)).isProblem(400, "INVALID_INPUT");
    }

    @Test
    void refusesInvalidBase64BadParametersAndOtherMediaTypes() {
        assertThat(invoke(request("raw_email_base64", "not*base64!"))).isProblem(400, "INVALID_BASE64");
        assertThat(invoke(request("mbox_base64", "QUJD=A"))).isProblem(400, "INVALID_BASE64");
        assertThat(platform.post(base(), "/invoke/parse/email_headers?snippet_length=lots", EmailParserWorker.RFC822,
                Fixtures.corpus("spam-2-00001"))).isProblem(400, "INVALID_PARAMETER");
        assertThat(platform.post(base(), "/invoke/parse/email_headers?include_body=maybe", EmailParserWorker.RFC822,
                Fixtures.corpus("spam-2-00001"))).isProblem(400, "INVALID_PARAMETER");
        assertThat(platform.post(base(), "/invoke/parse/email_headers", "text/plain", Fixtures.corpus("spam-2-00001"))).isProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        assertStillServing();
    }

    @Test
    void refusesABodyOverTheSixteenMebibyteLimit() {
        byte[] huge = new byte[20 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'a');
        byte[] head = "Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, huge, 0, head.length);

        assertThat(platform.post(base(), "/invoke/parse/email_headers", EmailParserWorker.RFC822, huge)).isProblem(413, "PAYLOAD_TOO_LARGE");
        assertStillServing();
    }

    private void assertStillServing() {
        assertThat(platform.get(base(), "/health").status()).isEqualTo(200);
        assertThat(invoke(request("raw_email", "Subject: still up\n\nyes")).json().get("subject").asText()).isEqualTo("still up");
    }

    /** What the answer breaks of the output schema the worker declares in {@code GET /capabilities}. */
    private List<String> outputViolations(JsonNode answer) {
        JsonNode declared = platform.get(base(), "/capabilities").json();
        for (JsonNode capability : declared) {
            if (capability.get("name").asText().equals("email_headers")) {
                return JsonSchemaValidator.of(capability.get("output_schema")).validate(answer);
            }
        }
        throw new AssertionError("parse:email_headers not declared: " + declared);
    }

    private static byte[] withAccept(byte[] request) {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        return text.replaceFirst("\r\n", "\r\nAccept: " + EmailParserWorker.NDJSON + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String request(String field, String value) {
        ObjectNode request = CrankJson.object().put(field, value);
        return CrankJson.string(request);
    }

    private ClientResponse invoke(String json) {
        return platform.invoke(worker, "parse", "email_headers", json);
    }

    private URI base() {
        return URI.create("https://localhost:" + worker.port());
    }
}
