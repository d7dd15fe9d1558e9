package dev.crank.workers.image;

/** Sobel gradients of a luma plane, normalised so that a black-to-white step is about 1. */
final class SobelGradient {

    private final int w;
    private final int h;
    private final float[] gx;
    private final float[] gy;
    private final float[] magnitude;
    private double mean;
    private double smoothShare;

    private SobelGradient(int w, int h) {
        this.w = w;
        this.h = h;
        this.gx = new float[w * h];
        this.gy = new float[w * h];
        this.magnitude = new float[w * h];
    }

    static SobelGradient of(float[] l, int w, int h) {
        SobelGradient g = new SobelGradient(w, h);
        double sum = 0;
        int smooth = 0;
        int count = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                float dx = (l[i - w + 1] + 2 * l[i + 1] + l[i + w + 1] - l[i - w - 1] - 2 * l[i - 1] - l[i + w - 1]) / 4;
                float dy = (l[i + w - 1] + 2 * l[i + w] + l[i + w + 1] - l[i - w - 1] - 2 * l[i - w] - l[i - w + 1]) / 4;
                float m = (float) Math.sqrt(dx * dx + dy * dy);
                g.gx[i] = dx;
                g.gy[i] = dy;
                g.magnitude[i] = m;
                sum += m;
                smooth += m > 0.004f && m < 0.04f ? 1 : 0;
                count++;
            }
        }
        g.mean = count == 0 ? 0 : sum / count;
        g.smoothShare = count == 0 ? 0 : (double) smooth / count;
        return g;
    }

    /** Mean gradient magnitude. */
    double mean() {
        return mean;
    }

    /** Share of pixels with a gentle, non-zero gradient (shading rather than edges or flat fill). */
    double smoothShare() {
        return smoothShare;
    }

    /** Share of pixels whose gradient exceeds {@code threshold}. */
    double share(double threshold) {
        int hits = 0;
        for (float m : magnitude) {
            hits += m > threshold ? 1 : 0;
        }
        return (double) hits / magnitude.length;
    }

    /** Shares of strong edges (gradient above 0.1) in 8 orientation bins of 22.5 degrees (bin 0: vertical edges). */
    double[] orientation() {
        double[] bins = new double[8];
        int total = 0;
        for (int i = 0; i < magnitude.length; i++) {
            if (magnitude[i] > 0.1f) {
                double a = Math.atan2(gy[i], gx[i]);
                if (a < 0) {
                    a += Math.PI;
                }
                bins[(int) Math.round(a / (Math.PI / 8)) % 8]++;
                total++;
            }
        }
        for (int b = 0; b < 8 && total > 0; b++) {
            bins[b] /= total;
        }
        return bins;
    }

    /** Edge density (gradient above 0.15) in the central quarter of the image minus that of the rest. */
    double centreVersusBorder() {
        double centre = 0;
        double border = 0;
        int centreCount = 0;
        int borderCount = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean inside = x >= w / 4 && x < w * 3 / 4 && y >= h / 4 && y < h * 3 / 4;
                float edge = magnitude[y * w + x] > 0.15f ? 1 : 0;
                if (inside) {
                    centre += edge;
                    centreCount++;
                } else {
                    border += edge;
                    borderCount++;
                }
            }
        }
        return (centreCount == 0 ? 0 : centre / centreCount) - (borderCount == 0 ? 0 : border / borderCount);
    }
}
