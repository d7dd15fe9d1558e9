package dev.crank.workers.image.training;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Fixed pictures that are none of the six labels, on which a model must not be sure: the three of the worker's
 * over-confidence test ({@code RealImagesTest}: uniform noise, a grey ramp, a checkerboard, drawn the same way),
 * then grey noise, a red-blue ramp, a fine checkerboard and diagonal colour stripes. All seven are of kinds that
 * outlier exposure paints with other parameters ({@link OutlierPainter}: noise, ramps, checkerboards, bands), so
 * the last four pictures are <em>held out</em> kinds: a radial grey ramp, polka dots, concentric squares and
 * scribbles, which nothing in training resembles. {@link EvaluateImageModel} reports the answer on each and the
 * surest of either group, so that a candidate's behaviour off its labels is judged on more than what it was shown.
 */
final class OutOfDistribution {

    /** One picture, its name, and whether outlier exposure paints pictures of its kind. */
    record Picture(String name, boolean exposed, Supplier<BufferedImage> image) {}

    static final List<Picture> PICTURES = List.of(
            new Picture("uniform noise", true, () -> noise(480, 360, 1, false)),
            new Picture("grey ramp", true, () -> ramp(480, 360, false)),
            new Picture("checkerboard", true, () -> checkerboard(480, 360, 40)),
            new Picture("grey noise", true, () -> noise(640, 480, 2, true)),
            new Picture("red-blue ramp", true, () -> ramp(500, 500, true)),
            new Picture("checkerboard 8 px", true, () -> checkerboard(400, 400, 8)),
            new Picture("colour stripes", true, () -> stripes(600, 400, 12)),
            new Picture("radial grey ramp", false, () -> radial(500, 400)),
            new Picture("polka dots", false, () -> dots(600, 450, 30)),
            new Picture("concentric squares", false, () -> squares(480, 480, 10)),
            new Picture("scribbles", false, () -> scribbles(640, 480, 3)));

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

    /** White in the middle to black at the corners. */
    private static BufferedImage radial(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        double corner = Math.hypot(w / 2.0, h / 2.0);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (int) Math.round(255 * (1 - Math.hypot(x - w / 2.0, y - h / 2.0) / corner));
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return image;
    }

    /** White discs on a regular grid over orange. */
    private static BufferedImage dots(int w, int h, int pitch) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = x % pitch - pitch / 2.0;
                double dy = y % pitch - pitch / 2.0;
                image.setRGB(x, y, Math.hypot(dx, dy) < pitch / 3.0 ? 0xFFFFFF : 0xE07020);
            }
        }
        return image;
    }

    /** Black and white squares nested around the middle, {@code band} pixels each. */
    private static BufferedImage squares(int w, int h, int band) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int ring = Math.max(Math.abs(x - w / 2), Math.abs(y - h / 2)) / band;
                image.setRGB(x, y, ring % 2 == 0 ? 0xFFFFFF : 0x000000);
            }
        }
        return image;
    }

    /** Thick random strokes in bright colours on black. */
    private static BufferedImage scribbles(int w, int h, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        for (int i = 0; i < 14; i++) {
            g.setColor(java.awt.Color.getHSBColor(random.nextFloat(), 0.9f, 1f));
            g.setStroke(new java.awt.BasicStroke(6 + random.nextInt(18), java.awt.BasicStroke.CAP_ROUND,
                    java.awt.BasicStroke.JOIN_ROUND));
            java.awt.geom.Path2D path = new java.awt.geom.Path2D.Double();
            path.moveTo(random.nextInt(w), random.nextInt(h));
            for (int j = 0; j < 3; j++) {
                path.curveTo(random.nextInt(w), random.nextInt(h), random.nextInt(w), random.nextInt(h),
                        random.nextInt(w), random.nextInt(h));
            }
            g.draw(path);
        }
        g.dispose();
        return image;
    }
}
