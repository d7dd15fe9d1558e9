package dev.crank.workers.image.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class OutlierPainterTest {

    @Test
    void theSameSeedPaintsTheSamePictures() {
        Random a = new Random(11);
        Random b = new Random(11);
        for (int i = 0; i < 8; i++) {
            BufferedImage first = OutlierPainter.paint(a);
            BufferedImage second = OutlierPainter.paint(b);
            assertThat(rgb(first)).isEqualTo(rgb(second));
        }
    }

    /** The network sees each input's aspect ratio: outliers come in the shapes of real pictures, not square only. */
    @Test
    void paintsTheShapesOfRealPicturesEitherWayUp() {
        Random random = new Random(3);
        Set<Double> ratios = new TreeSet<>();
        for (int i = 0; i < 80; i++) {
            BufferedImage image = OutlierPainter.paint(random);
            assertThat(Math.max(image.getWidth(), image.getHeight())).isEqualTo(256);
            ratios.add(Math.round(100.0 * image.getWidth() / image.getHeight()) / 100.0);
        }
        assertThat(ratios).containsExactly(0.56, 0.67, 0.75, 1.0, 1.33, 1.5, 1.78);
    }

    /**
     * An outlier that were nearly uniform would teach the network to be unsure of blank pages (which may carry
     * sensor noise of a few levels and a faint gradient): every picture spreads at least one channel by far more.
     */
    @Test
    void everyPictureHasFarMoreContentThanABlankPage() {
        Random random = new Random(7);
        for (int i = 0; i < 70; i++) {
            BufferedImage image = OutlierPainter.paint(random);
            int[] rgb = rgb(image);
            double[] sum = new double[3];
            double[] sq = new double[3];
            for (int p : rgb) {
                for (int c = 0; c < 3; c++) {
                    double v = (p >> (16 - 8 * c) & 0xFF) / 255.0;
                    sum[c] += v;
                    sq[c] += v * v;
                }
            }
            double spread = 0; // the largest spread of one channel: colour changes count, not only brightness
            for (int c = 0; c < 3; c++) {
                double mean = sum[c] / rgb.length;
                spread = Math.max(spread, Math.sqrt(Math.max(0, sq[c] / rgb.length - mean * mean)));
            }
            assertThat(spread).as("picture %d: colour spread", i).isGreaterThan(0.05);
        }
    }

    private static int[] rgb(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
