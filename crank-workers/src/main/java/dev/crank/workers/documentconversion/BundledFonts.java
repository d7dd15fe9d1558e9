package dev.crank.workers.documentconversion;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FSFontUseCase;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.pdfboxout.PDFontSupplier;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.FontMappers;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The DejaVu fonts (Bitstream Vera licence) that every PDF is set in, read once from the
 * {@code net.sf.jasperreports:jasperreports-fonts} jar on the class path. DejaVu Sans covers Latin
 * with accents, Greek, Cyrillic, arrows, check marks and most symbols, so text renders as itself
 * instead of as '#'. The CSS generic families {@code sans-serif}, {@code serif} and {@code monospace}
 * map to DejaVu Sans, Serif and Sans Mono, and DejaVu Sans is the fallback for any other family a
 * document names. Fonts are embedded as subsets.
 */
final class BundledFonts {

    private static final String FOLDER = "net/sf/jasperreports/fonts/dejavu/";
    /** What a character no font has is drawn as: U+FFFD, the replacement character (DejaVu has it). */
    static final String REPLACEMENT = "\uFFFD";

    /** One font file, the weight and style it has, and the families it answers to. */
    enum Face {
        SANS("DejaVuSans.ttf", 400, FontStyle.NORMAL, "DejaVu Sans", "SansSerif"),
        SANS_BOLD("DejaVuSans-Bold.ttf", 700, FontStyle.NORMAL, "DejaVu Sans", "SansSerif"),
        SANS_OBLIQUE("DejaVuSans-Oblique.ttf", 400, FontStyle.ITALIC, "DejaVu Sans", "SansSerif"),
        SANS_BOLD_OBLIQUE("DejaVuSans-BoldOblique.ttf", 700, FontStyle.ITALIC, "DejaVu Sans", "SansSerif"),
        SERIF("DejaVuSerif.ttf", 400, FontStyle.NORMAL, "DejaVu Serif", "Serif"),
        SERIF_BOLD("DejaVuSerif-Bold.ttf", 700, FontStyle.NORMAL, "DejaVu Serif", "Serif"),
        SERIF_ITALIC("DejaVuSerif-Italic.ttf", 400, FontStyle.ITALIC, "DejaVu Serif", "Serif"),
        SERIF_BOLD_ITALIC("DejaVuSerif-BoldItalic.ttf", 700, FontStyle.ITALIC, "DejaVu Serif", "Serif"),
        MONO("DejaVuSansMono.ttf", 400, FontStyle.NORMAL, "DejaVu Sans Mono", "Monospaced"),
        MONO_BOLD("DejaVuSansMono-Bold.ttf", 700, FontStyle.NORMAL, "DejaVu Sans Mono", "Monospaced"),
        MONO_OBLIQUE("DejaVuSansMono-Oblique.ttf", 400, FontStyle.ITALIC, "DejaVu Sans Mono", "Monospaced"),
        MONO_BOLD_OBLIQUE("DejaVuSansMono-BoldOblique.ttf", 700, FontStyle.ITALIC, "DejaVu Sans Mono", "Monospaced");

        final String file;
        final int weight;
        final FontStyle style;
        final List<String> families;

        Face(String file, int weight, FontStyle style, String... families) {
            this.file = file;
            this.weight = weight;
            this.style = style;
            this.families = List.of(families);
        }
    }

    private final Map<Face, byte[]> files;
    private final Map<Face, TrueTypeFont> parsed = new ConcurrentHashMap<>();

    private BundledFonts(Map<Face, byte[]> files) {
        this.files = files;
    }

    /** Reads every face from the class path; a missing font is a packaging error. */
    static BundledFonts load() {
        Map<Face, byte[]> files = new EnumMap<>(Face.class);
        for (Face face : Face.values()) {
            try (InputStream in = BundledFonts.class.getClassLoader().getResourceAsStream(FOLDER + face.file)) {
                if (in == null) {
                    throw new IllegalStateException("font " + FOLDER + face.file
                            + " is missing from the class path (expected in net.sf.jasperreports:jasperreports-fonts)");
                }
                files.put(face, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read font " + face.file, e);
            }
        }
        return new BundledFonts(files);
    }

    byte[] bytes(Face face) {
        return files.get(face);
    }

    /**
     * The face parsed once and shared by every document, as PDFBox's own font cache shares fonts:
     * fontbox synchronises its table and glyph reads, and each document embeds its own subset. The
     * tables fontbox would otherwise read lazily (and without a lock) are read here, before the font
     * is published to other threads.
     */
    TrueTypeFont parsed(Face face) {
        return parsed.computeIfAbsent(face, key -> {
            try {
                return readTables(new TTFParser().parse(new RandomAccessReadBuffer(files.get(key))));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot parse " + key.file, e);
            }
        });
    }

    /** Reads the tables fontbox would otherwise read lazily and without a lock, so the font can be shared. */
    static TrueTypeFont readTables(TrueTypeFont font) throws IOException {
        font.getName();
        font.getNaming();
        font.getPostScript();
        font.getOS2Windows();
        font.getMaximumProfile();
        font.getHeader();
        font.getHorizontalHeader();
        font.getHorizontalMetrics();
        font.getIndexToLocation();
        font.getGlyph();
        font.getCmap();
        font.getKerning();
        font.getGsub();
        font.getUnicodeCmapLookup();
        font.getGsubData();
        return font;
    }

    /**
     * The distinct characters of {@code text}, in order of appearance, that DejaVu Sans, the fallback for
     * every family, has no glyph for: CJK ideographs or emoji, for instance.
     */
    List<Integer> missingCodePoints(String text) {
        CmapLookup cmap;
        try {
            cmap = parsed(Face.SANS).getUnicodeCmapLookup();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cmap of DejaVuSans.ttf", e);
        }
        Set<Integer> seen = new HashSet<>();
        List<Integer> missing = new ArrayList<>();
        text.codePoints()
                .filter(codePoint -> !Character.isWhitespace(codePoint) && !Character.isISOControl(codePoint)
                        && Character.getType(codePoint) != Character.FORMAT && !isEmojiModifier(codePoint)
                        && seen.add(codePoint))
                .filter(codePoint -> cmap.getGlyphId(codePoint) == 0)
                .forEach(missing::add);
        return missing;
    }

    /** Variation selectors and skin-tone modifiers: they change the glyph before them, none is drawn alone. */
    private static boolean isEmojiModifier(int codePoint) {
        return (codePoint >= 0xFE00 && codePoint <= 0xFE0F) || (codePoint >= 0x1F3FB && codePoint <= 0x1F3FF);
    }

    /**
     * Registers every face for {@code document}; each is parsed and embedded only if the document
     * uses it, once however many families name it.
     */
    void install(PdfRendererBuilder builder, PDDocument document) {
        for (Face face : Face.values()) {
            LazyFont font = new LazyFont(document, this, face);
            for (String family : face.families) {
                builder.useFont(font, family, face.weight, face.style, true);
                if (face.style == FontStyle.ITALIC) {
                    builder.useFont(font, family, face.weight, FontStyle.OBLIQUE, true);
                }
            }
        }
        byte[] sans = files.get(Face.SANS);
        builder.useFont(() -> new ByteArrayInputStream(sans), "DejaVu Sans Fallback", 400, FontStyle.NORMAL, true,
                EnumSet.of(FSFontUseCase.FALLBACK_PRE));
        builder.useReplacementText(REPLACEMENT); // not '#', which reads as text: the warning lists what is missing
    }

    /**
     * Points PDFBox's font mapper (JVM-wide) at DejaVu Sans. PDFBox asks the mapper for a stand-in
     * whenever it meets one of the standard 14 fonts (openhtmltopdf creates them for every document);
     * its default mapper would scan the system font folders and write a cache file in the home folder.
     */
    static synchronized void installFontMapper(BundledFonts fonts) {
        if (FontMappers.instance() instanceof BundledFontMapper) {
            return;
        }
        FontMappers.set(new BundledFontMapper(fonts.parsed(Face.SANS)));
    }

    /** Embeds a face (as a subset) the first time the document asks for it. */
    private static final class LazyFont extends PDFontSupplier {
        private final PDDocument document;
        private final BundledFonts fonts;
        private final Face face;
        private PDFont font;

        LazyFont(PDDocument document, BundledFonts fonts, Face face) {
            super(null);
            this.document = document;
            this.fonts = fonts;
            this.face = face;
        }

        @Override
        public PDFont supply() {
            if (font == null) {
                try {
                    font = PDType0Font.load(document, fonts.parsed(face), true);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot embed " + face.file, e);
                }
            }
            return font;
        }
    }
}
