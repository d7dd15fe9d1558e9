package dev.crank.workers.image.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MixupTest {

    @Test
    void betaDrawsLieInTheUnitIntervalAroundOneHalfAndPileUpAtTheEndsForSmallAlpha() {
        Random random = new Random(3);
        int n = 20_000;
        double sum = 0;
        int nearEnds = 0;
        for (int i = 0; i < n; i++) {
            double b = Mixup.beta(0.3, random);
            assertThat(b).isBetween(0.0, 1.0);
            sum += b;
            nearEnds += b < 0.1 || b > 0.9 ? 1 : 0;
        }
        assertThat(sum / n).isCloseTo(0.5, within(0.01));
        // Beta(0.3, 0.3) puts about 56 % of its mass within 0.1 of either end; Beta(2, 2) would put 5.6 %.
        assertThat(nearEnds / (double) n).isBetween(0.50, 0.62);
    }

    @Test
    void gammaDrawsHaveTheirShapeAsMean() {
        Random random = new Random(5);
        for (double shape : new double[] {0.3, 1, 2.5}) {
            double sum = 0;
            for (int i = 0; i < 20_000; i++) {
                sum += Mixup.gamma(shape, random);
            }
            assertThat(sum / 20_000).as("shape %s", shape).isCloseTo(shape, within(shape * 0.05));
        }
    }

    @Test
    void blendsInputsAndTargetsWithTheSameWeightMostlyKeepingTheFirst() {
        // Two inputs of two floats, two classes: input i is all i, its target one-hot on class i.
        float[] data = {0, 0, 1, 1};
        float[] targets = {1, 0, 0, 1};
        Mixup.mix(data, targets, 2, 2, 2, 0.3, new Random(11));
        for (int i = 0; i < 2; i++) {
            float own = targets[i * 2 + i];
            assertThat(own).as("the first of a pair weighs at least half").isGreaterThanOrEqualTo(0.5f);
            assertThat(targets[i * 2] + targets[i * 2 + 1]).isCloseTo(1f, within(1e-6f));
            // the input moved from its own value towards the other's by as much as its target did
            float expected = i == 0 ? 1 - own : own;
            assertThat(data[i * 2]).isCloseTo(expected, within(1e-6f));
            assertThat(data[i * 2 + 1]).isEqualTo(data[i * 2]);
        }
    }

    @Test
    void theFittedTemperatureSharpensUnderConfidentLogitsAndSoftensOverConfidentOnes() {
        // Logits that are right 9 times in 10: the best temperature makes the winner's share about 0.9.
        float[][] small = new float[10][];
        float[][] large = new float[10][];
        int[] labels = new int[10];
        for (int i = 0; i < 10; i++) {
            labels[i] = i == 0 ? 1 : 0;
            small[i] = new float[] {0.5f, 0};
            large[i] = new float[] {20, 0};
        }
        assertThat(TrainImageModel.fitTemperature(small, labels)).isLessThan(1f);
        assertThat(TrainImageModel.fitTemperature(large, labels)).isGreaterThan(4f);
    }
}
