package dev.crank.workers.image.training;

import dev.crank.workers.documentconversion.ConversionLimits;
import dev.crank.workers.documentconversion.ConversionRequest;
import dev.crank.workers.documentconversion.DocumentConverter;
import dev.crank.workers.documentconversion.PageSize;
import dev.crank.workers.documentconversion.SourceFormat;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * Blanks: empty pages rendered by document-conversion and PDFBox (clean and scanned), and uniform fills of the
 * colours blank images come in (paper, screens, slides), at several sizes with sensor noise and JPEG
 * compression. A source is one colour family (or the empty page); gradients and patterns are not blank.
 */
final class BlankRenders implements BuildImageSet.Renderer {

    private static final List<String> COLOURS = List.of("white:ffffff", "paper:f4f1e8", "light-grey:d9d9d9",
            "mid-grey:8c8c8c", "dark-grey:3a3a3a", "black:000000", "screen-dark:1e1e1e", "navy:1b2a4a",
            "sky:cfe2f3", "mint:d9ead3", "rose:f4cccc", "sticky-yellow:fff2a8", "slide-blue:2f5597", "beige:e8dcc0");

    /** Colour families of the fresh part only ({@link BuildImageSet.Renderer#freshSources()}). */
    private static final List<String> FRESH_COLOURS = List.of("lavender:e6e0f0", "peach:fde2c8", "olive:5f6b3a",
            "teal-screen:0f3d3e", "charcoal:262626", "ivory:fffff0", "steel:b0bec5", "terracotta:b5562f");

    /** Colour families of the unseen part only ({@link BuildImageSet.Renderer#unseenSources()}). */
    private static final List<String> UNSEEN_COLOURS = List.of("mauve:c9a0b8", "sand:d8c9a3", "forest:1f3d2b",
            "maroon:5a1a1a", "sea:2e6f8e", "lemon:fff9c4", "slate:3b4252", "salmon:f2a48a");

    /** Colour families of the final part only ({@link BuildImageSet.Renderer#finalSources()}). */
    private static final List<String> FINAL_COLOURS = List.of("gold:f1c232", "plum:5b3256", "aqua:b2ebf2",
            "rust:8b3a1a", "night:0b1020", "cloud:eceff1", "sage:9caf88", "wine:4a0e1e");

    private final DocumentConverter converter = DocumentConverter.create(ConversionLimits.defaults());

    @Override
    public String label() {
        return "blank";
    }

    @Override
    public List<String> sources() {
        List<String> sources = new java.util.ArrayList<>(List.of("empty-page-a4", "empty-page-letter"));
        COLOURS.forEach(colour -> sources.add("fill:" + colour));
        return sources;
    }

    @Override
    public List<String> freshSources() {
        return FRESH_COLOURS.stream().map(colour -> "fill:" + colour).toList();
    }

    @Override
    public List<String> unseenSources() {
        return UNSEEN_COLOURS.stream().map(colour -> "fill:" + colour).toList();
    }

    @Override
    public List<String> finalSources() {
        return FINAL_COLOURS.stream().map(colour -> "fill:" + colour).toList();
    }

    @Override
    public void render(String source, Random random, BuildImageSet.Sink sink) throws Exception {
        if (source.startsWith("empty-page")) {
            PageSize size = source.endsWith("a4") ? PageSize.A4 : PageSize.LETTER;
            byte[] pdf = converter.convert(new ConversionRequest(" ", SourceFormat.TEXT, false, Optional.empty(), size)).bytes();
            try (PDDocument document = Loader.loadPDF(pdf)) {
                PDFRenderer renderer = new PDFRenderer(document);
                for (int v = 0; v < 6; v++) {
                    int dpi = DocumentRenders.DPIS[random.nextInt(DocumentRenders.DPIS.length)];
                    BufferedImage page = renderer.renderImageWithDPI(0, dpi, ImageType.RGB);
                    boolean scan = v % 2 == 1;
                    sink.accept("v" + v + "-" + dpi + "dpi" + (scan ? "-scan" : ""), scan ? DocumentRenders.scanned(page, random) : page, scan);
                }
            }
            return;
        }
        Color base = new Color(Integer.parseInt(source.substring(source.lastIndexOf(':') + 1), 16));
        for (int v = 0; v < 6; v++) {
            int w = Synth.between(random, 64, 1600);
            int h = Math.max(32, (int) (w * Synth.between(random, 0.4, 1.6)));
            BufferedImage image = Synth.canvas(w, h, Synth.jitter(base, random, 8));
            boolean noisy = random.nextBoolean();
            if (noisy) {
                Filters.noise(image, random, Synth.between(random, 0.5, 4.0), 0.2);
            }
            boolean jpeg = random.nextBoolean();
            sink.accept("v" + v + "-" + w + "x" + h + (noisy ? "-noise" : ""),
                    jpeg ? Filters.jpeg(image, Synth.between(random, 0.4, 0.9)) : image, jpeg);
        }
    }
}
