package dev.crank.workers.image;

import static java.util.Objects.requireNonNull;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * An opaque RGB raster ({@code 0xRRGGBB} per pixel, row by row). Transparent pixels are
 * composited over white, grey images keep their stored values, and resizing averages areas when
 * shrinking (so thin strokes and text fade to grey instead of vanishing) and interpolates
 * bilinearly when enlarging.
 */
public final class Pixels {

    private final int width;
    private final int height;
    private final int[] rgb;
    private float[] luma;

    private Pixels(int width, int height, int[] rgb) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("size: " + width + "x" + height + " (expected: at least 1x1)");
        }
        if (rgb.length != width * height) {
            throw new IllegalArgumentException("rgb: " + rgb.length + " pixels (expected: " + width * height + ")");
        }
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    /** Wraps {@code rgb} ({@code 0xRRGGBB}, the upper byte ignored) without copying. */
    public static Pixels wrap(int width, int height, int[] rgb) {
        return new Pixels(width, height, requireNonNull(rgb, "rgb"));
    }

    /** The image as opaque RGB, scaled so that its longer side is {@code longSide} pixels. */
    public static Pixels of(BufferedImage image, int longSide) {
        Pixels full = of(image);
        double scale = (double) longSide / Math.max(full.width, full.height);
        int w = Math.max(1, (int) Math.round(full.width * scale));
        int h = Math.max(1, (int) Math.round(full.height * scale));
        return full.resized(w, h);
    }

    /** The image as opaque RGB at its own size. */
    public static Pixels of(BufferedImage image) {
        requireNonNull(image, "image");
        int w = image.getWidth();
        int h = image.getHeight();
        int[] out = new int[w * h];
        Raster raster = image.getRaster();
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY && raster.getNumBands() <= 2) {
            // getRGB would treat the stored grey levels as linear light and brighten them.
            double max = (1 << image.getColorModel().getComponentSize(0)) - 1;
            boolean alpha = raster.getNumBands() == 2;
            double alphaMax = alpha ? (1 << image.getColorModel().getComponentSize(1)) - 1 : 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double g = raster.getSample(x, y, 0) / max * 255;
                    if (alpha) {
                        double a = raster.getSample(x, y, 1) / alphaMax;
                        g = g * a + 255 * (1 - a);
                    }
                    int v = clamp((int) Math.round(g));
                    out[y * w + x] = v << 16 | v << 8 | v;
                }
            }
        } else if (directCopy(image, out)) {
            return new Pixels(w, h, out);
        } else {
            image.getRGB(0, 0, w, h, out, 0, w);
            if (image.getColorModel().hasAlpha()) {
                for (int i = 0; i < out.length; i++) {
                    out[i] = overWhite(out[i]);
                }
            } else {
                for (int i = 0; i < out.length; i++) {
                    out[i] &= 0xFFFFFF;
                }
            }
        }
        return new Pixels(w, h, out);
    }

    /** Copies the common opaque layouts straight from their buffers (getRGB converts pixel by pixel). */
    private static boolean directCopy(BufferedImage image, int[] out) {
        int type = image.getType();
        if (type != BufferedImage.TYPE_INT_RGB && type != BufferedImage.TYPE_3BYTE_BGR) {
            return false;
        }
        Raster raster = image.getRaster();
        if (raster.getParent() != null || raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0) {
            return false;
        }
        if (type == BufferedImage.TYPE_INT_RGB && raster.getDataBuffer() instanceof DataBufferInt ints
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel model
                && model.getScanlineStride() == image.getWidth() && ints.getNumBanks() == 1 && ints.getOffset() == 0) {
            int[] data = ints.getData();
            for (int i = 0; i < out.length; i++) {
                out[i] = data[i] & 0xFFFFFF;
            }
            return true;
        }
        if (type == BufferedImage.TYPE_3BYTE_BGR && raster.getDataBuffer() instanceof DataBufferByte bytes
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel model
                && model.getScanlineStride() == image.getWidth() * 3 && model.getPixelStride() == 3
                && bytes.getNumBanks() == 1 && bytes.getOffset() == 0) {
            byte[] data = bytes.getData();
            int[] offsets = model.getBandOffsets();
            for (int i = 0, j = 0; i < out.length; i++, j += 3) {
                out[i] = (data[j + offsets[0]] & 0xFF) << 16 | (data[j + offsets[1]] & 0xFF) << 8 | (data[j + offsets[2]] & 0xFF);
            }
            return true;
        }
        return false;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int size() {
        return rgb.length;
    }

    /** The pixels, {@code 0xRRGGBB}, row by row; do not modify. */
    public int[] rgb() {
        return rgb;
    }

    /** Rec. 601 luma in [0, 1] per pixel (computed once). */
    public float[] luma() {
        float[] l = luma;
        if (l == null) {
            l = new float[rgb.length];
            for (int i = 0; i < rgb.length; i++) {
                int p = rgb[i];
                l[i] = (0.299f * (p >> 16 & 0xFF) + 0.587f * (p >> 8 & 0xFF) + 0.114f * (p & 0xFF)) / 255f;
            }
            luma = l;
        }
        return l;
    }

    /** A copy scaled to {@code w x h}: area average when shrinking, bilinear when enlarging (per axis). */
    public Pixels resized(int w, int h) {
        if (w == width && h == height) {
            return this;
        }
        float[][] rows = resampleRows(rgb, width, height, Kernel.of(width, w));
        Kernel down = Kernel.of(height, h);
        float[] red = resampleColumns(rows[0], w, down);
        float[] green = resampleColumns(rows[1], w, down);
        float[] blue = resampleColumns(rows[2], w, down);
        int[] out = new int[w * h];
        for (int i = 0; i < out.length; i++) {
            out[i] = clamp(Math.round(red[i])) << 16 | clamp(Math.round(green[i])) << 8 | clamp(Math.round(blue[i]));
        }
        return new Pixels(w, h, out);
    }

    /** Resamples every row of {@code rgb} from {@code sw} samples by {@code kernel}: red, green and blue planes. */
    private static float[][] resampleRows(int[] rgb, int sw, int sh, Kernel kernel) {
        int dw = kernel.indices().length;
        float[] red = new float[dw * sh];
        float[] green = new float[dw * sh];
        float[] blue = new float[dw * sh];
        for (int y = 0; y < sh; y++) {
            int from = y * sw;
            int to = y * dw;
            for (int d = 0; d < dw; d++) {
                float r = 0;
                float g = 0;
                float b = 0;
                int[] idx = kernel.indices()[d];
                float[] wt = kernel.weights()[d];
                for (int k = 0; k < idx.length; k++) {
                    int p = rgb[from + idx[k]];
                    float weight = wt[k];
                    r += (p >> 16 & 0xFF) * weight;
                    g += (p >> 8 & 0xFF) * weight;
                    b += (p & 0xFF) * weight;
                }
                red[to + d] = r;
                green[to + d] = g;
                blue[to + d] = b;
            }
        }
        return new float[][] {red, green, blue};
    }

    /**
     * Resamples every column from {@code sh} to {@code dh} samples, a whole output row at a time (reading the
     * source row by row, not column by column down a stride); each sample sums its terms in the kernel's order,
     * as {@link #resampleRows} does.
     */
    private static float[] resampleColumns(float[] src, int w, Kernel kernel) {
        int dh = kernel.indices().length;
        float[] out = new float[w * dh];
        for (int d = 0; d < dh; d++) {
            int[] idx = kernel.indices()[d];
            float[] wt = kernel.weights()[d];
            int row = d * w;
            for (int k = 0; k < idx.length; k++) {
                int from = idx[k] * w;
                float weight = wt[k];
                for (int x = 0; x < w; x++) {
                    out[row + x] += src[from + x] * weight;
                }
            }
        }
        return out;
    }

    /** Precomputed source indices and weights for one axis. */
    private record Kernel(int[][] indices, float[][] weights) {

        static Kernel of(int sourceSize, int targetSize) {
            int[][] indices = new int[targetSize][];
            float[][] weights = new float[targetSize][];
            double step = (double) sourceSize / targetSize;
            for (int d = 0; d < targetSize; d++) {
                if (step >= 1) {
                    double start = d * step;
                    double end = Math.min(sourceSize, start + step);
                    int first = (int) Math.floor(start);
                    int last = Math.min(sourceSize - 1, (int) Math.ceil(end) - 1);
                    indices[d] = new int[last - first + 1];
                    weights[d] = new float[last - first + 1];
                    for (int s = first; s <= last; s++) {
                        double overlap = Math.min(end, s + 1) - Math.max(start, s);
                        indices[d][s - first] = s;
                        weights[d][s - first] = (float) (overlap / step);
                    }
                } else {
                    double center = Math.max(0, Math.min(sourceSize - 1, (d + 0.5) * step - 0.5));
                    int left = (int) Math.floor(center);
                    int right = Math.min(sourceSize - 1, left + 1);
                    float t = (float) (center - left);
                    indices[d] = new int[] {left, right};
                    weights[d] = new float[] {1 - t, t};
                }
            }
            return new Kernel(indices, weights);
        }
    }

    private static int overWhite(int argb) {
        int a = argb >>> 24;
        if (a == 255) {
            return argb & 0xFFFFFF;
        }
        int r = (argb >> 16 & 0xFF) * a / 255 + 255 - a;
        int g = (argb >> 8 & 0xFF) * a / 255 + 255 - a;
        int b = (argb & 0xFF) * a / 255 + 255 - a;
        return r << 16 | g << 8 | b;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }
}
