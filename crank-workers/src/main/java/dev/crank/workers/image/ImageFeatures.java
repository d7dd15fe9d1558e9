package dev.crank.workers.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The hand-made description of an image that the default model classifies: tone, colour, flat
 * areas, edges and their orientation, and the layout of "ink" (whatever differs from the
 * background): text lines, strokes, long rules. Every feature is size-independent because the
 * image is first scaled to {@link #WORKING_SIZE} on its longer side.
 *
 * <p>A model is trained for one {@link #VERSION}; change any feature and the version must move
 * (and the default model be trained again).
 */
public final class ImageFeatures {

    /** Bump when any feature changes; models record the version they were trained on. */
    public static final int VERSION = 1;
    /** The longer side, in pixels, that features are computed at. */
    public static final int WORKING_SIZE = 512;

    private static final int BLOCK = 8;
    private static final int INK_DISTANCE = 60;

    /** The feature names, in vector order. */
    public static final List<String> NAMES = List.copyOf(new Extraction(Pixels.wrap(16, 16, new int[256])).run().names);
    public static final int COUNT = NAMES.size();

    private ImageFeatures() {}

    /** The feature vector of {@code pixels}, which must already be at working size. */
    public static float[] extract(Pixels pixels) {
        if (Math.max(pixels.width(), pixels.height()) != WORKING_SIZE) {
            throw new IllegalArgumentException("pixels: " + pixels.width() + "x" + pixels.height()
                    + " (expected: longer side " + WORKING_SIZE + ")");
        }
        Extraction extraction = new Extraction(pixels).run();
        float[] out = new float[extraction.values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = extraction.values.get(i);
        }
        return out;
    }

    /** One pass over one image; collects names and values side by side. */
    private static final class Extraction {
        private final Pixels pixels;
        private final int w;
        private final int h;
        private final int n;
        private final int[] rgb;
        private final float[] luma;
        private final List<String> names = new ArrayList<>();
        private final List<Float> values = new ArrayList<>();

        Extraction(Pixels pixels) {
            this.pixels = pixels;
            this.w = pixels.width();
            this.h = pixels.height();
            this.n = pixels.size();
            this.rgb = pixels.rgb();
            this.luma = pixels.luma();
        }

        private void add(String name, double value) {
            names.add(name);
            values.add(Double.isFinite(value) ? (float) value : 0f);
        }

        Extraction run() {
            add("aspect_log", Math.log((double) w / h));
            tone();
            int background = colour();
            flatness(background);
            edges();
            ink(background);
            return this;
        }

        private void tone() {
            int[] hist = new int[256];
            double sum = 0;
            double sq = 0;
            int bright = 0;
            int dark = 0;
            for (float l : luma) {
                hist[Math.min(255, (int) (l * 255 + 0.5f))]++;
                sum += l;
                sq += l * l;
                bright += l > 0.9f ? 1 : 0;
                dark += l < 0.1f ? 1 : 0;
            }
            double mean = sum / n;
            add("luma_mean", mean);
            add("luma_std", Math.sqrt(Math.max(0, sq / n - mean * mean)));
            for (double q : new double[] {0.02, 0.10, 0.50, 0.90, 0.98}) {
                add("luma_p" + Math.round(q * 100), percentile(hist, n, q) / 255.0);
            }
            add("luma_bright_share", (double) bright / n);
            add("luma_dark_share", (double) dark / n);
            int[] coarse = new int[8];
            int[] fine = new int[32];
            for (int v = 0; v < 256; v++) {
                coarse[v >> 5] += hist[v];
                fine[v >> 3] += hist[v];
            }
            for (int b = 0; b < 8; b++) {
                add("luma_hist_" + b, (double) coarse[b] / n);
            }
            add("luma_entropy", entropy(fine, n) / 5.0);
        }

        /** Colour statistics; returns the background colour (mean of the most common 4-bit colour). */
        private int colour() {
            int[] counts = new int[4096];
            long[][] sums = new long[4096][3];
            double chromaSum = 0;
            double chromaSq = 0;
            int chromatic = 0;
            int vivid = 0;
            int[] hues = new int[12];
            for (int p : rgb) {
                int r = p >> 16 & 0xFF;
                int g = p >> 8 & 0xFF;
                int b = p & 0xFF;
                int q = (r >> 4) << 8 | (g >> 4) << 4 | (b >> 4);
                counts[q]++;
                sums[q][0] += r;
                sums[q][1] += g;
                sums[q][2] += b;
                int max = Math.max(r, Math.max(g, b));
                int min = Math.min(r, Math.min(g, b));
                double chroma = (max - min) / 255.0;
                chromaSum += chroma;
                chromaSq += chroma * chroma;
                if (chroma > 0.15) {
                    chromatic++;
                    hues[hueSector(r, g, b, max, min)]++;
                }
                vivid += chroma > 0.4 ? 1 : 0;
            }
            double chromaMean = chromaSum / n;
            add("chroma_mean", chromaMean);
            add("chroma_std", Math.sqrt(Math.max(0, chromaSq / n - chromaMean * chromaMean)));
            add("chroma_share", (double) chromatic / n);
            add("vivid_share", (double) vivid / n);
            add("hue_entropy", chromatic == 0 ? 0 : entropy(hues, chromatic) / log2(12));

            int distinct = 0;
            int significant = 0;
            for (int c : counts) {
                distinct += c > 0 ? 1 : 0;
                significant += c >= n / 1000 + 1 ? 1 : 0;
            }
            int[] sorted = counts.clone();
            Arrays.sort(sorted);
            add("colours_distinct", log2(distinct) / 12);
            add("colours_significant", log2(significant) / 12);
            add("colour_top1_share", (double) sorted[4095] / n);
            add("colour_top3_share", (double) (sorted[4095] + sorted[4094] + sorted[4093]) / n);
            int top8 = 0;
            for (int i = 0; i < 8; i++) {
                top8 += sorted[4095 - i];
            }
            add("colour_top8_share", (double) top8 / n);
            add("colour_entropy", entropy(counts, n) / 12);

            int best = 0;
            for (int q = 1; q < 4096; q++) {
                if (counts[q] > counts[best]) {
                    best = q;
                }
            }
            int c = counts[best];
            return (int) (sums[best][0] / c) << 16 | (int) (sums[best][1] / c) << 8 | (int) (sums[best][2] / c);
        }

        private void flatness(int background) {
            int pairs = 0;
            int equal = 0;
            int close = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    if (x + 1 < w) {
                        int d = channelDistance(rgb[i], rgb[i + 1]);
                        pairs++;
                        equal += d <= 2 ? 1 : 0;
                        close += d <= 8 ? 1 : 0;
                    }
                    if (y + 1 < h) {
                        int d = channelDistance(rgb[i], rgb[i + w]);
                        pairs++;
                        equal += d <= 2 ? 1 : 0;
                        close += d <= 8 ? 1 : 0;
                    }
                }
            }
            add("neighbours_equal", pairs == 0 ? 1 : (double) equal / pairs);
            add("neighbours_close", pairs == 0 ? 1 : (double) close / pairs);

            int bw = Math.max(1, w / BLOCK);
            int bh = Math.max(1, h / BLOCK);
            int blocks = bw * bh;
            int veryFlat = 0;
            int flat = 0;
            int busy = 0;
            int veryBusy = 0;
            int flatColoured = 0;
            int flatForeign = 0;
            int gentle = 0;
            float bgLuma = luma(background);
            for (int by = 0; by < bh; by++) {
                for (int bx = 0; bx < bw; bx++) {
                    double sum = 0;
                    double sq = 0;
                    double chroma = 0;
                    int count = 0;
                    for (int y = by * BLOCK; y < Math.min(h, (by + 1) * BLOCK); y++) {
                        for (int x = bx * BLOCK; x < Math.min(w, (bx + 1) * BLOCK); x++) {
                            float l = luma[y * w + x];
                            sum += l;
                            sq += l * l;
                            chroma += chroma(rgb[y * w + x]);
                            count++;
                        }
                    }
                    double mean = sum / count;
                    double std = Math.sqrt(Math.max(0, sq / count - mean * mean));
                    veryFlat += std < 0.008 ? 1 : 0;
                    gentle += std >= 0.008 && std < 0.05 ? 1 : 0;
                    busy += std > 0.1 ? 1 : 0;
                    veryBusy += std > 0.2 ? 1 : 0;
                    if (std < 0.025) {
                        flat++;
                        flatColoured += chroma / count > 0.2 ? 1 : 0;
                        flatForeign += Math.abs(mean - bgLuma) > 0.15 ? 1 : 0;
                    }
                }
            }
            add("blocks_very_flat", (double) veryFlat / blocks);
            add("blocks_flat", (double) flat / blocks);
            add("blocks_gentle", (double) gentle / blocks);
            add("blocks_busy", (double) busy / blocks);
            add("blocks_very_busy", (double) veryBusy / blocks);
            add("blocks_flat_coloured", (double) flatColoured / blocks);
            add("blocks_flat_foreign", (double) flatForeign / blocks);

            int[] laplace = new int[1001];
            int inner = 0;
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    int i = y * w + x;
                    float lap = Math.abs(4 * luma[i] - luma[i - 1] - luma[i + 1] - luma[i - w] - luma[i + w]);
                    laplace[Math.min(1000, (int) (lap * 250))]++;
                    inner++;
                }
            }
            add("laplace_median", inner == 0 ? 0 : percentile(laplace, inner, 0.5) / 250.0 * 10);
            add("laplace_p90", inner == 0 ? 0 : percentile(laplace, inner, 0.9) / 250.0 * 4);
        }

        private void edges() {
            SobelGradient full = SobelGradient.of(luma, w, h);
            add("gradient_mean", full.mean() * 4);
            add("edges_weak", full.share(0.05));
            add("edges_medium", full.share(0.15));
            add("edges_strong", full.share(0.4));
            add("gradients_smooth", full.smoothShare());
            double[] orientation = full.orientation();
            for (int b = 0; b < orientation.length; b++) {
                add("edge_orientation_" + b * 45 / 2, orientation[b]);
            }
            add("edges_axis_aligned", orientation[0] + orientation[4]);
            Pixels half = pixels.resized(Math.max(1, w / 2), Math.max(1, h / 2));
            SobelGradient coarse = SobelGradient.of(half.luma(), half.width(), half.height());
            add("edges_medium_half", coarse.share(0.15));
            add("edges_centre_vs_border", full.centreVersusBorder());
        }

        private void ink(int background) {
            boolean[] ink = new boolean[n];
            int inkCount = 0;
            int[] rowInk = new int[h];
            int[] colInk = new int[w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    if (channelDistance(rgb[i], background) > INK_DISTANCE) {
                        ink[i] = true;
                        inkCount++;
                        rowInk[y]++;
                        colInk[x]++;
                    }
                }
            }
            add("ink_share", (double) inkCount / n);
            add("ink_rows", share(rowInk, w * 0.005));
            add("ink_columns", share(colInk, h * 0.005));
            add("ink_row_transitions", transitions(rowInk, w * 0.005) / (double) h * 10);
            add("ink_column_transitions", transitions(colInk, h * 0.005) / (double) w * 10);
            add("ink_row_periodicity", periodicity(rowInk));
            add("ink_column_periodicity", periodicity(colInk));
            add("border_background_share", borderBackground(ink));

            InkComponents components = InkComponents.of(ink, w, h);
            add("components_density", components.count / (double) n * 1000);
            add("components_small_share", components.count == 0 ? 0 : (double) components.small / components.count);
            add("components_line_share", components.count == 0 ? 0 : (double) components.lines / components.count);
            add("components_median_area", components.count == 0 ? 0 : log2(1 + components.medianArea) / log2(n));
            add("components_largest_share", inkCount == 0 ? 0 : (double) components.largest / inkCount);
            add("components_fill", components.fill);
            add("components_text_height", components.textHeight / h * 20);

            add("long_runs_rows", longRuns(ink, true, w / 4));
            add("long_runs_columns", longRuns(ink, false, h / 4));
            add("flat_runs_rows", flatRuns(background, true, w / 4));
            add("flat_runs_columns", flatRuns(background, false, h / 4));

            double top = 0;
            double bottom = 0;
            int third = Math.max(1, h / 3);
            for (int y = 0; y < third; y++) {
                for (int x = 0; x < w; x++) {
                    top += luma[y * w + x];
                    bottom += luma[(h - 1 - y) * w + x];
                }
            }
            add("top_minus_bottom", (top - bottom) / (third * (double) w));
        }

        private double borderBackground(boolean[] ink) {
            int band = Math.max(1, Math.min(w, h) / 12);
            int total = 0;
            int clear = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (x < band || y < band || x >= w - band || y >= h - band) {
                        total++;
                        clear += ink[y * w + x] ? 0 : 1;
                    }
                }
            }
            return total == 0 ? 0 : (double) clear / total;
        }

        /** Share of rows (or columns) holding an ink run at least {@code length} long. */
        private double longRuns(boolean[] ink, boolean rows, int length) {
            int lines = rows ? h : w;
            int span = rows ? w : h;
            int hits = 0;
            for (int a = 0; a < lines; a++) {
                int run = 0;
                int best = 0;
                for (int b = 0; b < span; b++) {
                    int i = rows ? a * w + b : b * w + a;
                    run = ink[i] ? run + 1 : 0;
                    best = Math.max(best, run);
                }
                hits += best >= length ? 1 : 0;
            }
            return (double) hits / lines;
        }

        /** Share of rows (or columns) holding a run of one non-background colour at least {@code length} long. */
        private double flatRuns(int background, boolean rows, int length) {
            int lines = rows ? h : w;
            int span = rows ? w : h;
            int hits = 0;
            for (int a = 0; a < lines; a++) {
                int run = 1;
                int best = 0;
                for (int b = 1; b < span; b++) {
                    int i = rows ? a * w + b : b * w + a;
                    int prev = rows ? i - 1 : i - w;
                    boolean same = channelDistance(rgb[i], rgb[prev]) <= 6 && channelDistance(rgb[i], background) > 24;
                    run = same ? run + 1 : 1;
                    best = Math.max(best, run);
                }
                hits += best >= length ? 1 : 0;
            }
            return (double) hits / lines;
        }
    }

    static double percentile(int[] hist, int total, double q) {
        long target = (long) Math.ceil(q * total);
        long seen = 0;
        for (int v = 0; v < hist.length; v++) {
            seen += hist[v];
            if (seen >= target && seen > 0) {
                return v;
            }
        }
        return hist.length - 1;
    }

    static double entropy(int[] counts, int total) {
        double e = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / total;
                e -= p * log2(p);
            }
        }
        return e;
    }

    private static double share(int[] profile, double threshold) {
        int hits = 0;
        for (int v : profile) {
            hits += v > threshold ? 1 : 0;
        }
        return (double) hits / profile.length;
    }

    private static int transitions(int[] profile, double threshold) {
        int count = 0;
        for (int i = 1; i < profile.length; i++) {
            if (profile[i] > threshold != profile[i - 1] > threshold) {
                count++;
            }
        }
        return count;
    }

    /**
     * How regularly the ink profile repeats: the highest autocorrelation after the first dip, for
     * periods up to a quarter of the length (text lines score high, a single shape low).
     */
    static double periodicity(int[] profile) {
        int len = profile.length;
        double mean = 0;
        for (int v : profile) {
            mean += v;
        }
        mean /= len;
        double var = 0;
        for (int v : profile) {
            var += (v - mean) * (v - mean);
        }
        if (var <= 1e-9) {
            return 0;
        }
        int maxLag = Math.max(2, len / 4);
        double previous = 1;
        boolean dipped = false;
        double best = 0;
        for (int lag = 1; lag <= maxLag; lag++) {
            double r = 0;
            for (int i = 0; i + lag < len; i++) {
                r += (profile[i] - mean) * (profile[i + lag] - mean);
            }
            r /= var;
            if (!dipped && r > previous) {
                dipped = true;
            }
            if (dipped) {
                best = Math.max(best, r);
            }
            previous = r;
        }
        return best;
    }

    private static int hueSector(int r, int g, int b, int max, int min) {
        double d = max - min;
        double hue;
        if (max == r) {
            hue = ((g - b) / d + 6) % 6;
        } else if (max == g) {
            hue = (b - r) / d + 2;
        } else {
            hue = (r - g) / d + 4;
        }
        return Math.min(11, (int) (hue * 2));
    }

    static int channelDistance(int a, int b) {
        int dr = Math.abs((a >> 16 & 0xFF) - (b >> 16 & 0xFF));
        int dg = Math.abs((a >> 8 & 0xFF) - (b >> 8 & 0xFF));
        int db = Math.abs((a & 0xFF) - (b & 0xFF));
        return Math.max(dr, Math.max(dg, db));
    }

    static double chroma(int p) {
        int r = p >> 16 & 0xFF;
        int g = p >> 8 & 0xFF;
        int b = p & 0xFF;
        return (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b))) / 255.0;
    }

    static float luma(int p) {
        return (0.299f * (p >> 16 & 0xFF) + 0.587f * (p >> 8 & 0xFF) + 0.114f * (p & 0xFF)) / 255f;
    }

    private static double log2(double v) {
        return v <= 0 ? 0 : Math.log(v) / Math.log(2);
    }
}
