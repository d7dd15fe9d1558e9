package dev.crank.workers.documentconversion;

import static org.assertj.core.api.Assertions.assertThat;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionURI;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rendering never touches the network or the file system. Each guarded render is paired with the
 * same document rendered by a plain openhtmltopdf builder, which does fetch: that shows the listener
 * and the planted file would have caught a fetch, so a zero is a real zero.
 */
class OfflineRenderingTest {

    private static DocumentConverter converter;

    @TempDir
    Path dir;

    private LoopbackListener listener;

    @BeforeAll
    static void createConverter() {
        converter = DocumentConverter.create(ConversionLimits.defaults());
    }

    @BeforeEach
    void listen() {
        listener = new LoopbackListener();
    }

    @AfterEach
    void stopListening() throws IOException {
        listener.close();
    }

    @Test
    void externalImageIsRefusedWithoutAConnectionAttempt() throws IOException {
        String image = listener.url("/pixel.png");
        String html = "<html><body><p>Before the picture.</p><img src=\"" + image + "\" alt=\"remote\"/><p>After it.</p></body></html>";

        RenderedPdf pdf = converter.convert(html(html));

        assertThat(listener.connections()).isZero();
        assertThat(pdf.refusedFetches()).isZero();
        assertThat(pdf.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.code()).isEqualTo("EXTERNAL_RESOURCE_REFUSED");
            assertThat(warning.uri()).contains(image);
            assertThat(warning.message()).contains("image", image);
        });
        assertThat(Pdfs.text(pdf.bytes())).contains("Before the picture.", "After it.");
        assertThat(DocumentConverterTest.images(pdf.bytes())).isEmpty();

        renderUnguarded(html);
        assertThat(listener.connections()).as("a plain openhtmltopdf render dials the same URL").isPositive();
    }

    @Test
    void everyKindOfExternalReferenceIsRefused() throws IOException {
        String stylesheet = listener.url("/style.css");
        String imported = listener.url("/imported.css");
        String background = listener.url("/background.png");
        String font = listener.url("/font.ttf");
        String html = "<html><head>"
                + "<link rel=\"stylesheet\" href=\"" + stylesheet + "\"/>"
                + "<style>@import url(\"" + imported + "\");"
                + "@font-face { font-family: Remote; src: url(\"" + font + "\"); }"
                + "body { background-image: url(\"" + background + "\"); font-family: Remote; }</style>"
                + "</head><body><p>Styled text</p><img src=\"relative/picture.png\"/></body></html>";

        RenderedPdf pdf = converter.convert(html(html));

        assertThat(listener.connections()).isZero();
        assertThat(pdf.refusedFetches()).isZero();
        assertThat(pdf.warnings()).allSatisfy(warning -> assertThat(warning.code()).isEqualTo("EXTERNAL_RESOURCE_REFUSED"))
                .extracting(warning -> warning.uri().orElseThrow())
                .contains(stylesheet, imported, background, font, "relative/picture.png");
        assertThat(Pdfs.text(pdf.bytes())).contains("Styled text");

        renderUnguarded(html);
        assertThat(listener.connections()).as("a plain openhtmltopdf render dials these URLs").isPositive();
    }

    @Test
    void localFilesAreNeverRead() throws IOException {
        Path css = Files.writeString(dir.resolve("leak.css"), "p::after { content: \" LEAKED-FROM-DISK\"; }");
        String html = "<html><head><link rel=\"stylesheet\" href=\"" + css.toUri() + "\"/></head>"
                + "<body><p>Document text</p><img src=\"" + dir.resolve("missing.png").toUri() + "\"/></body></html>";

        RenderedPdf pdf = converter.convert(html(html));

        assertThat(Pdfs.text(pdf.bytes())).contains("Document text").doesNotContain("LEAKED-FROM-DISK");
        assertThat(pdf.warnings()).extracting(warning -> warning.uri().orElseThrow()).contains(css.toUri().toString());

        assertThat(Pdfs.text(renderUnguarded(html))).as("a plain openhtmltopdf render reads the file").contains("LEAKED-FROM-DISK");
    }

    @Test
    void markdownImagesAndLinksToTheNetworkAreNotFetched() {
        String image = listener.url("/chart.png");
        String markdown = "# Report\n\n![chart](" + image + ")\n\nSee [the site](" + listener.url("/page") + ").\n";

        RenderedPdf pdf = converter.convert(new ConversionRequest(markdown, SourceFormat.MARKDOWN, false, Optional.empty(), PageSize.A4));

        assertThat(listener.connections()).isZero();
        assertThat(pdf.warnings()).extracting(warning -> warning.uri().orElseThrow()).containsExactly(image);
        assertThat(Pdfs.text(pdf.bytes(), true)).contains("Report", "See the site.");
    }

    @Test
    void onlyWebMailAndInternalLinksBecomeLinkActions() throws IOException {
        String html = "<h2 id=\"top\">Top</h2><p><a href=\"https://example.org/page\">web</a> <a href=\"mailto:team@example.org\">mail</a> "
                + "<a href=\"#later\">internal</a> <a href=\"javascript:alert(1)\">script</a> <a href=\"file:///etc/passwd\">file</a> "
                + "<a href=\"other.html\">relative</a></p><h2 id=\"later\" style=\"page-break-before: always\">Later</h2>";

        RenderedPdf pdf = converter.convert(html(html));

        List<String> actions = new ArrayList<>();
        try (PDDocument document = Pdfs.load(pdf.bytes())) {
            for (PDPage page : document.getPages()) {
                for (PDAnnotation annotation : page.getAnnotations()) {
                    if (annotation instanceof PDAnnotationLink link) {
                        actions.add(link.getAction() instanceof PDActionURI uri ? uri.getURI() : "go-to");
                    }
                }
            }
        }
        assertThat(actions).containsExactlyInAnyOrder("https://example.org/page", "mailto:team@example.org", "go-to");
        assertThat(Pdfs.squeeze(Pdfs.text(pdf.bytes()))).contains("webmailinternalscriptfilerelative");
        assertThat(listener.connections()).isZero();
    }

    @Test
    void warningsAreBoundedAndSayHowManyWereLeftOut() {
        StringBuilder html = new StringBuilder("<p>Many images</p>");
        for (int i = 0; i < ResourceGuard.MAX_WARNINGS + 7; i++) {
            html.append("<img src=\"").append(listener.url("/" + i + ".png")).append("\"/>");
        }

        RenderedPdf pdf = converter.convert(html(html.toString()));

        assertThat(listener.connections()).isZero();
        assertThat(pdf.warnings()).hasSize(ResourceGuard.MAX_WARNINGS + 1);
        assertThat(pdf.warnings().get(ResourceGuard.MAX_WARNINGS).code()).isEqualTo("WARNINGS_TRUNCATED");
        assertThat(pdf.warnings().get(ResourceGuard.MAX_WARNINGS).message()).startsWith("7 more");
    }

    @Test
    void undecodableDataUrisAreSkippedWithAWarning() {
        RenderedPdf pdf = converter.convert(html("<p>Broken</p><img src=\"data:image/png;base64,@@@not-base64@@@\"/>"));

        assertThat(pdf.warnings()).singleElement().satisfies(warning -> assertThat(warning.code()).isEqualTo("INVALID_DATA_URI"));
        assertThat(Pdfs.text(pdf.bytes())).contains("Broken");
    }

    @Test
    void dataUrisDecodeBase64AndPercentEncoding() {
        assertThat(ResourceGuard.decodeDataUri("data:text/css;base64,cCB7IH0=")).isEqualTo("p { }".getBytes(StandardCharsets.UTF_8));
        assertThat(ResourceGuard.decodeDataUri("data:text/css,p%20%7B%20%7D")).isEqualTo("p { }".getBytes(StandardCharsets.UTF_8));
        assertThat(ResourceGuard.decodeDataUri("DATA:,caf%C3%A9")).isEqualTo("café".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void dataUriStylesheetsApply() {
        String css = "data:text/css,p%3A%3Aafter%20%7B%20content%3A%20%22%20FROM-DATA-CSS%22%3B%20%7D";
        RenderedPdf pdf = converter.convert(html("<html><head><link rel=\"stylesheet\" href=\"" + css + "\"/></head><body><p>Text</p></body></html>"));

        assertThat(pdf.warnings()).isEmpty();
        assertThat(Pdfs.text(pdf.bytes())).contains("Text FROM-DATA-CSS");
    }

    private static ConversionRequest html(String html) {
        return new ConversionRequest(html, SourceFormat.HTML, false, Optional.empty(), PageSize.A4);
    }

    /** The same HTML through openhtmltopdf with its defaults: no resource guard. */
    private static byte[] renderUnguarded(String html) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PdfRendererBuilder().withHtmlContent(html, null).toStream(out).run();
        return out.toByteArray();
    }
}
