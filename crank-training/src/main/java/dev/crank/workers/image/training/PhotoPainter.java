package dev.crank.workers.image.training;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.LinearGradientPaint;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/**
 * Natural-looking scenes: landscapes with sky, clouds, ridges, water and trees; close-up
 * textures (wood, stone, foliage, sand); lit still lifes; night scenes with bokeh; portraits;
 * forests and rooms. Then what a camera adds: defocus, sensor noise, vignetting, white balance
 * and exposure.
 */
final class PhotoPainter {

    private PhotoPainter() {}

    static BufferedImage paint(Random random) {
        double aspect = Synth.pick(random, List.of(1.5, 1.333, 1.778, 1.0, 0.667, 0.75));
        int longSide = Synth.between(random, 480, 1400);
        int w = aspect >= 1 ? longSide : (int) (longSide * aspect);
        int h = aspect >= 1 ? (int) (longSide / aspect) : longSide;
        BufferedImage image = paintSized(random, w, h);
        camera(image, random);
        return image;
    }

    /** A scene of exactly {@code w x h}, without camera effects (also used for thumbnails in screenshots). */
    static BufferedImage paintSized(Random random, int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        double kind = random.nextDouble();
        if (kind < 0.3) {
            landscape(g, random, w, h);
        } else if (kind < 0.45) {
            texture(g, random, w, h);
        } else if (kind < 0.6) {
            stillLife(g, random, w, h);
        } else if (kind < 0.7) {
            night(g, random, w, h);
        } else if (kind < 0.8) {
            portrait(g, random, w, h);
        } else if (kind < 0.9) {
            forest(g, random, w, h);
        } else {
            room(g, random, w, h);
        }
        g.dispose();
        return image;
    }

    /** Defocus, sensor noise, vignetting, white balance and exposure. */
    static void camera(BufferedImage image, Random random) {
        if (random.nextDouble() < 0.6) {
            Filters.blur(image, Synth.between(random, 1, Math.max(1, image.getWidth() / 500)));
        }
        Filters.grade(image, Synth.between(random, 0.9, 1.1), Synth.between(random, 0.93, 1.07), Synth.between(random, 0.88, 1.12),
                Synth.between(random, 0.75, 1.3));
        if (random.nextDouble() < 0.6) {
            Filters.vignette(image, Synth.between(random, 0.1, 0.5));
        }
        Filters.noise(image, random, Synth.between(random, 1.0, 7.0), Synth.between(random, 0.2, 0.8));
    }

    /**
     * Multi-octave value noise in [0, 1]: computed at half resolution on coarse lattices with
     * smooth interpolation, then enlarged bilinearly.
     */
    static float[] fractal(Random random, int w, int h, double scale, int octaves, double persistence) {
        int hw = Math.max(1, (w + 1) / 2);
        int hh = Math.max(1, (h + 1) / 2);
        float[] half = new float[hw * hh];
        double amplitude = 1;
        double total = 0;
        double cell = scale / 2;
        for (int o = 0; o < octaves && cell >= 1.5; o++) {
            int gw = (int) Math.ceil(hw / cell) + 2;
            int gh = (int) Math.ceil(hh / cell) + 2;
            float[] lattice = new float[gw * gh];
            for (int i = 0; i < lattice.length; i++) {
                lattice[i] = random.nextFloat();
            }
            float[] tx = new float[hw];
            int[] x0 = new int[hw];
            for (int x = 0; x < hw; x++) {
                double fx = x / cell;
                x0[x] = (int) fx;
                tx[x] = (float) smooth(fx - x0[x]);
            }
            float amp = (float) amplitude;
            for (int y = 0; y < hh; y++) {
                double fy = y / cell;
                int y0 = (int) fy;
                float ty = (float) smooth(fy - y0);
                int r0 = y0 * gw;
                int r1 = r0 + gw;
                for (int x = 0; x < hw; x++) {
                    int k = x0[x];
                    float a = lattice[r0 + k] + (lattice[r0 + k + 1] - lattice[r0 + k]) * tx[x];
                    float b = lattice[r1 + k] + (lattice[r1 + k + 1] - lattice[r1 + k]) * tx[x];
                    half[y * hw + x] += (a + (b - a) * ty) * amp;
                }
            }
            total += amplitude;
            amplitude *= persistence;
            cell /= 2;
        }
        float norm = (float) (total == 0 ? 1 : total);
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            float fy = Math.min(hh - 1, Math.max(0, y / 2f - 0.25f));
            int y0 = (int) fy;
            int y1 = Math.min(hh - 1, y0 + 1);
            float ty = fy - y0;
            for (int x = 0; x < w; x++) {
                float fx = Math.min(hw - 1, Math.max(0, x / 2f - 0.25f));
                int xa = (int) fx;
                int xb = Math.min(hw - 1, xa + 1);
                float t = fx - xa;
                float a = half[y0 * hw + xa] + (half[y0 * hw + xb] - half[y0 * hw + xa]) * t;
                float b = half[y1 * hw + xa] + (half[y1 * hw + xb] - half[y1 * hw + xa]) * t;
                out[y * w + x] = (a + (b - a) * ty) / norm;
            }
        }
        return out;
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    /** Maps noise through a gradient of colours into an image. */
    static BufferedImage colourise(float[] noise, int w, int h, Color[] stops, double contrast) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = Filters.data(out);
        for (int i = 0; i < rgb.length; i++) {
            double v = Math.max(0, Math.min(0.9999, 0.5 + (noise[i] - 0.5) * contrast));
            double pos = v * (stops.length - 1);
            int k = (int) pos;
            double t = pos - k;
            Color a = stops[k];
            Color b = stops[Math.min(stops.length - 1, k + 1)];
            int r = (int) (a.getRed() + (b.getRed() - a.getRed()) * t);
            int gg = (int) (a.getGreen() + (b.getGreen() - a.getGreen()) * t);
            int bb = (int) (a.getBlue() + (b.getBlue() - a.getBlue()) * t);
            rgb[i] = r << 16 | gg << 8 | bb;
        }
        return out;
    }

    private static int mixRgb(Color a, Color b, double t) {
        return (int) (a.getRed() + (b.getRed() - a.getRed()) * t) << 16 | (int) (a.getGreen() + (b.getGreen() - a.getGreen()) * t) << 8
                | (int) (a.getBlue() + (b.getBlue() - a.getBlue()) * t);
    }

    private static Color mix(Color a, Color b, double t) {
        return new Color((int) (a.getRed() + (b.getRed() - a.getRed()) * t), (int) (a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) (a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    private static void verticalGradient(Graphics2D g, int w, int y0, int y1, Color top, Color bottom) {
        g.setPaint(new LinearGradientPaint(new Point2D.Float(0, y0), new Point2D.Float(0, Math.max(y0 + 1, y1)),
                new float[] {0f, 1f}, new Color[] {top, bottom}));
        g.fill(new Rectangle2D.Double(0, y0, w, y1 - y0));
    }

    private static Color[] sky(Random random) {
        double s = random.nextDouble();
        if (s < 0.45) {
            return new Color[] {Synth.hsb(0.58 + random.nextDouble() * 0.04, 0.55 + random.nextDouble() * 0.3, 0.65 + random.nextDouble() * 0.3),
                Synth.hsb(0.56, 0.15 + random.nextDouble() * 0.2, 0.92 + random.nextDouble() * 0.08)};
        } else if (s < 0.7) {
            return new Color[] {Synth.hsb(0.7 + random.nextDouble() * 0.15, 0.5, 0.35 + random.nextDouble() * 0.3),
                Synth.hsb(0.05 + random.nextDouble() * 0.07, 0.6 + random.nextDouble() * 0.3, 0.9 + random.nextDouble() * 0.1)};
        }
        int grey = 150 + random.nextInt(90);
        return new Color[] {Synth.gray(grey - 30), Synth.gray(grey)};
    }

    private static void clip(Graphics2D g, java.awt.Shape shape, BufferedImage texture) {
        java.awt.Shape old = g.getClip();
        g.setClip(shape);
        g.drawImage(texture, 0, 0, null);
        g.setClip(old);
    }

    private static void landscape(Graphics2D g, Random random, int w, int h) {
        Color[] sky = sky(random);
        int horizon = (int) (h * Synth.between(random, 0.3, 0.65));
        verticalGradient(g, w, 0, horizon + h / 10, sky[0], sky[1]);
        if (random.nextDouble() < 0.4) {
            double r = Math.min(w, h) * Synth.between(random, 0.2, 0.5);
            float sx = (float) (random.nextDouble() * w);
            float sy = (float) (horizon * Synth.between(random, 0.2, 0.9));
            g.setPaint(new RadialGradientPaint(sx, sy, (float) r, new float[] {0f, 0.1f, 1f},
                    new Color[] {new Color(255, 250, 230, 255), new Color(255, 230, 180, 160), new Color(255, 220, 180, 0)}));
            g.fill(new Rectangle2D.Double(0, 0, w, horizon + h / 10.0));
        }
        if (random.nextDouble() < 0.6) {
            float[] cloud = fractal(random, w, h, Math.max(w, h) / Synth.between(random, 2.0, 6.0), 6, 0.55);
            BufferedImage clouds = colourise(cloud, w, h, new Color[] {sky[1], sky[1], Synth.gray(235 + random.nextInt(20))}, 1.6);
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, (float) Synth.between(random, 0.4, 0.9)));
            clip(g, new Rectangle2D.Double(0, 0, w, horizon), clouds);
            g.setComposite(AlphaComposite.SrcOver);
        }
        int layers = Synth.between(random, 1, 4);
        Color far = mix(sky[1], Synth.hsb(0.6 + random.nextDouble() * 0.1, 0.3, 0.5), 0.5);
        Color near = Synth.hsb(Synth.between(random, 0.1, 0.4), Synth.between(random, 0.3, 0.7), Synth.between(random, 0.2, 0.5));
        for (int layer = 0; layer < layers; layer++) {
            double t = layers == 1 ? 1 : layer / (double) (layers - 1);
            Color c = mix(far, near, t);
            double base = horizon + (layer - layers + 1) * h * 0.05;
            double amp = h * Synth.between(random, 0.05, 0.25) * (1 - 0.5 * t);
            float[] ridge = fractal(random, w, 1, w / Synth.between(random, 1.5, 5.0), 7, 0.5);
            Path2D shape = new Path2D.Double();
            shape.moveTo(0, h);
            for (int x = 0; x <= w; x += 2) {
                shape.lineTo(x, base - amp * ridge[Math.min(w - 1, x)] * 2 + amp);
            }
            shape.lineTo(w, h);
            shape.closePath();
            float[] tex = fractal(random, w, h, Synth.between(random, 20.0, 80.0), 5, 0.6);
            clip(g, shape, colourise(tex, w, h, new Color[] {c.darker(), c, mix(c, Color.WHITE, 0.2)}, 1.3));
        }
        if (random.nextDouble() < 0.35) {
            int waterTop = (int) (horizon + h * Synth.between(random, 0.05, 0.2));
            verticalGradient(g, w, waterTop, h, mix(sky[1], Synth.gray(60), 0.3), mix(sky[0], Synth.gray(20), 0.5));
            g.setColor(new Color(255, 255, 255, 40));
            for (int i = 0; i < 80; i++) {
                int y = waterTop + random.nextInt(Math.max(1, h - waterTop));
                int x = random.nextInt(w);
                g.fillRect(x, y, Synth.between(random, 10, w / 6), 1 + random.nextInt(2));
            }
        } else {
            int groundTop = (int) (horizon + h * Synth.between(random, 0.08, 0.3));
            Color grass = Synth.hsb(Synth.between(random, 0.15, 0.33), Synth.between(random, 0.35, 0.8), Synth.between(random, 0.25, 0.6));
            float[] tex = fractal(random, w, h, Synth.between(random, 8.0, 40.0), 6, 0.65);
            Path2D ground = new Path2D.Double();
            ground.moveTo(0, h);
            ground.lineTo(0, groundTop + random.nextInt(h / 10 + 1));
            ground.curveTo(w / 3.0, groundTop - h * 0.05, w * 2 / 3.0, groundTop + h * 0.05, w, groundTop + random.nextInt(h / 10 + 1));
            ground.lineTo(w, h);
            ground.closePath();
            clip(g, ground, colourise(tex, w, h, new Color[] {grass.darker().darker(), grass, mix(grass, Color.YELLOW, 0.25)}, 1.6));
        }
        for (int t = 0; t < Synth.between(random, 0, 6); t++) {
            tree(g, random, random.nextDouble() * w, horizon + random.nextDouble() * (h - horizon), h * Synth.between(random, 0.1, 0.35));
        }
    }

    private static void tree(Graphics2D g, Random random, double x, double groundY, double size) {
        g.setColor(Synth.hsb(0.08, 0.5, 0.2 + random.nextDouble() * 0.15));
        g.fill(new Rectangle2D.Double(x - size * 0.04, groundY - size * 0.5, size * 0.08, size * 0.5));
        Color leaf = Synth.hsb(Synth.between(random, 0.2, 0.38), Synth.between(random, 0.4, 0.8), Synth.between(random, 0.15, 0.45));
        for (int b = 0; b < 12; b++) {
            double r = size * Synth.between(random, 0.12, 0.28);
            g.setColor(Synth.jitter(leaf, random, 18));
            g.fill(new Ellipse2D.Double(x + (random.nextDouble() - 0.5) * size * 0.5 - r, groundY - size * Synth.between(random, 0.5, 1.0) - r,
                    2 * r, 2 * r));
        }
    }

    private static void texture(Graphics2D g, Random random, int w, int h) {
        double kind = random.nextDouble();
        Color base = Synth.hsb(random.nextDouble(), Synth.between(random, 0.1, 0.6), Synth.between(random, 0.3, 0.8));
        if (kind < 0.3) {
            float[] n = fractal(random, w, h, Synth.between(random, 30.0, 120.0), 5, 0.5);
            BufferedImage tex = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int[] rgb = Filters.data(tex);
            double freq = Synth.between(random, 0.02, 0.08);
            Color wood = Synth.hsb(Synth.between(random, 0.05, 0.1), Synth.between(random, 0.4, 0.7), Synth.between(random, 0.4, 0.75));
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = 0.5 + 0.5 * Math.sin((y + n[y * w + x] * 60) * freq * (1 + 0.3 * Math.sin(x * 0.003)));
                    rgb[y * w + x] = mixRgb(wood.darker(), wood, v);
                }
            }
            g.drawImage(tex, 0, 0, null);
        } else {
            float[] n = fractal(random, w, h, Synth.between(random, 6.0, 60.0), 7, Synth.between(random, 0.45, 0.75));
            Color[] stops = {base.darker().darker(), base.darker(), base, mix(base, Color.WHITE, 0.3)};
            g.drawImage(colourise(n, w, h, stops, Synth.between(random, 1.2, 2.5)), 0, 0, null);
        }
        if (random.nextDouble() < 0.5) {
            g.setPaint(new LinearGradientPaint(new Point2D.Float(0, 0), new Point2D.Float(w, h), new float[] {0f, 1f},
                    new Color[] {new Color(255, 255, 255, 60), new Color(0, 0, 0, 80)}));
            g.fillRect(0, 0, w, h);
        }
    }

    private static void stillLife(Graphics2D g, Random random, int w, int h) {
        Color wall = Synth.hsb(random.nextDouble(), Synth.between(random, 0.05, 0.4), Synth.between(random, 0.3, 0.9));
        int table = (int) (h * Synth.between(random, 0.45, 0.7));
        verticalGradient(g, w, 0, table, wall.brighter(), wall.darker());
        Color surface = Synth.hsb(random.nextDouble(), Synth.between(random, 0.1, 0.6), Synth.between(random, 0.25, 0.7));
        float[] tex = fractal(random, w, h, Synth.between(random, 10.0, 60.0), 5, 0.6);
        clip(g, new Rectangle2D.Double(0, table, w, h - table), colourise(tex, w, h, new Color[] {surface.darker(), surface, surface.brighter()}, 1.2));
        double lightX = random.nextDouble();
        for (int i = 0; i < Synth.between(random, 1, 6); i++) {
            double r = Math.min(w, h) * Synth.between(random, 0.06, 0.2);
            double cx = Synth.between(random, r, w - r);
            double cy = table + Synth.between(random, 0.0, h - table - r) * 0.6;
            g.setPaint(new RadialGradientPaint((float) (cx + r * 0.3), (float) (cy + r * 0.9), (float) (r * 1.4),
                    new float[] {0f, 1f}, new Color[] {new Color(0, 0, 0, 120), new Color(0, 0, 0, 0)}));
            g.fill(new Ellipse2D.Double(cx - r * 1.2, cy + r * 0.4, r * 2.8, r * 1.0));
            Color c = Synth.hsb(random.nextDouble(), Synth.between(random, 0.3, 0.9), Synth.between(random, 0.4, 0.95));
            if (random.nextBoolean()) {
                g.setPaint(new RadialGradientPaint(new Point2D.Double(cx, cy - r), (float) (r * 2),
                        new Point2D.Double(cx - r * (0.6 - lightX), cy - r * 1.5), new float[] {0f, 0.15f, 0.7f, 1f},
                        new Color[] {Color.WHITE, c.brighter(), c, c.darker().darker()}, MultipleGradientPaint.CycleMethod.NO_CYCLE));
                g.fill(new Ellipse2D.Double(cx - r, cy - 2 * r, 2 * r, 2 * r));
            } else {
                g.setPaint(new LinearGradientPaint(new Point2D.Double(cx - r, 0), new Point2D.Double(cx + r, 0),
                        new float[] {0f, (float) Synth.between(random, 0.2, 0.6), 1f}, new Color[] {c.darker(), c.brighter(), c.darker().darker()}));
                g.fill(new Rectangle2D.Double(cx - r, cy - 2.5 * r, 2 * r, 2.5 * r));
                g.setColor(c.brighter());
                g.fill(new Ellipse2D.Double(cx - r, cy - 2.7 * r, 2 * r, 0.4 * r));
            }
        }
    }

    private static void night(Graphics2D g, Random random, int w, int h) {
        verticalGradient(g, w, 0, h, Synth.hsb(0.65, 0.5, Synth.between(random, 0.02, 0.15)),
                Synth.hsb(Synth.between(random, 0.0, 0.7), 0.5, Synth.between(random, 0.1, 0.3)));
        for (int i = 0; i < Synth.between(random, 10, 80); i++) {
            double r = Math.min(w, h) * Synth.between(random, 0.01, 0.08);
            double x = random.nextDouble() * w;
            double y = random.nextDouble() * h;
            Color c = Synth.hsb(Synth.pick(random, List.of(0.08, 0.12, 0.0, 0.6, 0.15)), Synth.between(random, 0.3, 0.9), 1.0);
            g.setPaint(new RadialGradientPaint((float) x, (float) y, (float) r, new float[] {0f, 0.7f, 1f},
                    new Color[] {new Color(c.getRed(), c.getGreen(), c.getBlue(), 200), new Color(c.getRed(), c.getGreen(), c.getBlue(), 120),
                        new Color(c.getRed(), c.getGreen(), c.getBlue(), 0)}));
            g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
        }
        if (random.nextBoolean()) {
            for (int b = 0; b < Synth.between(random, 3, 15); b++) {
                int bw = Synth.between(random, w / 20, w / 6);
                int bh = Synth.between(random, h / 6, h * 2 / 3);
                int bx = random.nextInt(w);
                g.setColor(Synth.gray(random.nextInt(25)));
                g.fillRect(bx, h - bh, bw, bh);
                g.setColor(new Color(255, 210, 120, 180));
                for (int k = 0; k < bw * bh / 400; k++) {
                    g.fillRect(bx + random.nextInt(Math.max(1, bw - 3)), h - bh + random.nextInt(Math.max(1, bh - 3)), 3, 3);
                }
            }
        }
    }

    private static void portrait(Graphics2D g, Random random, int w, int h) {
        float[] bg = fractal(random, w, h, Math.max(w, h) / 3.0, 3, 0.5);
        Color a = Synth.hsb(random.nextDouble(), Synth.between(random, 0.1, 0.5), Synth.between(random, 0.2, 0.8));
        Color b = Synth.hsb(random.nextDouble(), Synth.between(random, 0.1, 0.5), Synth.between(random, 0.3, 0.9));
        g.drawImage(colourise(bg, w, h, new Color[] {a, b}, 2.0), 0, 0, null);
        double fw = Math.min(w, h) * Synth.between(random, 0.25, 0.45);
        double cx = w * Synth.between(random, 0.35, 0.65);
        double cy = h * Synth.between(random, 0.35, 0.5);
        Color clothes = Synth.hsb(random.nextDouble(), Synth.between(random, 0.1, 0.7), Synth.between(random, 0.1, 0.7));
        g.setPaint(new LinearGradientPaint(new Point2D.Double(cx - fw * 1.5, 0), new Point2D.Double(cx + fw * 1.5, 0), new float[] {0f, 1f},
                new Color[] {clothes.brighter(), clothes.darker()}));
        g.fill(new Ellipse2D.Double(cx - fw * 1.6, cy + fw * 0.9, fw * 3.2, fw * 2.5));
        Color skin = Synth.hsb(Synth.between(random, 0.03, 0.09), Synth.between(random, 0.25, 0.6), Synth.between(random, 0.35, 0.95));
        g.setColor(skin.darker());
        g.fill(new Rectangle2D.Double(cx - fw * 0.2, cy + fw * 0.5, fw * 0.4, fw * 0.6));
        g.setPaint(new RadialGradientPaint(new Point2D.Double(cx, cy), (float) (fw * 0.8), new Point2D.Double(cx - fw * 0.2, cy - fw * 0.25),
                new float[] {0f, 0.75f, 1f}, new Color[] {skin.brighter(), skin, skin.darker()}, MultipleGradientPaint.CycleMethod.NO_CYCLE));
        g.fill(new Ellipse2D.Double(cx - fw / 2, cy - fw * 0.65, fw, fw * 1.3));
        Color hair = Synth.hsb(Synth.between(random, 0.02, 0.12), Synth.between(random, 0.2, 0.7), Synth.between(random, 0.05, 0.6));
        g.setColor(hair);
        g.fill(new Ellipse2D.Double(cx - fw * 0.55, cy - fw * 0.8, fw * 1.1, fw * 0.6));
        g.setColor(Synth.gray(30));
        g.fill(new Ellipse2D.Double(cx - fw * 0.25, cy - fw * 0.1, fw * 0.12, fw * 0.07));
        g.fill(new Ellipse2D.Double(cx + fw * 0.13, cy - fw * 0.1, fw * 0.12, fw * 0.07));
        g.setColor(skin.darker().darker());
        g.fill(new Ellipse2D.Double(cx - fw * 0.15, cy + fw * 0.3, fw * 0.3, fw * 0.06));
    }

    private static void forest(Graphics2D g, Random random, int w, int h) {
        Color[] sky = sky(random);
        verticalGradient(g, w, 0, h, sky[1], Synth.hsb(0.25, 0.4, 0.3));
        float[] canopy = fractal(random, w, h, Synth.between(random, 10.0, 50.0), 6, 0.6);
        Color leaf = Synth.hsb(Synth.between(random, 0.18, 0.38), Synth.between(random, 0.4, 0.8), Synth.between(random, 0.2, 0.55));
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.85f));
        clip(g, new Rectangle2D.Double(0, 0, w, h * Synth.between(random, 0.3, 0.6)),
                colourise(canopy, w, h, new Color[] {leaf.darker().darker(), leaf, mix(leaf, Color.YELLOW, 0.3)}, 1.8));
        g.setComposite(AlphaComposite.SrcOver);
        for (int t = 0; t < Synth.between(random, 4, 25); t++) {
            double depth = random.nextDouble();
            double tw = w * Synth.between(random, 0.01, 0.06) * (0.4 + depth);
            double x = random.nextDouble() * w;
            Color bark = mix(Synth.hsb(0.08, 0.4, Synth.between(random, 0.1, 0.35)), sky[1], 0.5 * (1 - depth));
            g.setPaint(new LinearGradientPaint(new Point2D.Double(x, 0), new Point2D.Double(x + tw, 0), new float[] {0f, 1f},
                    new Color[] {bark.brighter(), bark.darker()}));
            g.fill(new Rectangle2D.Double(x, 0, tw, h * (0.75 + 0.25 * depth)));
        }
        float[] floor = fractal(random, w, h, Synth.between(random, 6.0, 30.0), 6, 0.6);
        Color soil = Synth.hsb(Synth.between(random, 0.06, 0.25), 0.5, Synth.between(random, 0.2, 0.45));
        clip(g, new Rectangle2D.Double(0, h * Synth.between(random, 0.7, 0.85), w, h), colourise(floor, w, h, new Color[] {soil.darker(), soil, leaf}, 1.6));
    }

    private static void room(Graphics2D g, Random random, int w, int h) {
        Color wall = Synth.hsb(random.nextDouble(), Synth.between(random, 0.03, 0.3), Synth.between(random, 0.5, 0.95));
        double bx = w * Synth.between(random, 0.2, 0.35);
        double by = h * Synth.between(random, 0.15, 0.3);
        double bw = w * Synth.between(random, 0.3, 0.5);
        double bh = h * Synth.between(random, 0.35, 0.5);
        g.setPaint(new LinearGradientPaint(new Point2D.Double(0, 0), new Point2D.Double(w, 0), new float[] {0f, 1f},
                new Color[] {wall.darker(), wall}));
        g.fillRect(0, 0, w, h);
        g.setColor(wall);
        g.fill(new Rectangle2D.Double(bx, by, bw, bh));
        Path2D floor = new Path2D.Double();
        floor.moveTo(0, h);
        floor.lineTo(bx, by + bh);
        floor.lineTo(bx + bw, by + bh);
        floor.lineTo(w, h);
        floor.closePath();
        Color wood = Synth.hsb(Synth.between(random, 0.05, 0.1), Synth.between(random, 0.3, 0.6), Synth.between(random, 0.3, 0.6));
        float[] n = fractal(random, w, h, Synth.between(random, 8.0, 40.0), 5, 0.6);
        clip(g, floor, colourise(n, w, h, new Color[] {wood.darker(), wood, wood.brighter()}, 1.5));
        double wx = bx + bw * Synth.between(random, 0.1, 0.5);
        double wy = by + bh * 0.15;
        double ww = bw * 0.35;
        double wh = bh * 0.5;
        g.setPaint(new RadialGradientPaint((float) (wx + ww / 2), (float) (wy + wh / 2), (float) (Math.max(ww, wh) * 2),
                new float[] {0f, 1f}, new Color[] {new Color(255, 250, 235, 150), new Color(255, 250, 235, 0)}));
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(235, 245, 255));
        g.fill(new Rectangle2D.Double(wx, wy, ww, wh));
        g.setColor(wall.darker());
        g.setStroke(Synth.stroke(3f));
        g.draw(new Rectangle2D.Double(wx, wy, ww, wh));
        for (int f = 0; f < Synth.between(random, 0, 3); f++) {
            Color c = Synth.hsb(random.nextDouble(), Synth.between(random, 0.2, 0.7), Synth.between(random, 0.2, 0.7));
            double fx = random.nextDouble() * w * 0.8;
            double fy = by + bh * Synth.between(random, 0.5, 0.9);
            double fw = w * Synth.between(random, 0.1, 0.3);
            double fh = h * Synth.between(random, 0.1, 0.3);
            g.setPaint(new LinearGradientPaint(new Point2D.Double(fx, fy), new Point2D.Double(fx, fy + fh), new float[] {0f, 1f},
                    new Color[] {c.brighter(), c.darker()}));
            g.fill(new Rectangle2D.Double(fx, fy, fw, fh));
        }
    }
}
