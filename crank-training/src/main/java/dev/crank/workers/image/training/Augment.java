package dev.crank.workers.image.training;

import dev.crank.workers.image.Pixels;
import java.util.Random;

/**
 * What training does to a working copy each time it shows it to the network: a crop keeping {@code minCrop}
 * (0.75 by default) to 100 % of each side (half the time), a mirror image (half the time; a mirrored page is still
 * a page), and a small change of brightness and contrast. The evaluation never augments.
 */
final class Augment {

    private Augment() {}

    static final double DEFAULT_MIN_CROP = 0.75;

    static Pixels of(Pixels working, Random random) {
        return of(working, random, DEFAULT_MIN_CROP);
    }

    static Pixels of(Pixels working, Random random, double minCrop) {
        Pixels out = working;
        if (random.nextBoolean()) {
            out = crop(out, random, minCrop);
        }
        if (random.nextBoolean()) {
            out = mirror(out);
        }
        return tone(out, 1 + (random.nextDouble() - 0.5) * 0.2, (random.nextDouble() - 0.5) * 0.12);
    }

    private static Pixels crop(Pixels p, Random random, double minCrop) {
        int w = Math.max(8, (int) (p.width() * (minCrop + (1 - minCrop) * random.nextDouble())));
        int h = Math.max(8, (int) (p.height() * (minCrop + (1 - minCrop) * random.nextDouble())));
        w = Math.min(w, p.width());
        h = Math.min(h, p.height());
        int x0 = random.nextInt(p.width() - w + 1);
        int y0 = random.nextInt(p.height() - h + 1);
        int[] src = p.rgb();
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(src, (y0 + y) * p.width() + x0, out, y * w, w);
        }
        return Pixels.wrap(w, h, out);
    }

    private static Pixels mirror(Pixels p) {
        int[] src = p.rgb();
        int[] out = new int[src.length];
        int w = p.width();
        for (int y = 0; y < p.height(); y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = src[y * w + w - 1 - x];
            }
        }
        return Pixels.wrap(w, p.height(), out);
    }

    /** {@code v' = (v - 0.5) * contrast + 0.5 + shift} per channel, clamped. */
    private static Pixels tone(Pixels p, double contrast, double shift) {
        int[] src = p.rgb();
        int[] out = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            int s = src[i];
            out[i] = channel(s >> 16 & 0xFF, contrast, shift) << 16 | channel(s >> 8 & 0xFF, contrast, shift) << 8
                    | channel(s & 0xFF, contrast, shift);
        }
        return Pixels.wrap(p.width(), p.height(), out);
    }

    private static int channel(int v, double contrast, double shift) {
        int r = (int) Math.round(((v / 255.0 - 0.5) * contrast + 0.5 + shift) * 255);
        return Math.max(0, Math.min(255, r));
    }
}
