package dev.crank.workers.image.training;

import dev.crank.workers.image.ImageClassification;
import dev.crank.workers.image.ImageDecoder;
import dev.crank.workers.image.ImageModel;
import dev.crank.workers.image.ModelSpec;
import dev.crank.workers.image.Pixels;
import dev.crank.workers.image.training.RealImageSet.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Model inputs for samples of the set, made the way the worker makes them: {@link ImageDecoder} (subsampled,
 * EXIF orientation applied), a {@link ImageClassification#WORKING_SIZE} copy, {@link ImageModel#prepare}.
 */
final class SetInputs {

    private static final ImageDecoder DECODER = new ImageDecoder(100_000_000L);

    private SetInputs() {}

    static Pixels working(byte[] image) {
        return Pixels.of(DECODER.decode(image).image(), ImageClassification.WORKING_SIZE);
    }

    static float[][] of(List<Sample> samples, ModelSpec spec, int threads) throws Exception {
        Pixels[] workings = workings(samples, threads);
        float[][] out = new float[workings.length][];
        for (int i = 0; i < workings.length; i++) {
            out[i] = ImageModel.prepare(workings[i], spec);
        }
        return out;
    }

    static Pixels[] workings(List<Sample> samples, int threads) throws Exception {
        Pixels[] out = new Pixels[samples.size()];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> jobs = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                jobs.add(pool.submit(() -> {
                    for (int i = first; i < samples.size(); i += threads) {
                        try {
                            out[i] = working(Files.readAllBytes(samples.get(i).file()));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        } finally {
            pool.shutdown();
        }
        return out;
    }
}
