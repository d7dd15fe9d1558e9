package dev.crank.workers.image.training;

import dev.crank.workers.image.training.RealImageSet.Split;
import dev.crank.workers.image.training.TrainImageModel.Options;
import dev.crank.workers.image.training.TrainImageModel.Report;
import dev.crank.workers.tools.Progress;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the image classifier's evaluation set from real material (see docs/workers/image-classifier.md):
 * photographs from the stdlib and scikit-image data packages, the project's docs and SpamAssassin messages
 * rendered to PDF by document-conversion and rasterised by PDFBox, headless-Chromium screenshots of real HTML,
 * JFreeChart charts of real data, Graphviz drawings of the project's own graphs, and blanks. Deterministic for a
 * given seed and inputs (Chromium's and Graphviz's own output aside). Run through {@code tools/build-image-set.sh}.
 *
 * <pre>
 * BuildImageSet --sources corpora/image-sources --corpus corpora/spam-assassin --repo . --out corpora/image-set
 *     [--only photo,chart] [--parts fresh]
 * </pre>
 * {@code --only} renders those labels, {@code --parts} those parts (both: all by default); what is not rendered is
 * left as it is.
 */
public final class BuildImageSet {

    private static final Logger logger = LoggerFactory.getLogger(BuildImageSet.class);

    /** Longest side written; larger renders (a 150 dpi page is 1754 px high) are kept as they are up to this. */
    static final int MAX_SIDE = 1800;

    /** Renders the images of one label, source by source. */
    interface Renderer {
        String label();

        /** Stable identifiers of the sources, one per document, page, data set, graph or photograph. */
        List<String> sources() throws IOException;

        /**
         * Sources added after the set's first deal. They are dealt on their own, so that every source of
         * {@link #sources()} keeps its part and a model trained on the earlier set never saw a test source of this one.
         */
        default List<String> laterSources() throws IOException {
            return List.of();
        }

        /**
         * Sources added after the default model was chosen on the test part: they all go to the
         * {@link Split#FRESH fresh} part, the unbiased check of that choice.
         */
        default List<String> freshSources() throws IOException {
            return List.of();
        }

        /**
         * Sources added after model 3.2.0's recipe was fixed (it trains on the fresh part too): they all go to the
         * {@link Split#UNSEEN unseen} part, the unbiased check of that model.
         */
        default List<String> unseenSources() throws IOException {
            return List.of();
        }

        /**
         * Sources added after model 3.3.0's recipe was fixed (it trains on the unseen part too): they all go to the
         * {@link Split#FINAL final} part, the unbiased check of that model.
         */
        default List<String> finalSources() throws IOException {
            return List.of();
        }

        void render(String source, Random random, Sink sink) throws Exception;

        /** How many sources may render at once (Chromium processes mostly wait). */
        default int parallelism() {
            return 2;
        }
    }

    /** Receives the variants of one source. */
    interface Sink {
        void accept(String variant, BufferedImage image, boolean jpeg);
    }

    private BuildImageSet() {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path sources = Path.of(options.value("--sources", "corpora/image-sources"));
        Path corpus = Path.of(options.value("--corpus", "corpora/spam-assassin"));
        Path repo = Path.of(options.value("--repo", "."));
        Path out = Path.of(options.value("--out", "corpora/image-set"));
        long seed = Long.parseLong(options.value("--seed", "7"));
        String only = options.value("--only", "");
        EnumSet<Split> parts = EnumSet.noneOf(Split.class);
        for (String part : options.value("--parts", "train,calibration,test,fresh,unseen,final").split(",")) {
            parts.add(Split.valueOf(part.strip().toUpperCase(Locale.ROOT)));
        }

        List<Renderer> renderers = List.of(
                new PhotoRenders(sources.resolve("photos"), sources.resolve("photos-added"), sources.resolve("photos-fresh"),
                        sources.resolve("photos-unseen"), sources.resolve("photos-final")),
                new DocumentRenders(repo, corpus, sources),
                new ScreenshotRenders(repo, corpus, sources),
                new ChartRenders(repo, corpus, sources),
                new DiagramRenders(repo),
                new BlankRenders());
        long started = System.nanoTime();
        for (Renderer renderer : renderers) {
            if (!only.isEmpty() && !only.contains(renderer.label())) {
                continue;
            }
            build(renderer, out, seed, parts);
        }
        Report.line("built %s in %.0f s", out.toAbsolutePath(), (System.nanoTime() - started) / 1e9);
    }

    private static void build(Renderer renderer, Path out, long seed, Set<Split> parts) throws Exception {
        String label = renderer.label();
        for (Split split : parts) {
            Path dir = out.resolve(split.dir()).resolve(label);
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        Files.delete(file);
                    }
                }
            }
            Files.createDirectories(dir);
        }
        List<String> sources = new ArrayList<>(renderer.sources());
        List<String> later = renderer.laterSources();
        List<Split> splits = new ArrayList<>(RealImageSet.assign(sources, seed ^ label.hashCode()));
        splits.addAll(RealImageSet.assign(later, seed ^ (label + "/later").hashCode()));
        sources.addAll(later);
        List<String> fresh = renderer.freshSources();
        fresh.forEach(source -> splits.add(Split.FRESH));
        sources.addAll(fresh);
        // the later held-out parts' sources are only looked for when those parts are built
        for (Split held : List.of(Split.UNSEEN, Split.FINAL)) {
            if (parts.contains(held)) {
                List<String> own = held == Split.UNSEEN ? renderer.unseenSources() : renderer.finalSources();
                own.forEach(source -> splits.add(held));
                sources.addAll(own);
            }
        }
        Map<Split, AtomicInteger> images = new EnumMap<>(Split.class);
        Map<Split, AtomicInteger> sourceCounts = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            images.put(split, new AtomicInteger());
            sourceCounts.put(split, new AtomicInteger());
        }
        long rendered = splits.stream().filter(parts::contains).count();
        Progress progress = Progress.toStderr(label, (int) rendered, "sources");
        ExecutorService pool = Executors.newFixedThreadPool(renderer.parallelism());
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                String source = sources.get(i);
                Split split = splits.get(i);
                if (!parts.contains(split)) {
                    continue;
                }
                sourceCounts.get(split).incrementAndGet();
                Path dir = out.resolve(split.dir()).resolve(label);
                jobs.add(pool.submit(() -> {
                    String stem = RealImageSet.slug(source);
                    Random random = new Random(seed * 31 + crc(label + "/" + source));
                    try {
                        renderer.render(source, random, (variant, image, jpeg) -> {
                            write(limit(image), dir.resolve(stem + "--" + RealImageSet.slug(variant) + (jpeg ? ".jpg" : ".png")), jpeg);
                            images.get(split).incrementAndGet();
                        });
                    } catch (Exception e) {
                        logger.warn("{} {}: not rendered ({})", label, source, e.toString());
                    }
                    progress.step();
                    return null;
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        } finally {
            pool.shutdown();
        }
        progress.finish();
        StringBuilder counts = new StringBuilder(String.format(Locale.ROOT, "%-10s", label));
        for (Split split : Split.values()) {
            counts.append(String.format(Locale.ROOT, "  %s %4d (%3d)", split.dir(), images.get(split).get(),
                    sourceCounts.get(split).get()));
        }
        Report.line("%s  images (sources)", counts);
    }

    private static BufferedImage limit(BufferedImage image) {
        int longSide = Math.max(image.getWidth(), image.getHeight());
        if (longSide <= MAX_SIDE) {
            return Filters.intRgb(image);
        }
        double scale = MAX_SIDE / (double) longSide;
        return Filters.resize(image, (int) Math.round(image.getWidth() * scale), (int) Math.round(image.getHeight() * scale));
    }

    private static void write(BufferedImage image, Path file, boolean jpeg) {
        try {
            if (jpeg) {
                Files.write(file, Filters.encodeJpeg(image, 0.9));
            } else {
                ImageIO.write(image, "png", file.toFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long crc(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
