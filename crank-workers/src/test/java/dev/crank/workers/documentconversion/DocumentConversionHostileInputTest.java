package dev.crank.workers.documentconversion;

import static dev.crank.testing.CrankAssertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.testing.CrankPlatform;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Page and memory bombs against the worker with its default limits (500 pages, 30 s, 2 MiB) over real
 * mutual TLS, in the default test heap, so an unbounded layout would really exhaust it. Every probe must
 * get an answer (a PDF of a few pages, or a 422 with a code), and the worker must stay healthy.
 */
class DocumentConversionHostileInputTest {

    /** Far above the render deadline: the test proves an answer comes, not how fast. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofMinutes(3);
    private static final String PATH = "/invoke/convert/document_to_pdf";
    /** A 10 000 px box (the clamp's bound) spans about ten A4 pages. */
    private static final int PAGES_OF_ONE_CLAMPED_BOX = 12;

    @TempDir
    static Path dir;

    private static CrankPlatform platform;
    private static DocumentConversionWorker worker;

    @BeforeAll
    static void start() {
        platform = CrankPlatform.withoutController(dir);
        worker = platform.start(new DocumentConversionWorker(platform.config(DocumentConversionWorker.WORKER_ID).build()));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"100000000px", "75000000pt", "6250000em", "6250000rem", "625000000%", "1e8px", "100000000PX"})
    void hugeInlineFontSizesInAnyUnitAreClampedToOnePage(String size) {
        ClientResponse response = send("text/html", "<div style=\"font-size:" + size + "\">x</div>");

        assertPdfWithAtMostPages(response, 1);
        assertStillHealthy();
    }

    @Test
    void hugeFontSizesInStyleBlocksAndTheFontShorthandAreClamped() {
        ClientResponse block = send("text/html", "<html><head><style>p { font-size: 100000000px !important }"
                + " .b { font: bold 100000000px/100000000px serif }</style></head><body><p>x</p><div class=\"b\">y</div></body></html>");

        assertPdfWithAtMostPages(block, 3);
        assertStillHealthy();
    }

    @ParameterizedTest
    @ValueSource(strings = {"height:20000000px", "min-height:20000000px", "line-height:20000000px", "line-height:2000000",
        "padding:20000000px", "padding-top:2e7px", "margin:20000000px 0", "margin-bottom:20000000px", "height:2000000cm",
        "min-height:100000000vh", "height:1000000em"})
    void hugeBoxLengthsAreClampedToAFewPages(String declaration) {
        ClientResponse response = send("text/html", "<div style=\"" + declaration + "\">x</div><p>after</p>");

        assertPdfWithAtMostPages(response, 2 * PAGES_OF_ONE_CLAMPED_BOX);
        assertStillHealthy();
    }

    @Test
    void hugeHeightAttributesAreClamped() {
        ClientResponse response = send("text/html",
                "<table><tr><td height=\"20000000\">x</td></tr></table><img height=\"20000000\" width=\"20000000\" alt=\"y\">");

        assertPdfWithAtMostPages(response, 2 * PAGES_OF_ONE_CLAMPED_BOX);
        assertStillHealthy();
    }

    @Test
    void markdownCarryingAFontAndHeightBombIsClampedToo() {
        ClientResponse response = send("text/markdown", "# Title\n\n<div style=\"font-size:100000000px\">x</div>\n\n"
                + "<div style=\"height:20000000px\">y</div>\n\nThe end.\n");

        assertPdfWithAtMostPages(response, 2 * PAGES_OF_ONE_CLAMPED_BOX);
        assertStillHealthy();
    }

    @Test
    void thousandsOfPageBreaksStopAtThePageLimitWith422() {
        String html = "<p style=\"page-break-before:always\">x</p>".repeat(40_000);

        assertThat(send("text/html", html)).isProblem(422, "TOO_MANY_PAGES");
        assertStillHealthy();
    }

    @Test
    void pageBreaksInMarkdownStopAtThePageLimitWith422() {
        String markdown = "# Many pages\n\n" + "<h2 style=\"page-break-before:always\">page</h2>\n\ntext\n\n".repeat(2_000);

        assertThat(send("text/markdown", markdown)).isProblem(422, "TOO_MANY_PAGES");
        assertStillHealthy();
    }

    @Test
    void manyTallBoxesEachWithinTheClampStopAtThePageLimitWith422() {
        // Each box is below the clamp, together they would be a hundred thousand pages.
        String html = "<div style=\"height:9999px\"></div>".repeat(55_000);

        assertThat(send("text/html", html)).isProblem(422, "TOO_MANY_PAGES");
        assertStillHealthy();
    }

    @Test
    void relativeFontSizesCompoundingThroughNestingStopAtThePageLimitWith422() {
        // 3125% is within the clamp; nested five deep it is a 5e8 px glyph.
        String html = "<div style=\"font-size:3125%\">".repeat(5) + "x" + "</div>".repeat(5);

        assertThat(send("text/html", html)).isProblem(422, "TOO_MANY_PAGES");
        assertStillHealthy();
    }

    @Test
    void anOrdinaryDocumentStillRendersAfterTheBombs() {
        ClientResponse response = send("text/html", "<h1 style=\"font-size:40px;margin:10px 0\">Report</h1><p>Fine.</p>");

        assertPdfWithAtMostPages(response, 1);
        assertThat(platform.get(base(), "/status").json().get("conversions").get("max_pages").asInt())
                .isEqualTo(ConversionLimits.DEFAULT_MAX_PAGES);
        assertStillHealthy();
    }

    private static ClientResponse send(String contentType, String document) {
        return platform.admin().send(new ClientRequest("POST", base().resolve(PATH),
                Map.of("content-type", contentType + "; charset=utf-8"), document.getBytes(StandardCharsets.UTF_8),
                CLIENT_TIMEOUT)).join();
    }

    private static void assertPdfWithAtMostPages(ClientResponse response, int pages) {
        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        assertThat(response.json().get("pages").asInt()).isBetween(1, pages);
    }

    private static void assertStillHealthy() {
        assertThat(platform.get(base(), "/health").status()).isEqualTo(200);
    }

    private static URI base() {
        return URI.create("https://localhost:" + worker.port());
    }
}
