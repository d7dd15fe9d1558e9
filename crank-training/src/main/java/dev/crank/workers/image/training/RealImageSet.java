package dev.crank.workers.image.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The evaluation set {@link BuildImageSet} writes: {@code <root>/<split>/<label>/<source>--<variant>.<ext>}.
 * Every image of one source (a document, a web page, a data set, a graph, a photograph) lands in one split,
 * so that the held-out parts never see a source whose augmented copies fed training.
 */
public final class RealImageSet {

    /** Where a source's images go. */
    public enum Split {
        /** Fits the network's weights. */
        TRAIN,
        /** Held out from training; fits only the temperature that calibrates confidences. */
        CALIBRATION,
        /** Held out from training and calibration: the figures in docs/workers/image-classifier.md. */
        TEST,
        /**
         * Sources added after model 3.0.0 was chosen by its test-part figures, all held out: no training or
         * calibration sees them ({@link BuildImageSet.Renderer#freshSources()}). One choice was made on them, fixed
         * in advance: model 3.1.0 replaced 3.0.0 because it made fewer errors here.
         */
        FRESH,
        /**
         * Sources added after model 3.2.0's recipe was fixed (3.1.0's, trained on the training, test and fresh parts),
         * all held out ({@link BuildImageSet.Renderer#unseenSources()}): the check of that model, used for one choice
         * fixed in advance (3.2.0 replaced 3.1.0 because it made fewer errors here).
         */
        UNSEEN,
        /**
         * Sources added after model 3.3.0's recipe was fixed (3.2.0's, trained on every part before this one but the
         * calibration part), all held out ({@link BuildImageSet.Renderer#finalSources()}): the check of that model,
         * used for one choice fixed in advance (3.3.0 replaces 3.2.0 only if it makes fewer errors here; it did, but
         * failed the over-confidence bound), then for 3.3.1 and its deterministic retraining 3.3.2, under a rule
         * fixed in advance too (every target met here, fewer errors than 3.2.0, the bound held): both were shipped.
         */
        FINAL;

        public String dir() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The held-out parts in the order they were built; each judged the model trained on the ones before it. */
    public static final List<Split> HELD_OUT = List.of(Split.TEST, Split.FRESH, Split.UNSEEN, Split.FINAL);

    /** One image of the set. */
    public record Sample(Path file, String label, String source, String variant, Split split) {}

    private RealImageSet() {}

    /**
     * Splits {@code sources} (sorted, then shuffled with {@code seed}) five of every eight to training, one to
     * calibration and two to the test part; fewer than four sources all go to training and test alternately.
     */
    public static List<Split> assign(List<String> sources, long seed) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        Split[] pattern = {Split.TRAIN, Split.TEST, Split.TRAIN, Split.CALIBRATION, Split.TRAIN, Split.TEST, Split.TRAIN,
                Split.TRAIN};
        Split[] splits = new Split[sources.size()];
        for (int position = 0; position < order.size(); position++) {
            splits[order.get(position)] = pattern[position % pattern.length];
        }
        return List.of(splits);
    }

    /** Every image in {@code split} under {@code root}, in a stable order. */
    public static List<Sample> read(Path root, Split split) throws IOException {
        Path dir = root.resolve(split.dir());
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " does not exist (build the set: tools/build-image-set.sh)");
        }
        List<Sample> samples = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String label = file.getParent().getFileName().toString();
                String name = file.getFileName().toString();
                int dot = name.lastIndexOf('.');
                String stem = dot < 0 ? name : name.substring(0, dot);
                int cut = stem.indexOf("--");
                samples.add(new Sample(file, label, cut < 0 ? stem : stem.substring(0, cut),
                        cut < 0 ? "" : stem.substring(cut + 2), split));
            }
        }
        return samples;
    }

    /** A file-name-safe form of {@code text}. */
    static String slug(String text) {
        String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return slug.length() > 60 ? slug.substring(0, 60) : slug;
    }
}
