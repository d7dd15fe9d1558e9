package dev.crank.workers.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What can be measured about an image without a model, computed on its working-size copy.
 *
 * <ul>
 * <li>{@code brightness}: mean Rec. 601 luma, 0 (black) to 1 (white);
 * <li>{@code contrast}: RMS contrast, the standard deviation of luma (0 to 0.5);
 * <li>{@code scene}: {@code bright} when brightness is at least 0.6 and under a quarter of the
 *     pixels are dark (luma below 0.25), {@code dark} when brightness is under 0.35 and under a
 *     quarter of the pixels are bright (luma above 0.75), otherwise {@code mixed};
 * <li>{@code dominant_colors}: up to five colours (4 bits per channel buckets, reported as the mean
 *     colour of the bucket) covering at least 1 % of the image each, largest share first;
 * <li>{@code edge_density}: share of pixels whose Sobel gradient exceeds 0.15 (a step of about
 *     15 % of full range).
 * </ul>
 */
public record ImageAnalysis(int width, int height, String format, double brightness, double contrast, String scene,
                            List<DominantColor> dominantColors, double edgeDensity) {

    /** One dominant colour and the share of pixels it covers. */
    public record DominantColor(String hex, double share) {}

    static final double EDGE_THRESHOLD = 0.15;
    /**
     * The least squared gradient whose float square root exceeds {@link #EDGE_THRESHOLD}: comparing the square with
     * it counts exactly the pixels that {@code (float) Math.sqrt(dx * dx + dy * dy) > EDGE_THRESHOLD} would.
     */
    private static final float EDGE_THRESHOLD_SQUARED = leastSquareAbove(EDGE_THRESHOLD);

    /** Analyses {@code pixels} (the working copy) of an image {@code width x height} in {@code format}. */
    public static ImageAnalysis of(Pixels pixels, int width, int height, String format) {
        float[] luma = pixels.luma();
        double sum = 0;
        double sq = 0;
        int dark = 0;
        int bright = 0;
        for (float l : luma) {
            sum += l;
            sq += l * l;
            dark += l < 0.25f ? 1 : 0;
            bright += l > 0.75f ? 1 : 0;
        }
        int n = luma.length;
        double brightness = sum / n;
        double contrast = Math.sqrt(Math.max(0, sq / n - brightness * brightness));
        String scene;
        if (brightness >= 0.6 && dark < n / 4.0) {
            scene = "bright";
        } else if (brightness < 0.35 && bright < n / 4.0) {
            scene = "dark";
        } else {
            scene = "mixed";
        }
        double edges = edgeShare(luma, pixels.width(), pixels.height());
        return new ImageAnalysis(width, height, format, round(brightness), round(contrast), scene,
                dominantColors(pixels), round(edges));
    }

    /**
     * Share of all pixels whose Sobel gradient (normalised so that a black-to-white step is about 1) exceeds
     * {@link #EDGE_THRESHOLD}; the one-pixel border has no gradient.
     */
    private static double edgeShare(float[] l, int w, int h) {
        int hits = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int i = y * w + 1, end = y * w + w - 1; i < end; i++) {
                float dx = (l[i - w + 1] + 2 * l[i + 1] + l[i + w + 1] - l[i - w - 1] - 2 * l[i - 1] - l[i + w - 1]) / 4;
                float dy = (l[i + w - 1] + 2 * l[i + w] + l[i + w + 1] - l[i - w - 1] - 2 * l[i - w] - l[i - w + 1]) / 4;
                hits += dx * dx + dy * dy >= EDGE_THRESHOLD_SQUARED ? 1 : 0;
            }
        }
        return (double) hits / l.length;
    }

    private static float leastSquareAbove(double threshold) {
        float square = (float) (threshold * threshold);
        while ((float) Math.sqrt(square) > threshold) {
            square = Math.nextDown(square);
        }
        while ((float) Math.sqrt(square) <= threshold) {
            square = Math.nextUp(square);
        }
        return square;
    }

    private static List<DominantColor> dominantColors(Pixels pixels) {
        int[] counts = new int[4096];
        long[] sums = new long[3 * 4096]; // red, green, blue of each bucket side by side
        for (int p : pixels.rgb()) {
            int r = p >> 16 & 0xFF;
            int g = p >> 8 & 0xFF;
            int b = p & 0xFF;
            int q = (r >> 4) << 8 | (g >> 4) << 4 | (b >> 4);
            counts[q]++;
            sums[3 * q] += r;
            sums[3 * q + 1] += g;
            sums[3 * q + 2] += b;
        }
        List<Integer> buckets = new ArrayList<>();
        for (int q = 0; q < counts.length; q++) {
            if (counts[q] >= pixels.size() / 100.0) {
                buckets.add(q);
            }
        }
        buckets.sort(Comparator.comparingInt((Integer q) -> counts[q]).reversed());
        List<DominantColor> colors = new ArrayList<>();
        for (int q : buckets.subList(0, Math.min(5, buckets.size()))) {
            int c = counts[q];
            String hex = String.format(Locale.ROOT, "#%02x%02x%02x", sums[3 * q] / c, sums[3 * q + 1] / c, sums[3 * q + 2] / c);
            colors.add(new DominantColor(hex, round((double) c / pixels.size())));
        }
        return colors;
    }

    /** The {@code analysis} object of the response. */
    public ObjectNode toJson() {
        ObjectNode json = CrankJson.object()
                .put("width", width)
                .put("height", height)
                .put("format", format)
                .put("brightness", brightness)
                .put("contrast", contrast)
                .put("scene", scene);
        ArrayNode colors = json.putArray("dominant_colors");
        dominantColors.forEach(color -> colors.addObject().put("hex", color.hex()).put("share", color.share()));
        json.put("edge_density", edgeDensity);
        return json;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
