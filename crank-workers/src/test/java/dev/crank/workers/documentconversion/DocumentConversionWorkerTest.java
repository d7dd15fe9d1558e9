package dev.crank.workers.documentconversion;

import static dev.crank.testing.CrankAssertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import dev.crank.core.JsonSchemaValidator;
import dev.crank.core.ServerLimits;
import dev.crank.testing.CrankPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The worker over real mutual TLS, registered with a real controller. */
class DocumentConversionWorkerTest {

    private static final int MAX_DOCUMENT_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 256 * 1024;
    private static final String PATH = "/invoke/convert/document_to_pdf";

    @TempDir
    static Path dir;

    private static CrankPlatform platform;
    private static DocumentConversionWorker worker;

    @BeforeAll
    static void start() {
        platform = CrankPlatform.start(dir);
        worker = platform.start(new DocumentConversionWorker(platform.config(DocumentConversionWorker.WORKER_ID)
                .limits(ServerLimits.defaults().withMaxContentLength(MAX_BODY_BYTES)).build(),
                ConversionLimits.defaults().withMaxDocumentBytes(MAX_DOCUMENT_BYTES)));
        platform.awaitRegistered(worker);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void registersAndTheControllerRoutesToIt() {
        ClientResponse route = platform.route("convert", "document_to_pdf");

        assertThat(route.status()).isEqualTo(200);
        assertThat(route.json().get("worker_id").asText()).isEqualTo(DocumentConversionWorker.WORKER_ID);
        assertThat(route.json().get("worker_url").asText()).isEqualTo("https://localhost:" + worker.port());
        JsonNode capabilities = platform.get(platform.controllerUrl(), "/capabilities").json();
        assertThat(capabilities.has(DocumentConversionWorker.CAPABILITY)).isTrue();
    }

    @Test
    void convertsJsonMarkdownToAPdfInJson() {
        JsonNode answer = ok(invoke("{\"document\":\"# Greetings\\n\\nΚαλημέρα, Привет → ✓ Ω\\n\\n- one\\n- two\","
                + "\"title\":\"Greek and Russian\"}")).json();

        byte[] pdf = Base64.getDecoder().decode(answer.get("pdf_base64").asText());
        assertThat(new String(pdf, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        assertThat(answer.get("size_bytes").asInt()).isEqualTo(pdf.length);
        assertThat(answer.get("pages").asInt()).isEqualTo(1);
        assertThat(answer.get("conversion_time_ms").asDouble()).isPositive();
        assertThat(answer.get("source_format").asText()).isEqualTo("markdown");
        assertThat(answer.get("source_format_detected").asBoolean()).isTrue();
        assertThat(answer.get("page_size").asText()).isEqualTo("A4");
        assertThat(answer.get("title").asText()).isEqualTo("Greek and Russian");
        assertThat(answer.get("warnings")).isEmpty();
        assertThat(outputViolations(answer)).isEmpty();
        assertThat(Pdfs.text(pdf)).contains("Greetings", "Καλημέρα, Привет → ✓ Ω", "one", "two");
        try (PDDocument document = Pdfs.load(pdf)) {
            assertThat(document.getDocumentInformation().getTitle()).isEqualTo("Greek and Russian");
            assertPageSize(document, PageSize.A4);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void convertsBase64HtmlOnLetterPaper() {
        String html = "<html><head><title>From HTML</title></head><body><h1>Invoice</h1><table><tr><th>Item</th><th>Price</th></tr>"
                + "<tr><td>Crème brûlée</td><td>€ 7</td></tr></table></body></html>";
        String body = "{\"document_base64\":\"" + Base64.getEncoder().encodeToString(html.getBytes(StandardCharsets.UTF_8))
                + "\",\"source_format\":\"html\",\"page_size\":\"Letter\"}";

        JsonNode answer = ok(invoke(body)).json();

        byte[] pdf = Base64.getDecoder().decode(answer.get("pdf_base64").asText());
        assertThat(answer.get("source_format_detected").asBoolean()).isFalse();
        assertThat(answer.get("page_size").asText()).isEqualTo("Letter");
        assertThat(answer.get("title").asText()).isEqualTo("From HTML");
        assertThat(outputViolations(answer)).isEmpty();
        assertThat(Pdfs.text(pdf, true)).contains("Invoice", "Crème brûlée", "€ 7");
        try (PDDocument document = Pdfs.load(pdf)) {
            assertPageSize(document, PageSize.LETTER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void rawMarkdownBodyWithAcceptPdfGetsThePdfItself() throws IOException {
        byte[] markdown = "# Raw body\n\nSent as *text/markdown*; Ωmega.\n".getBytes(StandardCharsets.UTF_8);

        ClientResponse response = ok(send(PATH + "?title=Raw%20title&page_size=Letter", "text/markdown; charset=utf-8",
                "application/pdf", markdown));

        assertThat(response.header("content-type")).contains("application/pdf");
        assertThat(response.header("x-pdf-pages")).contains("1");
        assertThat(response.header("x-conversion-warnings")).contains("0");
        assertThat(new String(response.body(), 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        assertThat(Pdfs.text(response.body(), true)).contains("Raw body", "Sent as text/markdown; Ωmega.");
        try (PDDocument document = Pdfs.load(response.body())) {
            assertThat(document.getDocumentInformation().getTitle()).isEqualTo("Raw title");
            assertPageSize(document, PageSize.LETTER);
        }
    }

    @Test
    void rawHtmlAndPlainTextBodiesAnswerJson() {
        JsonNode html = ok(send(PATH, "text/html", null, "<p>Hello <b>HTML</b></p>".getBytes(StandardCharsets.UTF_8))).json();
        JsonNode text = ok(send(PATH, "text/plain; charset=ISO-8859-1", null, "# not a heading, café".getBytes(StandardCharsets.ISO_8859_1))).json();

        assertThat(html.get("source_format").asText()).isEqualTo("html");
        assertThat(Pdfs.text(Base64.getDecoder().decode(html.get("pdf_base64").asText()))).contains("Hello", "HTML");
        assertThat(text.get("source_format").asText()).isEqualTo("text");
        assertThat(Pdfs.text(Base64.getDecoder().decode(text.get("pdf_base64").asText()))).contains("# not a heading, café");
    }

    @Test
    void jsonRequestWithAcceptPdfGetsThePdfItself() {
        ClientResponse response = ok(send(PATH, "application/json", "application/pdf",
                "{\"document\":\"plain words\",\"source_format\":\"text\"}".getBytes(StandardCharsets.UTF_8)));

        assertThat(response.header("content-type")).contains("application/pdf");
        assertThat(Pdfs.text(response.body())).contains("plain words");
    }

    @Test
    void externalImagesAreReportedAndNeverFetched() throws IOException {
        try (LoopbackListener listener = new LoopbackListener()) {
            String image = listener.url("/logo.png");
            JsonNode answer = ok(invoke("{\"document\":\"<h1>Logo</h1><img src='" + image + "'>\"}")).json();

            assertThat(listener.connections()).isZero();
            assertThat(answer.get("source_format").asText()).isEqualTo("html");
            assertThat(answer.get("warnings")).singleElement().satisfies(warning -> {
                assertThat(warning.get("code").asText()).isEqualTo("EXTERNAL_RESOURCE_REFUSED");
                assertThat(warning.get("uri").asText()).isEqualTo(image);
            });
            assertThat(outputViolations(answer)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"document\":\"\"}",
        "{\"document\":42}",
        "{\"document\":null}",
        "{\"document\":[\"a\"]}",
        "{\"document_base64\":\"\"}",
        "{\"document\":\"x\",\"document_base64\":\"eA==\"}",
        "{\"document\":\"x\",\"page_size\":\"A5\"}",
        "{\"document\":\"x\",\"page_size\":\"a4\"}",
        "{\"document\":\"x\",\"source_format\":\"pdf\"}",
        "{\"document\":\"x\",\"title\":7}",
        "{\"document\":\"x\",\"colour\":\"red\"}",
        "[\"document\"]",
        "\"just a string\""
    })
    void refusesInputThatDoesNotMatchTheSchema(String body) {
        assertThat(invoke(body)).isProblem(400, "INVALID_INPUT");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "'; DROP TABLE documents; --",
        "<script>alert(document.cookie)</script>",
        "../../../../etc/passwd",
        "${jndi:ldap://127.0.0.1:1/a}",
        "\u202Etxt.exe",
        "zero\u200Bwidth\u200Djoiner\uFEFF",
        "nul\u0000byte",
        "<svg onload=alert(1)><use href='file:///etc/passwd#x'/></svg>",
        "<<<>>>&&&;;;<!--"
    })
    void adversarialTextIsConvertedAsText(String text) {
        for (String format : List.of("markdown", "html", "text")) {
            ObjectNode body = CrankJson.object().put("document", text).put("title", text).put("source_format", format);

            ClientResponse response = invoke(CrankJson.tree(body).toString());

            assertThat(response.status()).as(format + ": " + response.bodyText()).isEqualTo(200);
            assertThat(response.json().get("pages").asInt()).isEqualTo(1);
        }
    }

    @Test
    void refusesBadDocumentsWithTheirOwnCodes() {
        assertThat(invoke("{\"document_base64\":\"not base64!\"}")).isProblem(400, "INVALID_BASE64");
        assertThat(invoke("{\"document_base64\":\"" + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF})
                + "\"}")).isProblem(400, "INVALID_UTF8");
        assertThat(invoke("{\"document\":\" \\n\\t \"}")).isProblem(400, "EMPTY_DOCUMENT");
        assertThat(invoke("{\"document_base64\":\"" + Base64.getEncoder().encodeToString("   ".getBytes(StandardCharsets.UTF_8))
                + "\"}")).isProblem(400, "EMPTY_DOCUMENT");
        assertThat(invoke("{\"document\":")).isProblem(400, "MALFORMED_JSON");
        assertThat(send(PATH, "text/plain", null, new byte[] {(byte) 0xC3, 0x28})).isProblem(400, "INVALID_UTF8");
        assertThat(send(PATH, "text/plain", null, new byte[0])).isProblem(400, "EMPTY_DOCUMENT");
        assertThat(send(PATH, "text/plain; charset=x-klingon", null, "x".getBytes(StandardCharsets.UTF_8))).isProblem(415, "UNSUPPORTED_CHARSET");
        assertThat(send(PATH, "application/xml", null, "<a/>".getBytes(StandardCharsets.UTF_8))).isProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(send(PATH + "?page_size=A3", "text/plain", null, "x".getBytes(StandardCharsets.UTF_8))).isProblem(400, "INVALID_PAGE_SIZE");
        assertThat(invoke("{\"document\":\"still up\"}").status()).isEqualTo(200);
    }

    @Test
    void refusesDocumentsOverTheSizeLimit() {
        String big = "a".repeat(MAX_DOCUMENT_BYTES + 1);
        String bigBase64 = Base64.getEncoder().encodeToString(big.getBytes(StandardCharsets.UTF_8));

        assertThat(invoke("{\"document\":\"" + big + "\"}")).isProblem(413, "DOCUMENT_TOO_LARGE");
        assertThat(invoke("{\"document\":\"" + "é".repeat(MAX_DOCUMENT_BYTES / 2 + 1) + "\"}")).isProblem(413, "DOCUMENT_TOO_LARGE");
        assertThat(invoke("{\"document_base64\":\"" + bigBase64 + "\"}")).isProblem(413, "DOCUMENT_TOO_LARGE");
        assertThat(send(PATH, "text/markdown", null, big.getBytes(StandardCharsets.UTF_8))).isProblem(413, "DOCUMENT_TOO_LARGE");
        assertThat(send(PATH, "text/markdown", null, new byte[MAX_BODY_BYTES + 1])).isProblem(413, "PAYLOAD_TOO_LARGE");
        assertThat(invoke("{\"document\":\"" + "a".repeat(MAX_DOCUMENT_BYTES - 10) + "\"}").status()).isEqualTo(200);
    }

    @Test
    void aRenderOverTheTimeLimitIs422() {
        DocumentConversionWorker hurried = platform.start(new DocumentConversionWorker(
                platform.config("crank-document-conversion-hurried").build(),
                ConversionLimits.defaults().withRenderTimeout(Duration.ofNanos(1))));

        try {
            ClientResponse response = platform.postJson(URI.create("https://localhost:" + hurried.port()), PATH,
                    "{\"document\":\"# Any document\\n\\nneeds more than a nanosecond.\"}");

            assertThat(response).isProblem(422, "RENDER_TIMEOUT");
        } finally {
            hurried.close(); // deregisters, so the controller routes only to the main worker again
            // and if that deregistration ran out of its shutdown budget on a busy machine, the admin removes it
            // (200, or 404 when it is already gone): the other tests of this class route to the main worker
            int status = platform.admin().send(new ClientRequest("DELETE",
                    platform.controllerUrl().resolve("/deregister/crank-document-conversion-hurried"), Map.of(), new byte[0],
                    CrankPlatform.TIMEOUT)).join().status();
            assertThat(status).isIn(200, 404);
        }
    }

    @Test
    void statusCountsConversions() {
        long before = platform.get(base(), "/status").json().get("conversions").get("total").asLong();
        invoke("{\"document\":\"count me\"}");

        JsonNode stats = platform.get(base(), "/status").json().get("conversions");
        assertThat(stats.get("total").asLong()).isEqualTo(before + 1);
        assertThat(stats.get("max_document_bytes").asInt()).isEqualTo(MAX_DOCUMENT_BYTES);
    }

    private static ClientResponse invoke(String json) {
        return platform.invoke(worker, "convert", "document_to_pdf", json);
    }

    private static ClientResponse send(String path, String contentType, String accept, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", contentType);
        if (accept != null) {
            headers.put("accept", accept);
        }
        return platform.admin().send(new ClientRequest("POST", base().resolve(path), headers, body, CrankPlatform.TIMEOUT)).join();
    }

    private static URI base() {
        return URI.create("https://localhost:" + worker.port());
    }

    private static ClientResponse ok(ClientResponse response) {
        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        return response;
    }

    /** Checks an answer against the output schema the worker publishes at {@code GET /capabilities}. */
    private static List<String> outputViolations(JsonNode answer) {
        JsonNode published = platform.get(base(), "/capabilities").json().get(0);
        assertThat(published.get("name").asText()).isEqualTo("document_to_pdf");
        return JsonSchemaValidator.of(published.get("output_schema")).validate(answer);
    }

    private static void assertPageSize(PDDocument document, PageSize size) {
        PDRectangle box = document.getPage(0).getMediaBox();
        assertThat(box.getWidth()).isCloseTo(size.widthPt(), within(0.5f));
        assertThat(box.getHeight()).isCloseTo(size.heightPt(), within(0.5f));
    }
}
