package dev.crank.workers.image.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutlierPainterTest {

    @Test
    void theSameSeedPaintsTheSamePictures() {
        Random a = new Random(11);
        Random b = new Random(11);
        for (int i = 0; i < 8; i++) {
            BufferedImage first = OutlierPainter.paint(a);
            BufferedImage second = OutlierPainter.paint(b);
            assertThat(first.getRGB(0, 0, 256, 256, null, 0, 256)).isEqualTo(second.getRGB(0, 0, 256, 256, null, 0, 256));
        }
    }

    /**
     * An outlier that were nearly uniform would teach the network to be unsure of blank pages, and one that were
     * pixel noise would be the over-confidence test's own picture: each has content, and neighbouring pixels agree
     * far more often than in noise.
     */
    @Test
    void picturesHaveContentAndAreSmoothOrPiecewiseFlatNotNoise() {
        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            BufferedImage image = OutlierPainter.paint(random);
            int[] rgb = image.getRGB(0, 0, 256, 256, null, 0, 256);
            double[] sum = new double[3];
            double[] sq = new double[3];
            double step = 0;
            for (int p = 0; p < rgb.length; p++) {
                for (int c = 0; c < 3; c++) {
                    double v = (rgb[p] >> (16 - 8 * c) & 0xFF) / 255.0;
                    sum[c] += v;
                    sq[c] += v * v;
                }
                if (p % 256 != 255) {
                    step += Math.abs(luma(rgb[p]) - luma(rgb[p + 1]));
                }
            }
            double spread = 0; // the largest spread of one channel: colour changes count, not only brightness
            for (int c = 0; c < 3; c++) {
                double mean = sum[c] / rgb.length;
                spread = Math.max(spread, Math.sqrt(Math.max(0, sq[c] / rgb.length - mean * mean)));
            }
            double meanStep = step / (255.0 * 256);
            assertThat(spread).as("picture %d: colour spread", i).isGreaterThan(0.01);
            // Uniform noise steps by about 0.33 on average between neighbours.
            assertThat(meanStep).as("picture %d: mean step between neighbours", i).isLessThan(0.1);
        }
    }

    private static double luma(int rgb) {
        return ((rgb >> 16 & 0xFF) * 0.299 + (rgb >> 8 & 0xFF) * 0.587 + (rgb & 0xFF) * 0.114) / 255;
    }
}
