package dev.crank.workers.image.training;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/** Bar, line, area, scatter, histogram, pie and donut charts in several house styles. */
final class ChartPainter {

    private ChartPainter() {}

    /** A plotting style: background, panel, grid and text colours. */
    private record Style(Color background, Color panel, Color grid, Color axis, Color text, boolean gridLines) {}

    static BufferedImage paint(Random random) {
        int width = Synth.between(random, 420, 1300);
        int height = (int) (width * Synth.between(random, 0.5, 0.95));
        Style style = style(random);
        BufferedImage image = Synth.canvas(width, height, style.background);
        Graphics2D g = Synth.graphics(image, random);
        int[] palette = Synth.palette(random);
        float fontSize = (float) Math.max(9, Math.min(width / Synth.between(random, 45.0, 80.0), 18));
        Font font = Synth.font(random, fontSize, false);
        g.setFont(font);
        int top = (int) (height * 0.06);
        if (random.nextDouble() < 0.7) {
            g.setFont(font.deriveFont(Font.BOLD, fontSize * 1.3f));
            g.setColor(style.text);
            String title = Synth.title(random, Synth.between(random, 2, 6));
            g.drawString(title, random.nextBoolean() ? width * 0.08f : (width - g.getFontMetrics().stringWidth(title)) / 2f,
                    top + fontSize * 1.2f);
            top += (int) (fontSize * 2.2);
            g.setFont(font);
        }
        double kind = random.nextDouble();
        if (kind < 0.1) {
            function(g, random, width, height, top, palette, style);
        } else if (kind < 0.28) {
            pie(g, random, width, height, top, palette, style, random.nextDouble() < 0.4);
        } else {
            Rectangle2D plot = new Rectangle2D.Double(width * Synth.between(random, 0.08, 0.14), top + height * 0.04,
                    width * Synth.between(random, 0.7, 0.86), height - top - height * Synth.between(random, 0.12, 0.2));
            if (random.nextDouble() < 0.25 && plot.getMaxX() < width * 0.8) {
                legend(g, random, plot.getMaxX() + 12, plot.getY() + 10, palette, Synth.between(random, 2, 5), style);
            }
            axes(g, random, plot, style, fontSize);
            if (kind < 0.48) {
                bars(g, random, plot, palette, random.nextDouble() < 0.25);
            } else if (kind < 0.55) {
                boxes(g, random, plot, palette, style);
            } else if (kind < 0.62) {
                gantt(g, random, plot, palette, style);
            } else if (kind < 0.8) {
                lines(g, random, plot, palette, random.nextDouble() < 0.3);
            } else if (kind < 0.92) {
                scatter(g, random, plot, palette);
            } else {
                histogram(g, random, plot, palette);
            }
        }
        g.dispose();
        return image;
    }

    private static Style style(Random random) {
        double s = random.nextDouble();
        if (s < 0.5) {
            return new Style(Color.WHITE, Color.WHITE, Synth.gray(225 + random.nextInt(20)), Synth.gray(random.nextInt(90)),
                    Synth.gray(random.nextInt(70)), random.nextBoolean());
        } else if (s < 0.7) {
            return new Style(Color.WHITE, Synth.gray(229 + random.nextInt(8)), Color.WHITE, Synth.gray(120), Synth.gray(60), true);
        } else if (s < 0.85) {
            Color bg = Synth.rgb(Synth.pick(random, List.of(0x1e1e1e, 0x222831, 0x0d1117, 0x2b2b2b)));
            return new Style(bg, bg, Synth.gray(70), Synth.gray(180), Synth.gray(220), random.nextBoolean());
        }
        Color bg = Synth.jitter(Synth.gray(248), random, 6);
        return new Style(bg, Color.WHITE, Synth.gray(210), Synth.gray(40), Synth.gray(30), true);
    }

    private static void axes(Graphics2D g, Random random, Rectangle2D plot, Style style, float fontSize) {
        g.setColor(style.panel);
        g.fill(plot);
        int ticks = Synth.between(random, 3, 8);
        FontMetrics fm = g.getFontMetrics();
        double max = Math.pow(10, random.nextInt(4)) * Synth.between(random, 1, 9);
        for (int t = 0; t <= ticks; t++) {
            double y = plot.getMaxY() - t * plot.getHeight() / ticks;
            if (style.gridLines) {
                g.setColor(style.grid);
                g.setStroke(Synth.stroke(1f));
                g.draw(new Line2D.Double(plot.getX(), y, plot.getMaxX(), y));
            }
            g.setColor(style.text);
            String label = String.valueOf(Math.round(max * t / ticks));
            g.drawString(label, (float) (plot.getX() - fm.stringWidth(label) - 6), (float) (y + fm.getAscent() / 2.5));
        }
        g.setColor(style.axis);
        g.setStroke(Synth.stroke(1.2f));
        g.draw(new Line2D.Double(plot.getX(), plot.getMaxY(), plot.getMaxX(), plot.getMaxY()));
        if (random.nextDouble() < 0.7) {
            g.draw(new Line2D.Double(plot.getX(), plot.getY(), plot.getX(), plot.getMaxY()));
        }
        int labels = Synth.between(random, 3, 10);
        for (int i = 0; i < labels; i++) {
            double x = plot.getX() + (i + 0.5) * plot.getWidth() / labels;
            g.setColor(style.text);
            String label = random.nextBoolean() ? Synth.word(random) : String.valueOf(2000 + random.nextInt(25) + i);
            if (fm.stringWidth(label) < plot.getWidth() / labels) {
                g.drawString(label, (float) (x - fm.stringWidth(label) / 2.0), (float) (plot.getMaxY() + fm.getHeight() + 2));
            }
        }
    }

    private static void bars(Graphics2D g, Random random, Rectangle2D plot, int[] palette, boolean horizontal) {
        int groups = Synth.between(random, 3, 14);
        int series = random.nextDouble() < 0.6 ? 1 : Synth.between(random, 2, 4);
        boolean stacked = series > 1 && random.nextBoolean();
        double slot = (horizontal ? plot.getHeight() : plot.getWidth()) / groups;
        double barSpan = slot * Synth.between(random, 0.5, 0.85);
        boolean outline = random.nextDouble() < 0.2;
        boolean oneColour = series == 1 && random.nextDouble() < 0.6;
        for (int gi = 0; gi < groups; gi++) {
            double base = 0;
            for (int s = 0; s < series; s++) {
                double v = Synth.between(random, 0.1, stacked ? 1.0 / series : 0.95);
                Color c = Synth.rgb(palette[(oneColour ? 0 : series == 1 ? gi : s) % palette.length]);
                double thickness = stacked ? barSpan : barSpan / series;
                double offset = stacked ? 0 : s * thickness;
                Rectangle2D bar;
                if (horizontal) {
                    double y = plot.getY() + gi * slot + (slot - barSpan) / 2 + offset;
                    bar = new Rectangle2D.Double(plot.getX() + base * plot.getWidth(), y, v * plot.getWidth(), thickness);
                } else {
                    double x = plot.getX() + gi * slot + (slot - barSpan) / 2 + offset;
                    double hgt = v * plot.getHeight();
                    bar = new Rectangle2D.Double(x, plot.getMaxY() - base * plot.getHeight() - hgt, thickness, hgt);
                }
                g.setColor(c);
                g.fill(bar);
                if (outline) {
                    g.setColor(c.darker());
                    g.draw(bar);
                }
                if (stacked) {
                    base += v;
                }
            }
        }
    }

    /** A mathematical plot: axes through the origin with ticks, curves or filled regions. */
    private static void function(Graphics2D g, Random random, int w, int h, int top, int[] palette, Style style) {
        double cx = w * Synth.between(random, 0.3, 0.7);
        double cy = top + (h - top) * Synth.between(random, 0.3, 0.7);
        double unit = Math.min(w, h - top) / Synth.between(random, 6.0, 14.0);
        g.setColor(style.axis);
        g.setStroke(Synth.stroke(1.2f));
        g.draw(new Line2D.Double(w * 0.05, cy, w * 0.95, cy));
        g.draw(new Line2D.Double(cx, top + 5, cx, h * 0.95));
        FontMetrics fm = g.getFontMetrics();
        for (int k = -12; k <= 12; k++) {
            double x = cx + k * unit;
            double y = cy - k * unit;
            if (k != 0 && x > w * 0.05 && x < w * 0.95) {
                g.draw(new Line2D.Double(x, cy - 3, x, cy + 3));
                g.drawString(Integer.toString(k), (float) (x - 4), (float) (cy + fm.getHeight() + 2));
            }
            if (k != 0 && y > top + 5 && y < h * 0.95) {
                g.draw(new Line2D.Double(cx - 3, y, cx + 3, y));
                g.drawString(Integer.toString(k), (float) (cx - fm.stringWidth(Integer.toString(k)) - 6), (float) (y + 4));
            }
        }
        int curves = Synth.between(random, 1, 3);
        for (int c = 0; c < curves; c++) {
            Color colour = Synth.rgb(palette[c % palette.length]);
            double a = Synth.between(random, 0.3, 2.0);
            double b = Synth.between(random, 0.5, 3.0);
            int form = random.nextInt(4);
            if (form == 3) {
                double rx = unit * Synth.between(random, 1.0, 3.0);
                double ry = unit * Synth.between(random, 1.0, 3.0);
                g.setColor(colour);
                g.fill(new Ellipse2D.Double(cx - rx * Synth.between(random, 0.0, 2.0), cy - ry, 2 * rx, 2 * ry));
                continue;
            }
            Path2D path = new Path2D.Double();
            boolean started = false;
            for (double x = w * 0.05; x < w * 0.95; x += 2) {
                double t = (x - cx) / unit;
                double v = switch (form) {
                    case 0 -> a * Math.sin(b * t);
                    case 1 -> a * t * t / 4 - b;
                    default -> a * Math.exp(-t * t / b) * 3;
                };
                double y = cy - v * unit;
                if (y < top || y > h) {
                    started = false;
                    continue;
                }
                if (started) {
                    path.lineTo(x, y);
                } else {
                    path.moveTo(x, y);
                    started = true;
                }
            }
            g.setColor(colour);
            g.setStroke(Synth.stroke((float) Synth.between(random, 1.2, 3.0)));
            g.draw(path);
        }
    }

    private static void boxes(Graphics2D g, Random random, Rectangle2D plot, int[] palette, Style style) {
        int groups = Synth.between(random, 2, 12);
        double slot = plot.getWidth() / groups;
        boolean coloured = random.nextBoolean();
        for (int i = 0; i < groups; i++) {
            double median = Synth.between(random, 0.2, 0.8);
            double q1 = median - Synth.between(random, 0.03, 0.15);
            double q3 = median + Synth.between(random, 0.03, 0.15);
            double lo = q1 - Synth.between(random, 0.02, 0.15);
            double hi = q3 + Synth.between(random, 0.02, 0.15);
            double cx = plot.getX() + (i + 0.5) * slot;
            double bw = slot * Synth.between(random, 0.25, 0.6);
            Color c = coloured ? Synth.rgb(palette[i % palette.length]) : style.axis;
            double yq3 = plot.getMaxY() - Math.min(1, q3) * plot.getHeight();
            double yq1 = plot.getMaxY() - Math.max(0, q1) * plot.getHeight();
            g.setColor(coloured ? new Color(c.getRed(), c.getGreen(), c.getBlue(), 140) : style.panel);
            g.fill(new Rectangle2D.Double(cx - bw / 2, yq3, bw, yq1 - yq3));
            g.setColor(coloured ? c.darker() : style.axis);
            g.setStroke(Synth.stroke(1.3f));
            g.draw(new Rectangle2D.Double(cx - bw / 2, yq3, bw, yq1 - yq3));
            double ym = plot.getMaxY() - median * plot.getHeight();
            g.draw(new Line2D.Double(cx - bw / 2, ym, cx + bw / 2, ym));
            g.draw(new Line2D.Double(cx, yq3, cx, plot.getMaxY() - Math.min(1, hi) * plot.getHeight()));
            g.draw(new Line2D.Double(cx, yq1, cx, plot.getMaxY() - Math.max(0, lo) * plot.getHeight()));
            for (int o = 0; o < random.nextInt(4); o++) {
                double y = plot.getMaxY() - Synth.between(random, 0.0, 1.0) * plot.getHeight();
                g.draw(new Ellipse2D.Double(cx - 3, y - 3, 6, 6));
            }
        }
    }

    /** A timeline: offset horizontal bars, one per row, labelled. */
    private static void gantt(Graphics2D g, Random random, Rectangle2D plot, int[] palette, Style style) {
        int rows = Synth.between(random, 4, 20);
        double rowH = plot.getHeight() / rows;
        double start = 0;
        FontMetrics fm = g.getFontMetrics();
        for (int r = 0; r < rows; r++) {
            start = Math.min(0.9, Math.max(0, start + Synth.between(random, -0.05, 0.12)));
            double length = Synth.between(random, 0.05, Math.max(0.06, 1 - start));
            Rectangle2D bar = new Rectangle2D.Double(plot.getX() + start * plot.getWidth(), plot.getY() + r * rowH + rowH * 0.15,
                    length * plot.getWidth(), rowH * 0.7);
            Color c = Synth.rgb(palette[random.nextInt(Math.min(3, palette.length))]);
            g.setColor(c);
            g.fill(bar);
            if (random.nextBoolean()) {
                g.setColor(c.darker());
                g.fill(new Rectangle2D.Double(bar.getX(), bar.getY(), bar.getWidth() * random.nextDouble(), bar.getHeight()));
            }
            g.setColor(style.text);
            String label = Synth.word(random) + " " + Synth.number(random) + "s";
            if (rowH > fm.getAscent()) {
                g.drawString(label, (float) (bar.getX() + 4), (float) (bar.getCenterY() + fm.getAscent() / 2.5));
            }
        }
    }

    private static void lines(Graphics2D g, Random random, Rectangle2D plot, int[] palette, boolean area) {
        int series = Synth.between(random, 1, 4);
        int points = Synth.between(random, 5, 60);
        boolean markers = points < 25 && random.nextBoolean();
        float width = (float) Synth.between(random, 1.2, 3.5);
        for (int s = 0; s < series; s++) {
            Color c = Synth.rgb(palette[s % palette.length]);
            double v = Synth.between(random, 0.2, 0.8);
            double drift = Synth.between(random, -0.01, 0.015);
            Path2D path = new Path2D.Double();
            double[] xs = new double[points];
            double[] ys = new double[points];
            for (int p = 0; p < points; p++) {
                v = Math.max(0.02, Math.min(0.98, v + drift + (random.nextDouble() - 0.5) * Synth.between(random, 0.05, 0.2)));
                xs[p] = plot.getX() + p * plot.getWidth() / (points - 1);
                ys[p] = plot.getMaxY() - v * plot.getHeight();
                if (p == 0) {
                    path.moveTo(xs[p], ys[p]);
                } else {
                    path.lineTo(xs[p], ys[p]);
                }
            }
            if (area) {
                Path2D fill = new Path2D.Double(path);
                fill.lineTo(plot.getMaxX(), plot.getMaxY());
                fill.lineTo(plot.getX(), plot.getMaxY());
                fill.closePath();
                g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 90 + random.nextInt(120)));
                g.fill(fill);
            }
            g.setColor(c);
            g.setStroke(random.nextDouble() < 0.15 ? Synth.dashed(width, 6) : Synth.stroke(width));
            g.draw(path);
            if (markers) {
                double r = width * 2.2;
                for (int p = 0; p < points; p++) {
                    g.fill(new Ellipse2D.Double(xs[p] - r, ys[p] - r, 2 * r, 2 * r));
                }
            }
        }
    }

    private static void scatter(Graphics2D g, Random random, Rectangle2D plot, int[] palette) {
        int groups = Synth.between(random, 1, 4);
        double r = Synth.between(random, 2.0, 6.0);
        for (int s = 0; s < groups; s++) {
            Color c = Synth.rgb(palette[s % palette.length]);
            g.setColor(random.nextBoolean() ? c : new Color(c.getRed(), c.getGreen(), c.getBlue(), 150));
            double cx = Synth.between(random, 0.2, 0.8);
            double cy = Synth.between(random, 0.2, 0.8);
            double slope = Synth.between(random, -1.0, 1.0);
            for (int p = 0; p < Synth.between(random, 15, 150); p++) {
                double x = Math.max(0, Math.min(1, cx + random.nextGaussian() * 0.15));
                double y = Math.max(0, Math.min(1, cy + slope * (x - cx) + random.nextGaussian() * 0.08));
                g.fill(new Ellipse2D.Double(plot.getX() + x * plot.getWidth() - r, plot.getMaxY() - y * plot.getHeight() - r, 2 * r, 2 * r));
            }
        }
    }

    private static void histogram(Graphics2D g, Random random, Rectangle2D plot, int[] palette) {
        int bins = Synth.between(random, 10, 40);
        double bw = plot.getWidth() / bins;
        double mu = Synth.between(random, 0.3, 0.7);
        double sigma = Synth.between(random, 0.1, 0.25);
        Color c = Synth.rgb(palette[random.nextInt(palette.length)]);
        for (int b = 0; b < bins; b++) {
            double x = (b + 0.5) / bins;
            double v = Math.exp(-(x - mu) * (x - mu) / (2 * sigma * sigma)) * Synth.between(random, 0.8, 1.0) * 0.95;
            Rectangle2D bar = new Rectangle2D.Double(plot.getX() + b * bw, plot.getMaxY() - v * plot.getHeight(), bw, v * plot.getHeight());
            g.setColor(c);
            g.fill(bar);
            g.setColor(c.darker());
            g.draw(bar);
        }
    }

    private static void pie(Graphics2D g, Random random, int w, int h, int top, int[] palette, Style style, boolean donut) {
        double size = Math.min(w * 0.6, (h - top) * 0.85);
        double x = random.nextBoolean() ? (w - size) / 2 : w * 0.08;
        double y = top + (h - top - size) / 2;
        int slices = Synth.between(random, 2, 8);
        double[] values = new double[slices];
        double total = 0;
        for (int i = 0; i < slices; i++) {
            values[i] = Synth.between(random, 0.1, 1.0);
            total += values[i];
        }
        double start = random.nextDouble() * 360;
        boolean separators = random.nextBoolean();
        for (int i = 0; i < slices; i++) {
            double extent = values[i] / total * 360;
            Arc2D arc = new Arc2D.Double(x, y, size, size, start, extent, Arc2D.PIE);
            g.setColor(Synth.rgb(palette[i % palette.length]));
            g.fill(arc);
            if (separators) {
                g.setColor(style.background);
                g.setStroke(Synth.stroke(2f));
                g.draw(arc);
            }
            start += extent;
        }
        if (donut) {
            double hole = size * Synth.between(random, 0.4, 0.65);
            g.setColor(style.background);
            g.fill(new Ellipse2D.Double(x + (size - hole) / 2, y + (size - hole) / 2, hole, hole));
        }
        if (x + size < w * 0.75) {
            legend(g, random, x + size + w * 0.05, y + size * 0.2, palette, slices, style);
        }
    }

    private static void legend(Graphics2D g, Random random, double x, double y, int[] palette, int entries, Style style) {
        FontMetrics fm = g.getFontMetrics();
        double box = fm.getAscent() * 0.9;
        for (int i = 0; i < entries; i++) {
            double row = y + i * fm.getHeight() * 1.4;
            g.setColor(Synth.rgb(palette[i % palette.length]));
            g.fill(new Rectangle2D.Double(x, row - box, box, box));
            g.setColor(style.text);
            g.drawString(Synth.title(random, Synth.between(random, 1, 2)) + (random.nextBoolean() ? " (" + random.nextInt(60) + "%)" : ""),
                    (float) (x + box * 1.6), (float) row);
        }
    }
}
