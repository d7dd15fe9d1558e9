package dev.crank.workers.image.training;

import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Pictures that are none of the labels, for outlier exposure (Hendrycks et al., 2019): the network is trained to
 * spread its answer evenly over the labels for them, so that it learns to say little about what it was never
 * shown. Seven families, each with random parameters: smooth fractal colour fields, concentric rings, Voronoi
 * cells, angled bands, pixel noise (grey or colour, in blocks of 1-4 pixels; half of it over every level, half
 * a spread of 48-128 levels around a random mean), strong linear ramps (two colours far apart, any angle) and
 * checkerboards (cells of 4-64 pixels, two colours far apart). The last three are of the kinds of the over-confidence test ({@code RealImagesTest}:
 * uniform noise, a grey ramp, a checkerboard): four smooth or piecewise-flat families alone taught the network
 * nothing about noise or ramps, which every candidate trained that way called photo or blank at 0.99-1.00.
 * {@link OutOfDistribution} keeps kinds that none of the families paints, to judge what the exposure generalises
 * to. Every family is painted square, 4:3, 3:2 or 16:9, either way up ({@link #SHORT_SIDES}). Deterministic for a
 * given {@link Random}.
 */
final class OutlierPainter {

    /** The longer side of every picture; the shorter one is drawn from {@link #SHORT_SIDES}. */
    private static final int SIZE = 256;

    /**
     * Shapes of real pictures (square, 4:3, 3:2, 16:9; either way up). The network sees each input's aspect ratio
     * (a channel of its own), so outliers painted square only taught it nothing about a 4:3 picture of noise:
     * model 3.3.0 called square uniform noise a photo at 0.46 and the same noise at 480 x 360 at 0.94-0.98.
     */
    private static final int[] SHORT_SIDES = {256, 192, 171, 144};

    /** The least distance between the two colours of a ramp or a checkerboard, summed over the channels. */
    private static final int CONTRAST = 240;

    private OutlierPainter() {}

    static BufferedImage paint(Random random) {
        int shortSide = SHORT_SIDES[random.nextInt(SHORT_SIDES.length)];
        boolean portrait = random.nextBoolean();
        BufferedImage image = new BufferedImage(portrait ? shortSide : SIZE, portrait ? SIZE : shortSide,
                BufferedImage.TYPE_INT_RGB);
        switch (random.nextInt(7)) {
            case 0 -> field(image, random);
            case 1 -> rings(image, random);
            case 2 -> cells(image, random);
            case 3 -> bands(image, random);
            case 4 -> noise(image, random);
            case 5 -> ramp(image, random);
            default -> checkerboard(image, random);
        }
        return image;
    }

    private static void noise(BufferedImage image, Random random) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean grey = random.nextBoolean();
        int block = 1 + random.nextInt(4);
        boolean full = random.nextBoolean(); // every level equally likely, as in RealImagesTest's uniform noise
        int spread = full ? 128 : 48 + random.nextInt(81);
        int[] mean = full ? new int[] {128, 128, 128} : new int[] {random.nextInt(256), random.nextInt(256), random.nextInt(256)};
        for (int by = 0; by < h; by += block) {
            for (int bx = 0; bx < w; bx += block) {
                int rgb = 0;
                int first = clamp(mean[0] + random.nextInt(2 * spread + 1) - spread);
                for (int c = 0; c < 3; c++) {
                    int v = grey ? first : clamp(mean[c] + random.nextInt(2 * spread + 1) - spread);
                    rgb = rgb << 8 | v;
                }
                for (int y = by; y < Math.min(h, by + block); y++) {
                    for (int x = bx; x < Math.min(w, bx + block); x++) {
                        image.setRGB(x, y, rgb);
                    }
                }
            }
        }
    }

    private static void ramp(BufferedImage image, Random random) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] ends = farApart(random, random.nextBoolean());
        double angle = random.nextDouble() * 2 * Math.PI;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double low = Math.min(0, cos * w) + Math.min(0, sin * h);
        double high = Math.max(0, cos * w) + Math.max(0, sin * h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, ramp(ends, (x * cos + y * sin - low) / (high - low)));
            }
        }
    }

    private static void checkerboard(BufferedImage image, Random random) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] colours = farApart(random, random.nextBoolean());
        int cell = 4 + random.nextInt(61);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, colours[(x / cell + y / cell) % 2]);
            }
        }
    }

    /** Two colours (two greys when {@code grey}) at least {@link #CONTRAST} apart, summed over the channels. */
    private static int[] farApart(Random random, boolean grey) {
        while (true) {
            int a = grey ? greyLevel(random.nextInt(256)) : random.nextInt(0x1000000);
            int b = grey ? greyLevel(random.nextInt(256)) : random.nextInt(0x1000000);
            int distance = Math.abs((a >> 16 & 0xFF) - (b >> 16 & 0xFF)) + Math.abs((a >> 8 & 0xFF) - (b >> 8 & 0xFF))
                    + Math.abs((a & 0xFF) - (b & 0xFF));
            if (distance >= CONTRAST) {
                return new int[] {a, b};
            }
        }
    }

    private static int greyLevel(int v) {
        return v << 16 | v << 8 | v;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** Value noise over three octaves, mapped through a palette of three random colours. */
    private static void field(BufferedImage image, Random random) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] palette = colours(random, 3);
        int grid = 4 + random.nextInt(6);
        double[][][] octaves = new double[3][][];
        for (int o = 0; o < octaves.length; o++) {
            int n = grid << o;
            octaves[o] = new double[n + 1][n + 1];
            for (double[] row : octaves[o]) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = random.nextDouble();
                }
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 0;
                double weight = 0.57;
                for (double[][] octave : octaves) {
                    v += weight * smooth(octave, x / (double) w * (octave.length - 1), y / (double) h * (octave.length - 1));
                    weight /= 2;
                }
                image.setRGB(x, y, ramp(palette, v));
            }
        }
    }

    private static void rings(BufferedImage image, Random random) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] palette = colours(random, 3);
        double cx = random.nextDouble() * w;
        double cy = random.nextDouble() * h;
        double period = 6 + random.nextDouble() * 40;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r = Math.hypot(x - cx, y - cy) / period;
                image.setRGB(x, y, ramp(palette, 0.5 + 0.5 * Math.sin(2 * Math.PI * r)));
            }
        }
    }

    private static void cells(BufferedImage image, Random random) {
        int w = image.getWidth();
        int h = image.getHeight();
        int count = 6 + random.nextInt(40);
        int[] xs = new int[count];
        int[] ys = new int[count];
        int[] colours = new int[count];
        for (int i = 0; i < count; i++) { // drawn in this order, so that the pictures of the documented run come back
            xs[i] = random.nextInt(w);
            ys[i] = random.nextInt(h);
            colours[i] = random.nextInt(0x1000000);
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int nearest = 0;
                long best = Long.MAX_VALUE;
                for (int i = 0; i < count; i++) {
                    long d = (long) (x - xs[i]) * (x - xs[i]) + (long) (y - ys[i]) * (y - ys[i]);
                    if (d < best) {
                        best = d;
                        nearest = i;
                    }
                }
                image.setRGB(x, y, colours[nearest]);
            }
        }
    }

    private static void bands(BufferedImage image, Random random) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] colours = colours(random, 2 + random.nextInt(5));
        double angle = random.nextDouble() * Math.PI;
        double width = 5 + random.nextDouble() * 50;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int band = (int) Math.floor((x * cos + y * sin) / width);
                image.setRGB(x, y, colours[Math.floorMod(band, colours.length)]);
            }
        }
    }

    private static int[] colours(Random random, int count) {
        int[] colours = new int[count];
        for (int i = 0; i < count; i++) {
            colours[i] = random.nextInt(0x1000000);
        }
        return colours;
    }

    /** Bilinear interpolation of a grid with a smoothstep, for continuous noise. */
    private static double smooth(double[][] grid, double gx, double gy) {
        int x0 = Math.min((int) gx, grid.length - 2);
        int y0 = Math.min((int) gy, grid.length - 2);
        double tx = fade(gx - x0);
        double ty = fade(gy - y0);
        double top = grid[y0][x0] + (grid[y0][x0 + 1] - grid[y0][x0]) * tx;
        double bottom = grid[y0 + 1][x0] + (grid[y0 + 1][x0 + 1] - grid[y0 + 1][x0]) * tx;
        return top + (bottom - top) * ty;
    }

    private static double fade(double t) {
        return t * t * (3 - 2 * t);
    }

    /** {@code v} (clamped to 0-1) along the palette's colours in turn. */
    private static int ramp(int[] palette, double v) {
        double p = Math.max(0, Math.min(1, v)) * (palette.length - 1);
        int i = Math.min((int) p, palette.length - 2);
        double t = p - i;
        int a = palette[i];
        int b = palette[i + 1];
        int r = (int) Math.round((a >> 16 & 0xFF) + ((b >> 16 & 0xFF) - (a >> 16 & 0xFF)) * t);
        int g = (int) Math.round((a >> 8 & 0xFF) + ((b >> 8 & 0xFF) - (a >> 8 & 0xFF)) * t);
        int bl = (int) Math.round((a & 0xFF) + ((b & 0xFF) - (a & 0xFF)) * t);
        return r << 16 | g << 8 | bl;
    }
}
