package dev.crank.workers.image.training;

import dev.crank.workers.tools.Progress;
import dev.crank.workers.image.ImageFeatures;
import dev.crank.workers.image.Pixels;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Generated, labelled samples: {@code perLabel} images of every label of {@link SyntheticImages},
 * each turned into a vector by {@code encode} (features for training, model inputs for
 * evaluation), on {@code threads} threads. The order and the content depend only on the seed.
 */
record ImageDataset(float[][] inputs, int[] labels) {

    static ImageDataset generate(long seed, int perLabel, int threads, Function<Pixels, float[]> encode) throws Exception {
        List<String> labels = SyntheticImages.LABELS;
        int total = labels.size() * perLabel;
        float[][] inputs = new float[total][];
        int[] targets = new int[total];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> pending = new ArrayList<>();
            Progress progress = Progress.toStderr("generating images", total, "images");
            for (int l = 0; l < labels.size(); l++) {
                for (int i = 0; i < perLabel; i++) {
                    int slot = i * labels.size() + l;
                    int label = l;
                    int index = i;
                    pending.add(pool.submit(() -> {
                        BufferedImage image = SyntheticImages.generate(labels.get(label), seed, index);
                        inputs[slot] = encode.apply(Pixels.of(image, ImageFeatures.WORKING_SIZE));
                        targets[slot] = label;
                        progress.step();
                    }));
                }
            }
            for (Future<?> future : pending) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new ImageDataset(inputs, targets);
    }

    int size() {
        return labels.length;
    }
}
