package dev.crank.workers.documentconversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.crank.core.CrankException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.FontMappers;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DocumentConverterTest {

    private static DocumentConverter converter;

    @BeforeAll
    static void createConverter() {
        converter = DocumentConverter.create(ConversionLimits.defaults());
    }

    @Test
    void projectReadmeBecomesAPdfWithAllOfItsText() throws IOException {
        String readme = Files.readString(projectRoot().resolve("README.md"));

        RenderedPdf pdf = converter.convert(request(readme, SourceFormat.MARKDOWN, PageSize.A4));

        String drawn = Pdfs.squeeze(Pdfs.text(pdf.bytes(), false));
        String sorted = Pdfs.squeeze(Pdfs.text(pdf.bytes(), true));
        List<Element> blocks = readmeBlocks(readme);
        assertThat(blocks).hasSizeGreaterThan(40);
        // A paragraph, heading, list item or code block must appear whole. A table cell must
        // appear word by word: sorted by position, a wrapped cell's lines are interleaved with
        // its neighbours', and in drawing order its inline code comes after its plain text.
        List<String> missing = new ArrayList<>();
        for (Element block : blocks) {
            // A narrow cell may also break a word after a hyphen ("crank-" / "workers").
            List<String> parts = block.is("td, th") ? List.of(block.text().split("\\s+|(?<=-)")) : List.of(blockText(block));
            parts.stream().map(Pdfs::squeeze)
                    .filter(part -> !drawn.contains(part) && !sorted.contains(part))
                    .forEach(part -> missing.add(part + " (in " + block.tagName() + ")"));
        }
        assertThat(missing).as("README text missing from the PDF").isEmpty();
        assertThat(pdf.pages()).isGreaterThanOrEqualTo(2);
        assertThat(pdf.title()).contains("Crank");
        // The README's one image (the console screenshot) is a file: the converter refuses it and says so.
        assertThat(pdf.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.code()).isEqualTo("EXTERNAL_RESOURCE_REFUSED");
            assertThat(warning.uri()).contains("docs/console.png");
        });
        try (PDDocument document = Pdfs.load(pdf.bytes())) {
            assertThat(document.getNumberOfPages()).isEqualTo(pdf.pages());
            assertThat(document.getDocumentInformation().getTitle()).isEqualTo("Crank");
        }
    }

    @Test
    void greekCyrillicAccentsAndSymbolsRenderAsThemselves() {
        String sample = "Καλημέρα κόσμε, Ωμέγα. Привет, мир! Ёжик. café naïve Ærøskøbing Łódź → ✓ Ω ≤ ∑ € “quotes”";

        for (SourceFormat format : SourceFormat.values()) {
            RenderedPdf pdf = converter.convert(request(sample, format, PageSize.A4));
            String text = Pdfs.text(pdf.bytes());
            assertThat(text).as(format.name()).contains("Καλημέρα κόσμε, Ωμέγα.", "Привет, мир! Ёжик.",
                    "café naïve Ærøskøbing Łódź", "→ ✓ Ω ≤ ∑ €", "“quotes”");
            assertThat(pdf.warnings()).as(format.name()).isEmpty();
        }
    }

    @Test
    void charactersNoFontHasAreReportedAndDrawnAsTheReplacementCharacter() {
        DocumentConverter bundledOnly = DocumentConverter.create(ConversionLimits.defaults(), InstalledFonts.none());
        RenderedPdf pdf = bundledOnly.convert(request("# CJK\n\n漢字 and 漢 again, then Ω", SourceFormat.MARKDOWN, PageSize.A4));

        assertThat(pdf.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.code()).isEqualTo("GLYPHS_MISSING");
            assertThat(warning.message()).contains("2 characters").endsWith(": 漢 字");
        });
        assertThat(Pdfs.text(pdf.bytes())).contains("CJK", "and", "again, then Ω", "\uFFFD").doesNotContain("#");
    }

    @Test
    void boldItalicAndCodeUseTheBundledFaces() {
        RenderedPdf pdf = converter.convert(request("Plain **bold Ω** *italic Ж* `code →`", SourceFormat.MARKDOWN, PageSize.A4));

        assertThat(fontNames(pdf.bytes())).anyMatch(font -> font.endsWith("DejaVuSans"))
                .anyMatch(font -> font.endsWith("DejaVuSans-Bold"))
                .anyMatch(font -> font.endsWith("DejaVuSans-Oblique"))
                .anyMatch(font -> font.endsWith("DejaVuSansMono"));
        assertThat(Pdfs.text(pdf.bytes())).contains("bold Ω", "italic Ж", "code →");
    }

    @Test
    void documentsNamingOtherFontsStillGetDejaVuAndPdfBoxNeverLooksForSystemFonts() {
        String html = "<p style=\"font-family: Helvetica\">Ωμέγα in Helvetica</p>"
                + "<p style=\"font-family: 'Times New Roman', serif\">Привет in Times</p>"
                + "<p style=\"font-family: Courier\">→ ✓ in Courier</p><p style=\"font-family: NoSuchFont\">Ёж in NoSuchFont</p>";

        RenderedPdf pdf = converter.convert(request(html, SourceFormat.HTML, PageSize.A4));

        assertThat(Pdfs.text(pdf.bytes())).contains("Ωμέγα in Helvetica", "Привет in Times", "→ ✓ in Courier", "Ёж in NoSuchFont");
        assertThat(fontNames(pdf.bytes())).isNotEmpty().allMatch(font -> font.contains("DejaVu"));
        assertThat(FontMappers.instance()).isInstanceOf(BundledFontMapper.class);
    }

    @Test
    void concurrentConversionsEachGetTheirOwnText() throws Exception {
        List<String> samples = List.of("Ελληνικά κείμενα αριθμός", "Русский текст номер", "Texte français numéro", "→ ✓ Ω symbols number");
        ExecutorService pool = Executors.newFixedThreadPool(samples.size());
        try {
            List<Future<String>> texts = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (String sample : samples) {
                    String document = "# " + sample + " " + round + "\n\n**" + sample + "** *" + round + "* `" + sample + "`";
                    texts.add(pool.submit(() -> Pdfs.text(converter.convert(request(document, SourceFormat.MARKDOWN, PageSize.A4)).bytes(), true)));
                }
            }
            for (int i = 0; i < texts.size(); i++) {
                String sample = samples.get(i % samples.size());
                assertThat(texts.get(i).get(60, TimeUnit.SECONDS)).contains(sample + " " + i / samples.size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pagesHaveTheRequestedSizeEvenWhenTheDocumentAsksForAnother() {
        String html = "<html><head><style>@page { size: A5 landscape; }</style></head><body><p>Size</p></body></html>";

        assertPageSize(converter.convert(request("# A4", SourceFormat.MARKDOWN, PageSize.A4)), 595.28f, 841.89f);
        assertPageSize(converter.convert(request("Letter", SourceFormat.TEXT, PageSize.LETTER)), 612f, 792f);
        assertPageSize(converter.convert(request(html, SourceFormat.HTML, PageSize.LETTER)), 612f, 792f);
        assertPageSize(converter.convert(request(html, SourceFormat.HTML, PageSize.A4)), 595.28f, 841.89f);
    }

    @Test
    void plainTextKeepsItsLinesAndIndentation() {
        String text = "first line\n    indented <b>not bold</b>\n\nthird & last";

        String extracted = Pdfs.text(converter.convert(request(text, SourceFormat.TEXT, PageSize.A4)).bytes());

        assertThat(extracted.lines().map(String::strip).filter(line -> !line.isEmpty()).toList())
                .containsExactly("first line", "indented <b>not bold</b>", "third & last");
    }

    @Test
    void longDocumentsFlowOntoManyPages() {
        StringBuilder markdown = new StringBuilder("# Long\n\n");
        for (int i = 1; i <= 400; i++) {
            markdown.append("Paragraph ").append(i).append(" of a long document that needs several pages.\n\n");
        }

        RenderedPdf pdf = converter.convert(request(markdown.toString(), SourceFormat.MARKDOWN, PageSize.A4));

        assertThat(pdf.pages()).isGreaterThan(5);
        String text = Pdfs.text(pdf.bytes());
        assertThat(text).contains("Paragraph 1 of", "Paragraph 400 of");
    }

    @Test
    void dataUriImagesAreEmbedded() {
        String html = "<p>Picture:</p><img src=\"" + pngDataUri(40, 20) + "\" alt=\"x\"/>";

        RenderedPdf pdf = converter.convert(request(html, SourceFormat.HTML, PageSize.A4));

        assertThat(pdf.warnings()).isEmpty();
        assertThat(images(pdf.bytes())).containsExactly("40x20");
    }

    @Test
    void imagesOverThePixelLimitAreSkippedWithAWarning() {
        DocumentConverter strict = DocumentConverter.create(ConversionLimits.defaults().withMaxImagePixels(500));
        String uri = pngDataUri(40, 20);

        RenderedPdf pdf = strict.convert(request("<p>Big</p><img src=\"" + uri + "\"/>", SourceFormat.HTML, PageSize.A4));

        assertThat(images(pdf.bytes())).isEmpty();
        assertThat(pdf.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.code()).isEqualTo("IMAGE_TOO_LARGE");
            assertThat(warning.message()).contains("40 × 20");
        });
    }

    @Test
    void renderingStopsAtTheDeadline() {
        AtomicLong now = new AtomicLong();
        AtomicLong checks = new AtomicLong();
        // Every look at the clock moves it on by a second; the budget is ten seconds.
        RenderDeadline deadline = RenderDeadline.after(Duration.ofSeconds(10), () -> {
            checks.incrementAndGet();
            return now.addAndGet(1_000_000_000L);
        });
        StringBuilder markdown = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            markdown.append("Paragraph ").append(i).append(" with enough words to be broken into lines.\n\n");
        }

        assertThatThrownBy(() -> converter.convert(request(markdown.toString(), SourceFormat.MARKDOWN, PageSize.A4), deadline))
                .isInstanceOfSatisfying(CrankException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.code()).isEqualTo("RENDER_TIMEOUT");
                });
        assertThat(checks.get()).isEqualTo(11);
    }

    @Test
    void aDeadlineThatIsNotReachedLetsTheRenderFinish() {
        RenderDeadline deadline = RenderDeadline.after(Duration.ofSeconds(10), () -> 0L);

        RenderedPdf pdf = converter.convert(request("# Fine", SourceFormat.MARKDOWN, PageSize.A4), deadline);

        assertThat(Pdfs.text(pdf.bytes())).contains("Fine");
    }

    static ConversionRequest request(String document, SourceFormat format, PageSize size) {
        return new ConversionRequest(document, format, false, Optional.empty(), size);
    }

    static String pngDataUri(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | 0x80);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    }

    /** The base font names used on any page. */
    static List<String> fontNames(byte[] pdf) {
        List<String> fonts = new ArrayList<>();
        try (PDDocument document = Pdfs.load(pdf)) {
            for (PDPage page : document.getPages()) {
                for (COSName name : page.getResources().getFontNames()) {
                    fonts.add(page.getResources().getFont(name).getName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fonts;
    }

    /** "WxH" of every image drawn on any page. */
    static List<String> images(byte[] pdf) {
        List<String> sizes = new ArrayList<>();
        try (PDDocument document = Pdfs.load(pdf)) {
            for (PDPage page : document.getPages()) {
                for (COSName name : page.getResources().getXObjectNames()) {
                    if (page.getResources().getXObject(name) instanceof PDImageXObject image) {
                        sizes.add(image.getWidth() + "x" + image.getHeight());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sizes;
    }

    static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("crank-core"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("project root above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

    private static void assertPageSize(RenderedPdf pdf, float width, float height) {
        try (PDDocument document = Pdfs.load(pdf.bytes())) {
            for (PDPage page : document.getPages()) {
                PDRectangle box = page.getMediaBox();
                assertThat(box.getWidth()).isCloseTo(width, within(0.5f));
                assertThat(box.getHeight()).isCloseTo(height, within(0.5f));
            }
        }  catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every paragraph, heading, list item, table cell and code block of the README that has text. */
    private static List<Element> readmeBlocks(String readme) {
        var extensions = List.of(TablesExtension.create());
        String html = HtmlRenderer.builder().extensions(extensions).build()
                .render(Parser.builder().extensions(extensions).build().parse(readme));
        return Jsoup.parse(html).select("p, h1, h2, h3, h4, h5, h6, li, th, td, pre").stream()
                .filter(block -> !blockText(block).isBlank())
                .toList();
    }

    private static String blockText(Element block) {
        if (block.is("pre")) {
            return block.wholeText();
        }
        Element own = block.clone();
        own.select("ul, ol, p").remove(); // a list item's nested lists and paragraphs are blocks of their own
        return own.text();
    }
}
