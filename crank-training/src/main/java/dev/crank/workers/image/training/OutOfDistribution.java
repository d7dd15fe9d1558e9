package dev.crank.workers.image.training;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Fixed pictures that are none of the six labels, on which a model must not be sure: the three of the worker's
 * over-confidence test ({@code RealImagesTest}: uniform noise, a grey ramp, a checkerboard, drawn the same way),
 * then four that neither that test nor the training set shows: grey noise, a fine checkerboard, and a red-blue ramp
 * and diagonal colour stripes (these two are near the smooth fields and bands of outlier exposure,
 * {@link OutlierPainter}; the first two are like nothing it paints). {@link EvaluateImageModel} reports the answer on
 * each, so that a candidate's behaviour off its labels is judged on more than the test's three.
 */
final class OutOfDistribution {

    /** One picture and its name. */
    record Picture(String name, Supplier<BufferedImage> image) {}

    static final List<Picture> PICTURES = List.of(
            new Picture("uniform noise", () -> noise(480, 360, 1, false)),
            new Picture("grey ramp", () -> ramp(480, 360, false)),
            new Picture("checkerboard", () -> checkerboard(480, 360, 40)),
            new Picture("grey noise", () -> noise(640, 480, 2, true)),
            new Picture("red-blue ramp", () -> ramp(500, 500, true)),
            new Picture("checkerboard 8 px", () -> checkerboard(400, 400, 8)),
            new Picture("colour stripes", () -> stripes(600, 400, 12)));

    private OutOfDistribution() {}

    private static BufferedImage noise(int w, int h, long seed, boolean grey) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = random.nextInt(grey ? 256 : 0x1000000);
                image.setRGB(x, y, grey ? v << 16 | v << 8 | v : v);
            }
        }
        return image;
    }

    /** Black to white from left to right, or red from top to bottom and blue from left to right. */
    private static BufferedImage ramp(int w, int h, boolean colour) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int across = x * 255 / (w - 1);
                image.setRGB(x, y, colour ? (y * 255 / (h - 1)) << 16 | across : across << 16 | across << 8 | across);
            }
        }
        return image;
    }

    private static BufferedImage checkerboard(int w, int h, int cell) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x / cell + y / cell) % 2 == 0 ? 0xFFFFFF : 0x000000);
            }
        }
        return image;
    }

    private static BufferedImage stripes(int w, int h, int band) {
        int[] colours = {0xE04040, 0x40A040, 0x4040E0, 0xF0D020};
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, colours[(x + y) / band % 4]);
            }
        }
        return image;
    }
}
