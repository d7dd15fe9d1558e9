package dev.crank.workers.documentconversion;

import com.openhtmltopdf.css.constants.IdentValue;
import com.openhtmltopdf.pdfboxout.PDFontSupplier;
import com.openhtmltopdf.pdfboxout.PdfBoxFontResolver.FontGroup;
import com.openhtmltopdf.pdfboxout.PdfBoxRenderer;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.OpenTypeFont;
import org.apache.fontbox.ttf.OS2WindowsMetricsTable;
import org.apache.fontbox.ttf.OTFParser;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fonts the machine has, used per glyph where DejaVu has none: CJK, emoji, other scripts. Every
 * {@code .ttf}, {@code .otf} and {@code .ttc} file under the folders given ({@code CRANK_FONT_DIRS}
 * first, colon-separated, then {@code /usr/share/fonts} and {@code /usr/local/share/fonts}) is indexed
 * once, at start-up: which code points each face covers. A document gets, as openhtmltopdf fallback
 * fonts after DejaVu, only the faces its uncovered characters need (the first face, in folder and
 * then path order, regular faces before bold, italic and mono ones, that has the character).
 *
 * <p>Faces PDFBox cannot embed are left out and logged once: OpenType with CFF outlines (Noto CJK's
 * {@code .ttc} files among them: PDFBox subsets only TrueType {@code glyf} outlines), colour bitmap
 * fonts without outlines (Noto Color Emoji), and fonts whose licence bits forbid embedding. Collections
 * ({@code .ttc}) are read with fontbox's {@link TrueTypeCollection}, each member face on its own.
 */
final class InstalledFonts {

    private static final Logger logger = LoggerFactory.getLogger(InstalledFonts.class);
    static final List<Path> DEFAULT_DIRECTORIES = List.of(Path.of("/usr/share/fonts"), Path.of("/usr/local/share/fonts"));
    private static final int MAX_DEPTH = 8;
    /** Code points indexed: the BMP and the supplementary planes that hold emoji and CJK extensions. */
    private static final int LAST_INDEXED = 0x3FFFF;

    /** One face of a font file: where it is, its name (the member's, for a collection) and what it covers. */
    record Face(Path file, String name, boolean regular, BitSet coverage) {
        boolean covers(int codePoint) {
            return coverage.get(codePoint);
        }
    }

    private final List<Face> faces;
    private final Map<Face, TrueTypeFont> parsed = new ConcurrentHashMap<>();

    private InstalledFonts(List<Face> faces) {
        this.faces = List.copyOf(faces);
    }

    static InstalledFonts none() {
        return new InstalledFonts(List.of());
    }

    /** The folders of {@code CRANK_FONT_DIRS} (colon-separated; may be null), then the system's. */
    static List<Path> directories(String crankFontDirs) {
        List<Path> directories = new ArrayList<>();
        if (crankFontDirs != null) {
            for (String directory : crankFontDirs.split(":")) {
                if (!directory.isBlank()) {
                    directories.add(Path.of(directory.strip()));
                }
            }
        }
        directories.addAll(DEFAULT_DIRECTORIES);
        return directories;
    }

    /** The fonts under {@code directories}, indexed once per process and list of folders. */
    static InstalledFonts scan(List<Path> directories) {
        return SCANNED.computeIfAbsent(List.copyOf(directories), InstalledFonts::index);
    }

    private static final Map<List<Path>, InstalledFonts> SCANNED = new ConcurrentHashMap<>();

    /** Indexes the fonts under {@code directories} (missing folders are skipped). */
    private static InstalledFonts index(List<Path> directories) {
        long started = System.nanoTime();
        List<Face> faces = new ArrayList<>();
        Map<String, Integer> skipped = new java.util.TreeMap<>();
        for (Path directory : directories) {
            if (!Files.isDirectory(directory)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(directory, MAX_DEPTH, FileVisitOption.FOLLOW_LINKS)) {
                files = walk.filter(Files::isRegularFile).filter(InstalledFonts::isFontFile).sorted().toList();
            } catch (IOException | UncheckedIOException e) {
                logger.warn("cannot list fonts in {}: {}", directory, e.toString());
                continue;
            }
            List<Face> here = new ArrayList<>();
            for (Path file : files) {
                here.addAll(index(file, skipped));
            }
            here.sort(Comparator.comparing((Face face) -> !face.regular())); // stable: path order within each kind
            faces.addAll(here);
        }
        logger.info("{} installed font faces usable as fallbacks ({} ms){}", faces.size(),
                (System.nanoTime() - started) / 1_000_000, skipped.isEmpty() ? "" : "; files or faces left out: " + skipped);
        return new InstalledFonts(faces);
    }

    List<Face> faces() {
        return faces;
    }

    /**
     * The faces that cover {@code codePoints} (the characters DejaVu lacks), and those no face covers.
     */
    Plan plan(List<Integer> codePoints) {
        Map<Face, Boolean> chosen = new LinkedHashMap<>();
        List<Integer> uncovered = new ArrayList<>();
        for (int codePoint : codePoints) {
            if (chosen.keySet().stream().anyMatch(face -> face.covers(codePoint))) {
                continue;
            }
            Optional<Face> face = faces.stream().filter(f -> f.covers(codePoint)).findFirst();
            if (face.isPresent()) {
                chosen.put(face.get(), true);
            } else {
                uncovered.add(codePoint);
            }
        }
        return new Plan(List.copyOf(chosen.keySet()), List.copyOf(uncovered));
    }

    /** What one document needs from the installed fonts. */
    final class Plan {
        private final List<Face> fallbacks;
        private final List<Integer> uncovered;

        private Plan(List<Face> fallbacks, List<Integer> uncovered) {
            this.fallbacks = fallbacks;
            this.uncovered = uncovered;
        }

        List<Face> fallbacks() {
            return fallbacks;
        }

        /** Characters no font has, bundled or installed. */
        List<Integer> uncovered() {
            return uncovered;
        }

        /**
         * Registers the chosen faces as fallbacks, after the bundled ones (the builder takes a font supplier
         * only for document fonts, so they go to the renderer's resolver); each is embedded only if used.
         */
        void install(PdfBoxRenderer renderer, PDDocument document) {
            for (Face face : fallbacks) {
                renderer.getFontResolver().addFont(new LazyFace(document, face), "Crank Fallback " + face.name(), 400,
                        IdentValue.NORMAL, true, FontGroup.PRE_BUILT_IN_FALLBACK);
            }
        }
    }

    /** The face parsed once and shared, its tables read up front (see {@link BundledFonts#parsed}). */
    private TrueTypeFont parsed(Face face) {
        return parsed.computeIfAbsent(face, key -> {
            try {
                return BundledFonts.readTables(open(key));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read font " + key.file(), e);
            }
        });
    }

    private static TrueTypeFont open(Face face) throws IOException {
        if (isCollection(face.file())) {
            TrueTypeCollection collection = new TrueTypeCollection(face.file().toFile()); // stays open: its faces read from it
            TrueTypeFont font = collection.getFontByName(face.name());
            if (font == null) {
                throw new IOException("no face " + face.name() + " in " + face.file());
            }
            return font;
        }
        return parser(face.file()).parse(new RandomAccessReadBufferedFile(face.file().toFile()));
    }

    private static TTFParser parser(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".otf") ? new OTFParser() : new TTFParser();
    }

    private static List<Face> index(Path file, Map<String, Integer> skipped) {
        List<Face> faces = new ArrayList<>();
        try {
            if (onlyCffOutlines(file)) {
                logger.debug("font {} skipped: CFF outlines, which PDFBox cannot embed", file);
                skipped.merge(CFF, 1, Integer::sum);
                return faces;
            }
            if (isCollection(file)) {
                try (TrueTypeCollection collection = new TrueTypeCollection(file.toFile())) {
                    collection.processAllFonts(font -> face(file, font, skipped).ifPresent(faces::add));
                }
            } else {
                try (TrueTypeFont font = parser(file).parse(new RandomAccessReadBufferedFile(file.toFile()))) {
                    face(file, font, skipped).ifPresent(faces::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            logger.debug("font {} skipped: {}", file, e.toString());
            skipped.merge("unreadable", 1, Integer::sum);
        }
        return faces;
    }

    private static final String CFF = "CFF outlines PDFBox cannot embed (e.g. Noto CJK)";

    private static Optional<Face> face(Path file, TrueTypeFont font, Map<String, Integer> skipped) throws IOException {
        String name = font.getName();
        if (font instanceof OpenTypeFont otf && otf.isPostScript()) {
            logger.debug("font {} ({}) skipped: CFF outlines, which PDFBox cannot embed", name, file);
            skipped.merge(CFF, 1, Integer::sum);
            return Optional.empty();
        }
        if (!font.getTableMap().containsKey("glyf") || !font.getTableMap().containsKey("loca")) {
            logger.debug("font {} ({}) skipped: no TrueType outlines (a bitmap or colour font)", name, file);
            skipped.merge("no outlines (bitmap or colour)", 1, Integer::sum);
            return Optional.empty();
        }
        OS2WindowsMetricsTable os2 = font.getOS2Windows();
        if (os2 != null && (os2.getFsType() & 0x000F) == OS2WindowsMetricsTable.FSTYPE_RESTRICTED) {
            logger.debug("font {} ({}) skipped: its licence bits forbid embedding", name, file);
            skipped.merge("embedding forbidden", 1, Integer::sum);
            return Optional.empty();
        }
        CmapLookup cmap = font.getUnicodeCmapLookup(false);
        if (cmap == null) {
            return Optional.empty();
        }
        BitSet coverage = new BitSet();
        for (int codePoint = 0x20; codePoint <= LAST_INDEXED; codePoint++) {
            if (cmap.getGlyphId(codePoint) != 0) {
                coverage.set(codePoint);
            }
        }
        String lower = (name == null ? file.getFileName().toString() : name).toLowerCase(Locale.ROOT);
        boolean regular = !(lower.contains("bold") || lower.contains("italic") || lower.contains("oblique")
                || lower.contains("mono") || lower.contains("light") || lower.contains("thin"));
        return Optional.of(new Face(file, name, regular, coverage));
    }

    /**
     * Whether every face of the file is OpenType with CFF outlines (sfnt version {@code OTTO}), read from
     * its header alone: parsing a 20 MB CJK collection only to skip it takes seconds.
     */
    private static boolean onlyCffOutlines(Path file) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            if (in.length() < 12) {
                return false;
            }
            int tag = in.readInt();
            if (tag != TTC_TAG) {
                return tag == OTTO_TAG;
            }
            in.readInt(); // version
            long count = Integer.toUnsignedLong(in.readInt());
            if (count == 0 || count > 1_000 || in.length() < 12 + 4 * count) {
                return false;
            }
            long[] offsets = new long[(int) count];
            for (int i = 0; i < count; i++) {
                offsets[i] = Integer.toUnsignedLong(in.readInt());
            }
            for (long offset : offsets) {
                if (offset + 4 > in.length()) {
                    return false;
                }
                in.seek(offset);
                if (in.readInt() != OTTO_TAG) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final int TTC_TAG = 0x74746366; // "ttcf"
    private static final int OTTO_TAG = 0x4F54544F; // "OTTO"

    private static boolean isFontFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".ttf") || name.endsWith(".otf") || name.endsWith(".ttc");
    }

    private static boolean isCollection(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".ttc");
    }

    /** Embeds a face (as a subset) the first time the document draws with it. */
    private final class LazyFace extends PDFontSupplier {
        private final PDDocument document;
        private final Face face;
        private PDFont font;

        LazyFace(PDDocument document, Face face) {
            super(null);
            this.document = document;
            this.face = face;
        }

        @Override
        public PDFont supply() {
            if (font == null) {
                try {
                    font = PDType0Font.load(document, parsed(face), true);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot embed " + face.file(), e);
                }
            }
            return font;
        }
    }

    @Override
    public String toString() {
        return "InstalledFonts" + faces.stream().map(f -> f.name() + " (" + new File(f.file().toString()).getName() + ")").toList();
    }
}
