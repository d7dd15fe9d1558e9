package dev.crank.workers.documentconversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installed fonts as per-glyph fallbacks: CJK and emoji in PDFs, and what happens without them. */
class InstalledFontsTest {

    private static final String SAMPLE = "漢字かな交じり文 한국어 中文 😀";
    /** Characters DejaVu lacks (😀 it has): the fallbacks must draw these. */
    private static final String NOT_IN_DEJAVU = "漢字かな交じり文한국어中🦊";

    /** The machine's fonts, when they cover the sample; fails under CI=true when they do not, else skips. */
    private static InstalledFonts installedFontsCovering(String text) {
        InstalledFonts installed = InstalledFonts.scan(InstalledFonts.directories(System.getenv("CRANK_FONT_DIRS")));
        List<Integer> uncovered = installed.plan(text.codePoints().filter(c -> c != ' ').boxed().toList()).uncovered();
        if (!uncovered.isEmpty()) {
            String missing = "no installed font covers " + uncovered.stream().map(Character::toString).toList()
                    + " (Debian: apt-get install fonts-wqy-microhei fonts-symbola, as .ci/run does)";
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true and " + missing);
            }
            Assumptions.abort("skipped: " + missing);
        }
        return installed;
    }

    @Test
    void cjkAndEmojiRenderWithTheInstalledFonts() {
        List<Integer> wanted = (SAMPLE + "🦊").codePoints().filter(c -> c != ' ').boxed().toList();
        InstalledFonts installed = installedFontsCovering(SAMPLE + "🦊");
        DocumentConverter converter = DocumentConverter.create(ConversionLimits.defaults(), installed);

        RenderedPdf pdf = converter.convert(new ConversionRequest("# " + SAMPLE + "\n\n" + SAMPLE + " 🦊", SourceFormat.MARKDOWN, false,
                Optional.empty(), PageSize.A4));

        assertThat(pdf.warnings()).isEmpty();
        String text = Pdfs.text(pdf.bytes());
        assertThat(text).contains("漢字かな交じり文", "한국어", "中文", "😀", "🦊").doesNotContain("#", "\uFFFD");
        List<TextPosition> drawn = positions(pdf.bytes());
        for (int codePoint : wanted) {
            List<TextPosition> glyphs = drawn.stream().filter(p -> p.getUnicode().equals(Character.toString(codePoint))).toList();
            assertThat(glyphs).as(Character.toString(codePoint)).isNotEmpty();
            for (TextPosition glyph : glyphs) {
                PDFont font = glyph.getFont();
                if (NOT_IN_DEJAVU.contains(Character.toString(codePoint))) {
                    assertThat(font.getName()).as(Character.toString(codePoint)).doesNotContain("DejaVu");
                }
                assertThat(font).isInstanceOf(PDType0Font.class);
                for (int code : glyph.getCharacterCodes()) {
                    assertThat(gid((PDType0Font) font, code)).as("glyph of %s in %s", Character.toString(codePoint), font.getName())
                            .isNotZero(); // 0 is .notdef, the empty box
                }
            }
        }
    }

    @Test
    void concurrentCjkConversionsEachGetTheirOwnText() throws Exception {
        DocumentConverter converter = DocumentConverter.create(ConversionLimits.defaults(), installedFontsCovering(SAMPLE));
        List<String> samples = List.of("漢字かな交じり文 第一", "한국어 문서 둘", "中文文本 第三", "ひらがな カタカナ 四");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String sample = samples.get(i % samples.size());
                results.add(pool.submit(() -> Pdfs.text(converter.convert(new ConversionRequest(sample, SourceFormat.TEXT,
                        false, Optional.empty(), PageSize.A4)).bytes())));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(2, java.util.concurrent.TimeUnit.MINUTES)).contains(samples.get(i % samples.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withoutInstalledFontsTheWarningListsTheCharactersAndNoHashIsDrawn() {
        DocumentConverter converter = DocumentConverter.create(ConversionLimits.defaults(), InstalledFonts.none());

        RenderedPdf pdf = converter.convert(new ConversionRequest(SAMPLE + " 🦊", SourceFormat.TEXT, false, Optional.empty(),
                PageSize.A4));

        assertThat(pdf.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.code()).isEqualTo("GLYPHS_MISSING");
            assertThat(warning.message()).endsWith(": 漢 字 か な 交 じ り 文 한 국 어 中 🦊"); // DejaVu has 😀
        });
        assertThat(Pdfs.text(pdf.bytes())).doesNotContain("#").contains("\uFFFD", "😀");
    }

    @Test
    void indexesTheFontsOfTheGivenFoldersFirst(@TempDir Path folder) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("net/sf/jasperreports/fonts/dejavu/DejaVuSans-Bold.ttf")) {
            Files.write(folder.resolve("nested-bold.TTF"), in.readAllBytes());
        }
        Files.writeString(folder.resolve("broken.ttf"), "not a font");

        InstalledFonts fonts = InstalledFonts.scan(List.of(folder));

        assertThat(fonts.faces()).singleElement().satisfies(face -> {
            assertThat(face.name()).isEqualTo("DejaVuSans-Bold");
            assertThat(face.regular()).isFalse();
            assertThat(face.covers('Ж')).isTrue();
            assertThat(face.covers('漢')).isFalse();
        });
        assertThat(fonts.plan(List.of((int) 'Ж', (int) '漢')).uncovered()).containsExactly((int) '漢');
        assertThat(InstalledFonts.directories("/opt/a: /opt/b ::")).containsExactly(Path.of("/opt/a"), Path.of("/opt/b"),
                Path.of("/usr/share/fonts"), Path.of("/usr/local/share/fonts"));
    }

    @Test
    void skipsFontsPdfBoxCannotEmbedInsteadOfFailing() {
        Path noto = Path.of("/usr/share/fonts/opentype/noto");
        Assumptions.assumeTrue(Files.isDirectory(noto), "skipped: no Noto CJK (CFF outlines) installed to check");

        InstalledFonts fonts = InstalledFonts.scan(List.of(noto));

        assertThat(fonts.faces()).noneMatch(face -> face.file().getFileName().toString().startsWith("NotoSansCJK"));
    }

    private static int gid(PDType0Font font, int code) {
        try {
            return font.getDescendantFont().codeToGID(code);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<TextPosition> positions(byte[] pdf) {
        List<TextPosition> positions = new ArrayList<>();
        try (PDDocument document = Pdfs.load(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper() {
                @Override
                protected void writeString(String text, List<TextPosition> textPositions) {
                    positions.addAll(textPositions);
                }
            };
            stripper.getText(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return positions;
    }
}
