package dev.crank.workers.image.training;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Pixel-level effects: blur, sensor noise, vignetting, rotation, crops and JPEG compression. */
final class Filters {

    private static final float[] GAUSSIAN = gaussianTable(new Random(7), 1 << 16);

    private Filters() {}

    /** The pixels of a {@code TYPE_INT_RGB} image, live: writes show in the image. */
    static int[] data(BufferedImage image) {
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("image type " + image.getType() + " (expected: TYPE_INT_RGB)");
        }
        return ((java.awt.image.DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }

    /** {@code image} as {@code TYPE_INT_RGB} (itself if it already is). */
    static BufferedImage intRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    private static float[] gaussianTable(Random random, int size) {
        float[] table = new float[size];
        for (int i = 0; i < size; i++) {
            table[i] = (float) random.nextGaussian();
        }
        return table;
    }

    /** Approximate Gaussian blur: three box blurs of {@code radius}. */
    static void blur(BufferedImage image, int radius) {
        if (radius < 1) {
            return;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = data(image);
        int[][] planes = new int[3][w * h];
        for (int i = 0; i < rgb.length; i++) {
            planes[0][i] = rgb[i] >> 16 & 0xFF;
            planes[1][i] = rgb[i] >> 8 & 0xFF;
            planes[2][i] = rgb[i] & 0xFF;
        }
        int[] tmp = new int[w * h];
        for (int[] plane : planes) {
            for (int pass = 0; pass < 3; pass++) {
                boxRows(plane, tmp, w, h, radius);
                boxColumns(tmp, plane, w, h, radius);
            }
        }
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = planes[0][i] << 16 | planes[1][i] << 8 | planes[2][i];
        }
    }

    private static void boxRows(int[] src, int[] dst, int w, int h, int r) {
        int span = 2 * r + 1;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int sum = 0;
            for (int k = -r; k <= r; k++) {
                sum += src[row + Math.max(0, Math.min(w - 1, k))];
            }
            for (int x = 0; x < w; x++) {
                dst[row + x] = sum / span;
                sum += src[row + Math.min(w - 1, x + r + 1)] - src[row + Math.max(0, x - r)];
            }
        }
    }

    private static void boxColumns(int[] src, int[] dst, int w, int h, int r) {
        int span = 2 * r + 1;
        for (int x = 0; x < w; x++) {
            int sum = 0;
            for (int k = -r; k <= r; k++) {
                sum += src[Math.max(0, Math.min(h - 1, k)) * w + x];
            }
            for (int y = 0; y < h; y++) {
                dst[y * w + x] = sum / span;
                sum += src[Math.min(h - 1, y + r + 1) * w + x] - src[Math.max(0, y - r) * w + x];
            }
        }
    }

    /** Gaussian noise of {@code sigma} levels, partly shared by the channels (luma) and partly not (chroma). */
    static void noise(BufferedImage image, Random random, double sigma, double chroma) {
        if (sigma <= 0) {
            return;
        }
        int[] rgb = data(image);
        int mask = GAUSSIAN.length - 1;
        int state = random.nextInt() | 1;
        float s = (float) sigma;
        float c = (float) (sigma * chroma);
        for (int i = 0; i < rgb.length; i++) {
            state ^= state << 13;
            state ^= state >>> 17;
            state ^= state << 5;
            float common = GAUSSIAN[state & mask] * s;
            float dr = GAUSSIAN[(state >>> 16) & mask] * c;
            state ^= state << 13;
            state ^= state >>> 17;
            state ^= state << 5;
            float dg = GAUSSIAN[state & mask] * c;
            float db = GAUSSIAN[(state >>> 16) & mask] * c;
            int p = rgb[i];
            rgb[i] = Synth.clamp(Math.round((p >> 16 & 0xFF) + common + dr)) << 16
                    | Synth.clamp(Math.round((p >> 8 & 0xFF) + common + dg)) << 8
                    | Synth.clamp(Math.round((p & 0xFF) + common + db));
        }
    }

    /** Darkens the corners by up to {@code strength} (0-1). */
    static void vignette(BufferedImage image, double strength) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = data(image);
        double cx = w / 2.0;
        double cy = h / 2.0;
        double max = cx * cx + cy * cy;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / max;
                double f = 1 - strength * d * d;
                int i = y * w + x;
                rgb[i] = scale(rgb[i], f, f, f);
            }
        }
    }

    /** Multiplies channels (white balance) and applies a gamma (exposure). */
    static void grade(BufferedImage image, double red, double green, double blue, double gamma) {
        int[] rgb = data(image);
        int[] lut = new int[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = Synth.clamp((int) Math.round(255 * Math.pow(v / 255.0, gamma)));
        }
        for (int i = 0; i < rgb.length; i++) {
            int p = scale(rgb[i], red, green, blue);
            rgb[i] = lut[p >> 16 & 0xFF] << 16 | lut[p >> 8 & 0xFF] << 8 | lut[p & 0xFF];
        }
    }

    private static int scale(int p, double r, double g, double b) {
        return Synth.clamp((int) ((p >> 16 & 0xFF) * r)) << 16 | Synth.clamp((int) ((p >> 8 & 0xFF) * g)) << 8
                | Synth.clamp((int) ((p & 0xFF) * b));
    }

    /** Rotates by {@code degrees} about the centre, filling uncovered corners with {@code fill}. */
    static BufferedImage rotate(BufferedImage image, double degrees, Color fill) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = Synth.canvas(w, h, fill);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.drawImage(image, AffineTransform.getRotateInstance(Math.toRadians(degrees), w / 2.0, h / 2.0), null);
        g.dispose();
        return out;
    }

    /**
     * The share of an image's pixels (sampled on a grid of at most 256 per side) that differ by more than 16 levels
     * in a channel from its most common colour: about 0 for a render that shows nothing but its background.
     */
    static double contentShare(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int step = Math.max(1, Math.max(w, h) / 256);
        Map<Integer, Integer> counts = new HashMap<>();
        for (int y = 0; y < h; y += step) {
            for (int x = 0; x < w; x += step) {
                counts.merge(image.getRGB(x, y) & 0xFFFFFF, 1, Integer::sum);
            }
        }
        int background = Collections.max(counts.entrySet(), Map.Entry.comparingByValue()).getKey();
        int sampled = 0;
        int differing = 0;
        for (var entry : counts.entrySet()) {
            int p = entry.getKey();
            sampled += entry.getValue();
            boolean differs = Math.abs((p >> 16 & 0xFF) - (background >> 16 & 0xFF)) > 16
                    || Math.abs((p >> 8 & 0xFF) - (background >> 8 & 0xFF)) > 16
                    || Math.abs((p & 0xFF) - (background & 0xFF)) > 16;
            differing += differs ? entry.getValue() : 0;
        }
        return differing / (double) sampled;
    }

    /** A random crop keeping {@code minShare} to 1 of each side. */
    static BufferedImage crop(BufferedImage image, Random random, double minShare) {
        int w = image.getWidth();
        int h = image.getHeight();
        int cw = Math.max(16, (int) (w * Synth.between(random, minShare, 1.0)));
        int ch = Math.max(16, (int) (h * Synth.between(random, minShare, 1.0)));
        int x = random.nextInt(Math.max(1, w - cw + 1));
        int y = random.nextInt(Math.max(1, h - ch + 1));
        BufferedImage out = new BufferedImage(Math.min(cw, w), Math.min(ch, h), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, -x, -y, null);
        g.dispose();
        return out;
    }

    /** A thin horizontal band across most of the width (a snippet, a toolbar, a few lines). */
    static BufferedImage strip(BufferedImage image, Random random) {
        int w = image.getWidth();
        int h = image.getHeight();
        int sw = Math.max(16, (int) (w * Synth.between(random, 0.6, 1.0)));
        int sh = Math.max(16, Math.min(h, (int) (sw * Synth.between(random, 0.05, 0.25))));
        int x = random.nextInt(Math.max(1, w - sw + 1));
        int y = random.nextInt(Math.max(1, h - sh + 1));
        BufferedImage out = new BufferedImage(Math.min(sw, w), sh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, -x, -y, null);
        g.dispose();
        return out;
    }

    /** Rescales with bilinear interpolation. */
    static BufferedImage resize(BufferedImage image, int w, int h) {
        BufferedImage out = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, out.getWidth(), out.getHeight(), null);
        g.dispose();
        return out;
    }

    /** Encodes as JPEG at {@code quality} (0-1) and decodes again. */
    static BufferedImage jpeg(BufferedImage image, double quality) {
        byte[] bytes = encodeJpeg(image, quality);
        try {
            return intRgb(ImageIO.read(new ByteArrayInputStream(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] encodeJpeg(BufferedImage image, double quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality((float) quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
