package dev.crank.workers.image.training;

import java.util.Random;

/**
 * Mixup (Zhang et al., 2018): each training input is blended with another of its batch, {@code λ·a + (1-λ)·b}, and
 * so is its target, with λ drawn from Beta(α, α). A network trained so learns to answer in between where its
 * inputs are in between, which keeps it less sure of itself on pictures unlike any it was shown (Thulasidasan et
 * al., 2019). Deterministic for a given {@link Random}.
 */
final class Mixup {

    private Mixup() {}

    /**
     * Blends, in place, the first {@code n} inputs of {@code data} ({@code plane} floats each) and their target
     * rows in {@code targets} ({@code classes} floats each) with a partner drawn from the same batch.
     */
    static void mix(float[] data, float[] targets, int n, int plane, int classes, double alpha, Random random) {
        float[] inputs = data.clone();
        float[] rows = targets.clone();
        for (int i = 0; i < n; i++) {
            int partner = random.nextInt(n);
            double lambda = beta(alpha, random);
            float a = (float) Math.max(lambda, 1 - lambda);
            float b = 1 - a;
            for (int k = 0; k < plane; k++) {
                data[i * plane + k] = a * inputs[i * plane + k] + b * inputs[partner * plane + k];
            }
            for (int k = 0; k < classes; k++) {
                targets[i * classes + k] = a * rows[i * classes + k] + b * rows[partner * classes + k];
            }
        }
    }

    /** A draw of Beta(α, α): X / (X + Y) of two Gamma(α) draws. */
    static double beta(double alpha, Random random) {
        double x = gamma(alpha, random);
        double y = gamma(alpha, random);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /** Marsaglia and Tsang's Gamma(shape, 1) sampler; under shape 1 through Gamma(shape + 1) · U^(1/shape). */
    static double gamma(double shape, Random random) {
        if (shape < 1) {
            return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = random.nextGaussian();
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}
