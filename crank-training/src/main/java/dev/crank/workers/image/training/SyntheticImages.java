package dev.crank.workers.image.training;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/**
 * Generates labelled images for training and evaluating the default model: one painter per label,
 * then what happens to images in the wild (crops, rescaling, skew, noise, JPEG compression).
 * Deterministic: the same seed, label and index always give the same image.
 *
 * <pre>{@code
 * BufferedImage chart = SyntheticImages.generate("chart", 42L, 7);
 * }</pre>
 */
public final class SyntheticImages {

    /** The labels of the default model, in output order. */
    public static final List<String> LABELS = List.of("document", "diagram", "chart", "screenshot", "photo", "blank");

    private SyntheticImages() {}

    /** Image number {@code index} of {@code label} for {@code seed}. */
    public static BufferedImage generate(String label, long seed, int index) {
        int labelIndex = LABELS.indexOf(label);
        if (labelIndex < 0) {
            throw new IllegalArgumentException("label: '" + label + "' (expected one of " + LABELS + ")");
        }
        Random random = new Random(seed * 1_000_003L + labelIndex * 7_919L + index * 104_729L);
        return augment(label, paint(label, random), random);
    }

    private static BufferedImage paint(String label, Random random) {
        return switch (label) {
            case "document" -> DocumentPainter.paint(random);
            case "diagram" -> DiagramPainter.paint(random);
            case "chart" -> ChartPainter.paint(random);
            case "screenshot" -> ScreenshotPainter.paint(random);
            case "photo" -> PhotoPainter.paint(random);
            default -> BlankPainter.paint(random);
        };
    }

    /** {@code crop} unless it is nearly uniform (luma spread under 0.04), then {@code original}. */
    private static BufferedImage withContent(BufferedImage original, BufferedImage crop) {
        int[] rgb = Filters.data(crop);
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int i = 0; i < rgb.length; i += 3) {
            double l = ((rgb[i] >> 16 & 0xFF) * 0.299 + (rgb[i] >> 8 & 0xFF) * 0.587 + (rgb[i] & 0xFF) * 0.114) / 255;
            sum += l;
            sq += l * l;
            n++;
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sq / n - mean * mean)) < 0.04 ? original : crop;
    }

    private static BufferedImage augment(String label, BufferedImage image, Random random) {
        BufferedImage out = image;
        double crop = switch (label) {
            case "document", "screenshot" -> 0.25;
            case "photo" -> 0.3;
            case "blank" -> 0;
            default -> 0.15;
        };
        // A crop of an empty region would be a blank image under another label: keep only crops with content.
        if (random.nextDouble() < crop) {
            out = withContent(out, Filters.crop(out, random, label.equals("document") || label.equals("screenshot") ? 0.4 : 0.6));
        }
        if ((label.equals("screenshot") || label.equals("document")) && random.nextDouble() < 0.12) {
            out = withContent(out, Filters.strip(out, random));
        }
        if (label.equals("document") && random.nextDouble() < 0.35) {
            Color fill = new Color(out.getRGB(1, 1));
            out = Filters.rotate(out, Synth.between(random, -3.0, 3.0), fill);
            if (random.nextBoolean()) {
                Filters.blur(out, 1);
            }
            Filters.noise(out, random, Synth.between(random, 1.0, 6.0), 0.1);
        } else if (!label.equals("photo") && !label.equals("blank") && random.nextDouble() < 0.1) {
            Filters.noise(out, random, Synth.between(random, 0.5, 3.0), 0.3);
        }
        if (random.nextDouble() < 0.25) {
            double factor = Synth.between(random, 0.35, 0.9);
            out = Filters.resize(out, (int) (out.getWidth() * factor), (int) (out.getHeight() * factor));
        }
        double jpeg = switch (label) {
            case "photo" -> 0.85;
            case "document", "blank" -> 0.4;
            default -> 0.3;
        };
        if (random.nextDouble() < jpeg) {
            out = Filters.jpeg(out, Synth.between(random, 0.45, 0.95));
        }
        return out;
    }
}
