package dev.crank.workers.image.training;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/** Random choices shared by the painters: colours, palettes, fonts, words, canvases. */
final class Synth {

    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ro", "ta", "shi", "ver", "an", "el", "con", "pro",
        "ment", "tion", "sta", "ble", "re", "de", "in", "ter", "for", "ma", "ti", "cal", "ous", "ing", "er", "ly", "pre",
        "com", "sub", "ex", "it", "at", "on", "the", "and", "of", "to", "is", "data", "sys", "net", "work", "val", "ue"};
    private static final String[] COMMON = {"the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "with",
        "was", "on", "by", "this", "are", "be", "from", "or", "at", "an", "which", "we", "not", "can", "all", "their"};
    /** The logical families, then the installed ones in sorted order (the same list in every JVM). */
    static final List<String> FAMILIES = availableFamilies();

    /** Named palettes in the spirit of common charting and UI toolkits. */
    static final int[][] PALETTES = {
        {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac},
        {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf},
        {0x4472c4, 0xed7d31, 0xa5a5a5, 0xffc000, 0x5b9bd5, 0x70ad47, 0x264478, 0x9e480e},
        {0x8dd3c7, 0xffffb3, 0xbebada, 0xfb8072, 0x80b1d3, 0xfdb462, 0xb3de69, 0xfccde5},
        {0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725, 0x31688e, 0x35b779},
        {0x08306b, 0x08519c, 0x2171b5, 0x4292c6, 0x6baed6, 0x9ecae1, 0xc6dbef},
        {0xe41a1c, 0x377eb8, 0x4daf4a, 0x984ea3, 0xff7f00, 0xa65628, 0xf781bf},
        {0x003f5c, 0x2f4b7c, 0x665191, 0xa05195, 0xd45087, 0xf95d6a, 0xff7c43, 0xffa600},
    };

    private Synth() {}

    static BufferedImage canvas(int w, int h, Color background) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return image;
    }

    /** Graphics with a random mix of antialiasing settings (screens, print and scans differ). */
    static Graphics2D graphics(BufferedImage image, Random random) {
        Graphics2D g = image.createGraphics();
        boolean smooth = random.nextDouble() < 0.85;
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING,
                smooth ? RenderingHints.VALUE_ANTIALIAS_ON : RenderingHints.VALUE_ANTIALIAS_OFF);
        Object text;
        double t = random.nextDouble();
        if (t < 0.6) {
            text = RenderingHints.VALUE_TEXT_ANTIALIAS_ON;
        } else if (t < 0.8) {
            text = RenderingHints.VALUE_TEXT_ANTIALIAS_LCD_HRGB;
        } else {
            text = RenderingHints.VALUE_TEXT_ANTIALIAS_OFF;
        }
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, text);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        return g;
    }

    static Font font(Random random, float size, boolean mono) {
        String family;
        if (mono) {
            family = pick(random, List.of("Monospaced", "DejaVu Sans Mono", "DialogInput"));
        } else {
            family = FAMILIES.get(random.nextInt(FAMILIES.size()));
        }
        int style = random.nextDouble() < 0.15 ? Font.BOLD : random.nextDouble() < 0.08 ? Font.ITALIC : Font.PLAIN;
        Font font = new Font(family, style, 12).deriveFont(size);
        double condense = 0.8 + random.nextDouble() * 0.35;
        if (Math.abs(condense - 1) > 0.05 && random.nextDouble() < 0.4) {
            font = font.deriveFont(AffineTransform.getScaleInstance(condense, 1));
        }
        return font;
    }

    static Font font(String family, int style, float size) {
        return new Font(family, style, 12).deriveFont(size);
    }

    static String familyOf(Random random, boolean serif) {
        List<String> serifs = FAMILIES.stream().filter(f -> f.toLowerCase(Locale.ROOT).contains("serif")
                && !f.toLowerCase(Locale.ROOT).contains("sans")).toList();
        List<String> sans = FAMILIES.stream().filter(f -> !serifs.contains(f)).toList();
        List<String> pool = serif && !serifs.isEmpty() ? serifs : sans;
        return pool.get(random.nextInt(pool.size()));
    }

    static String word(Random random) {
        if (random.nextDouble() < 0.35) {
            return COMMON[random.nextInt(COMMON.length)];
        }
        int parts = 1 + random.nextInt(3);
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            w.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
        }
        return w.toString();
    }

    static String words(Random random, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                text.append(' ');
            }
            String w = word(random);
            if (i == 0 || random.nextDouble() < 0.05) {
                w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
            }
            text.append(w);
            if (i < count - 1 && random.nextDouble() < 0.06) {
                text.append(random.nextBoolean() ? "," : ".");
            }
        }
        return text.toString();
    }

    static String title(Random random, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String w = word(random);
            text.append(i == 0 ? "" : " ").append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
        }
        return text.toString();
    }

    static String number(Random random) {
        double v = Math.pow(10, random.nextInt(5)) * random.nextDouble();
        return random.nextBoolean() ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static <T> T pick(Random random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    static int[] palette(Random random) {
        return PALETTES[random.nextInt(PALETTES.length)];
    }

    static Color rgb(int rgb) {
        return new Color(rgb);
    }

    static Color gray(int level) {
        int v = Math.max(0, Math.min(255, level));
        return new Color(v, v, v);
    }

    static Color jitter(Color c, Random random, int amount) {
        return new Color(clamp(c.getRed() + random.nextInt(2 * amount + 1) - amount),
                clamp(c.getGreen() + random.nextInt(2 * amount + 1) - amount),
                clamp(c.getBlue() + random.nextInt(2 * amount + 1) - amount));
    }

    static Color hsb(double hue, double saturation, double brightness) {
        return Color.getHSBColor((float) hue, (float) Math.max(0, Math.min(1, saturation)), (float) Math.max(0, Math.min(1, brightness)));
    }

    static Color pastel(Random random) {
        return hsb(random.nextDouble(), 0.08 + random.nextDouble() * 0.25, 0.9 + random.nextDouble() * 0.1);
    }

    static Color vivid(Random random) {
        return hsb(random.nextDouble(), 0.5 + random.nextDouble() * 0.5, 0.55 + random.nextDouble() * 0.45);
    }

    static Color paper(Random random) {
        double p = random.nextDouble();
        if (p < 0.55) {
            return Color.WHITE;
        } else if (p < 0.75) {
            return gray(240 + random.nextInt(16));
        } else if (p < 0.9) {
            return new Color(245 + random.nextInt(11), 238 + random.nextInt(14), 220 + random.nextInt(20));
        }
        return gray(205 + random.nextInt(35));
    }

    static Color ink(Random random) {
        double p = random.nextDouble();
        if (p < 0.7) {
            return gray(random.nextInt(60));
        } else if (p < 0.85) {
            return new Color(random.nextInt(40), random.nextInt(40), 60 + random.nextInt(80));
        }
        return gray(60 + random.nextInt(50));
    }

    static BasicStroke stroke(float width) {
        return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    static BasicStroke dashed(float width, float dash) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {dash, dash}, 0);
    }

    static int between(Random random, int min, int max) {
        return min + random.nextInt(Math.max(1, max - min + 1));
    }

    static double between(Random random, double min, double max) {
        return min + random.nextDouble() * (max - min);
    }

    static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }

    private static List<String> availableFamilies() {
        // Sorted: Set.of iterates in an order that changes from one JVM to the next, and so did the paintings.
        Set<String> installed = new TreeSet<>(List.of(
                GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames(Locale.ROOT)));
        List<String> families = new ArrayList<>(List.of("Serif", "SansSerif", "Dialog"));
        for (String name : installed) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.contains("math") && !lower.contains("symbol") && !lower.contains("mono") && !lower.contains("dings")) {
                families.add(name);
            }
        }
        return List.copyOf(families);
    }
}
