package dev.crank.workers.image.training;

import dev.crank.workers.documentconversion.ConversionLimits;
import dev.crank.workers.documentconversion.ConversionRequest;
import dev.crank.workers.documentconversion.DocumentConverter;
import dev.crank.workers.documentconversion.PageSize;
import dev.crank.workers.documentconversion.SourceFormat;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * Documents: the project's Markdown docs and SpamAssassin messages rendered to PDF by document-conversion's
 * converter and rasterised by PDFBox at 30 to 150 dpi; long documents give their first, a middle and their last
 * page, messages their first (mostly short) page. Half the pages also come as a scan: grey or cream paper, a
 * slight rotation, blur, sensor noise and JPEG compression. The dpi is in the variant name ({@code p0-72dpi}).
 * The fresh part ({@link BuildImageSet.Renderer#freshSources()}) holds the photographs' licences and READMEs
 * (Debian copyright files as text, the stdlib packages' READMEs as Markdown) and messages no other part renders; the
 * unseen part ({@link BuildImageSet.Renderer#unseenSources()}) Tux Paint's text manuals, the licences of its photographs
 * and messages neither of the others renders; the final part ({@link BuildImageSet.Renderer#finalSources()}) the pages
 * of Debian's HTML manuals (converted as HTML), their licences and messages none of the others renders.
 */
final class DocumentRenders implements BuildImageSet.Renderer {

    static final int[] DPIS = {30, 36, 45, 50, 60, 72, 85, 100, 120, 150};

    private final Path repo;
    private final Path corpus;
    private final Path licences;
    private final Path unseenTexts;
    private final Path unseenLicences;
    private final Path finalPages;
    private final Path finalLicences;
    private final DocumentConverter converter = DocumentConverter.create(ConversionLimits.defaults()
            .withMaxPages(400).withRenderTimeout(Duration.ofMinutes(2)));

    /** {@code sources}: the folder tools/build-image-set.sh fills (licences, texts and pages of the later parts). */
    DocumentRenders(Path repo, Path corpus, Path sources) {
        this.repo = repo;
        this.corpus = corpus;
        this.licences = sources.resolve("licences");
        this.unseenTexts = sources.resolve("texts-unseen");
        this.unseenLicences = sources.resolve("licences-unseen");
        this.finalPages = sources.resolve("html-final");
        this.finalLicences = sources.resolve("licences-final");
    }

    @Override
    public String label() {
        return "document";
    }

    @Override
    public List<String> sources() throws IOException {
        List<String> sources = new ArrayList<>();
        for (Path doc : markdown(repo)) {
            sources.add("doc:" + repo.relativize(doc));
        }
        for (Path message : Mail.sample(corpus, 50)) {
            sources.add("mail:" + corpus.relativize(message));
        }
        return sources;
    }

    @Override
    public List<String> freshSources() throws IOException {
        List<String> sources = new ArrayList<>();
        for (String name : licenceFiles(licences)) {
            sources.add("licence:" + name);
        }
        for (Path message : Mail.fresh(corpus, 16, false)) {
            sources.add("mail:" + corpus.relativize(message));
        }
        return sources;
    }

    @Override
    public List<String> unseenSources() throws IOException {
        List<String> sources = new ArrayList<>();
        for (String name : licenceFiles(unseenTexts)) {
            sources.add("text:" + name);
        }
        for (String name : licenceFiles(unseenLicences)) {
            sources.add("unseen-licence:" + name);
        }
        for (Path message : Mail.unseen(corpus, 16, false)) {
            sources.add("mail:" + corpus.relativize(message));
        }
        return sources;
    }

    @Override
    public List<String> finalSources() throws IOException {
        List<String> sources = new ArrayList<>();
        for (String page : ScreenshotRenders.pages(finalPages)) {
            sources.add("manual:" + page);
        }
        for (String name : licenceFiles(finalLicences)) {
            sources.add("final-licence:" + name);
        }
        for (Path message : Mail.unseenFrom(corpus, 1, 16, false)) {
            sources.add("mail:" + corpus.relativize(message));
        }
        return sources;
    }

    /** The licences and READMEs kept beside the photographs (or the files of another such folder), in name order. */
    static List<String> licenceFiles(Path licences) throws IOException {
        if (!Files.isDirectory(licences)) {
            throw new IOException(licences + ": no licences (run tools/build-image-set.sh)");
        }
        try (Stream<Path> files = Files.list(licences)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    /** The project's Markdown files (docs/ and the README). */
    static List<Path> markdown(Path repo) throws IOException {
        TreeSet<Path> files = new TreeSet<>();
        files.add(repo.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(repo.resolve("docs"))) {
            docs.filter(file -> file.toString().endsWith(".md")).forEach(files::add);
        }
        return List.copyOf(files);
    }

    @Override
    public void render(String source, Random random, BuildImageSet.Sink sink) throws IOException {
        ConversionRequest request;
        PageSize size = random.nextBoolean() ? PageSize.A4 : PageSize.LETTER;
        if (source.startsWith("doc:")) {
            String text = Files.readString(repo.resolve(source.substring(4)), StandardCharsets.UTF_8);
            request = new ConversionRequest(text, SourceFormat.MARKDOWN, false, Optional.empty(), size);
        } else if (source.startsWith("manual:")) {
            String html = new String(Files.readAllBytes(finalPages.resolve(source.substring(7))), StandardCharsets.UTF_8);
            request = new ConversionRequest(html, SourceFormat.HTML, false, Optional.empty(), size);
        } else if (source.startsWith("licence:") || source.startsWith("text:") || source.startsWith("unseen-licence:")
                || source.startsWith("final-licence:")) {
            String name = source.substring(source.indexOf(':') + 1);
            Path folder = source.startsWith("licence:") ? licences : source.startsWith("text:") ? unseenTexts
                    : source.startsWith("unseen-licence:") ? unseenLicences : finalLicences;
            String text = new String(Files.readAllBytes(folder.resolve(name)), StandardCharsets.UTF_8);
            request = new ConversionRequest(text, name.endsWith(".md") ? SourceFormat.MARKDOWN : SourceFormat.TEXT, false,
                    Optional.empty(), size);
        } else {
            Mail mail = Mail.read(corpus.resolve(source.substring(5)));
            request = new ConversionRequest(mail.body(), mail.html() ? SourceFormat.HTML : SourceFormat.TEXT, false,
                    Optional.of(mail.subject()), size);
        }
        byte[] pdf = converter.convert(request).bytes();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDFRenderer renderer = new PDFRenderer(document);
            int pages = document.getNumberOfPages();
            TreeSet<Integer> chosen = new TreeSet<>(List.of(0));
            if (!source.startsWith("mail:") && pages > 1) {
                chosen.add(pages - 1);
                chosen.add(pages / 4);
                chosen.add(pages / 2);
                chosen.add(3 * pages / 4);
            }
            for (int page : chosen) {
                int dpi = DPIS[random.nextInt(DPIS.length)];
                BufferedImage clean = renderer.renderImageWithDPI(page, dpi, ImageType.RGB);
                sink.accept("p" + page + "-" + dpi + "dpi", clean, false);
                if (random.nextBoolean()) {
                    int scanDpi = DPIS[random.nextInt(DPIS.length)];
                    BufferedImage scan = scanned(renderer.renderImageWithDPI(page, scanDpi, ImageType.RGB), random);
                    sink.accept("p" + page + "-" + scanDpi + "dpi-scan", scan, true);
                }
            }
        }
    }

    /** What a flatbed scanner or a phone makes of a printed page. */
    static BufferedImage scanned(BufferedImage page, Random random) {
        BufferedImage out = Filters.intRgb(page);
        Color paper = random.nextBoolean() ? Synth.gray(Synth.between(random, 200, 238))
                : new Color(Synth.between(random, 225, 245), Synth.between(random, 218, 238), Synth.between(random, 195, 220));
        tint(out, paper);
        out = Filters.rotate(out, Synth.between(random, -2.5, 2.5), paper);
        if (random.nextBoolean()) {
            Filters.blur(out, 1);
        }
        Filters.noise(out, random, Synth.between(random, 2.0, 8.0), 0.15);
        return Filters.jpeg(out, Synth.between(random, 0.35, 0.85));
    }

    /** Multiplies every pixel by {@code paper}: white becomes the paper, ink stays dark. */
    private static void tint(BufferedImage image, Color paper) {
        int[] data = Filters.data(image);
        for (int i = 0; i < data.length; i++) {
            int p = data[i];
            int r = (p >> 16 & 0xFF) * paper.getRed() / 255;
            int g = (p >> 8 & 0xFF) * paper.getGreen() / 255;
            int b = (p & 0xFF) * paper.getBlue() / 255;
            data[i] = r << 16 | g << 8 | b;
        }
    }
}
