package dev.crank.workers.image.training;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.Shape;
import java.awt.geom.CubicCurve2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Box-and-arrow diagrams (flowcharts, architecture sketches, trees, graphs, sequence and class
 * diagrams, state machines) and line drawings (geometric constructions, curves, technical
 * outlines).
 */
final class DiagramPainter {

    private record Node(double x, double y, double w, double h) {
        double cx() {
            return x + w / 2;
        }

        double cy() {
            return y + h / 2;
        }
    }

    private DiagramPainter() {}

    static BufferedImage paint(Random random) {
        int width = Synth.between(random, 420, 1400);
        int height = (int) (width * Synth.between(random, 0.5, 1.1));
        double bgChoice = random.nextDouble();
        boolean dark = bgChoice > 0.92;
        Color background = dark ? Synth.rgb(Synth.pick(random, List.of(0x1e1e1e, 0x0b2545, 0x263238, 0x111111)))
                : bgChoice < 0.75 ? Color.WHITE : Synth.jitter(Synth.gray(246), random, 6);
        BufferedImage image = Synth.canvas(width, height, background);
        Graphics2D g = Synth.graphics(image, random);
        if (!dark && random.nextDouble() < 0.12) {
            grid(g, random, width, height);
        }
        Color line = dark ? Synth.gray(200 + random.nextInt(55)) : random.nextDouble() < 0.7 ? Synth.gray(random.nextInt(80))
                : Synth.rgb(Synth.palette(random)[0]).darker();
        double kind = random.nextDouble();
        if (kind < 0.3) {
            flowchart(g, random, width, height, line, dark);
        } else if (kind < 0.45) {
            tree(g, random, width, height, line, dark);
        } else if (kind < 0.57) {
            graph(g, random, width, height, line, dark);
        } else if (kind < 0.67) {
            sequence(g, random, width, height, line);
        } else if (kind < 0.75) {
            classes(g, random, width, height, line, dark);
        } else if (kind < 0.87) {
            pattern(g, random, width, height, line);
        } else {
            drawing(g, random, width, height, line);
        }
        g.dispose();
        return image;
    }

    private static void grid(Graphics2D g, Random random, int w, int h) {
        g.setColor(Synth.hsb(0.58, 0.15 + random.nextDouble() * 0.2, 0.95));
        int step = Synth.between(random, 12, 40);
        for (int x = 0; x < w; x += step) {
            g.drawLine(x, 0, x, h);
        }
        for (int y = 0; y < h; y += step) {
            g.drawLine(0, y, w, y);
        }
    }

    private static Color fill(Random random, boolean dark) {
        double f = random.nextDouble();
        if (f < 0.35) {
            return null;
        } else if (f < 0.45 && !dark) {
            return Synth.rgb(Synth.pick(random, List.of(0xffff00, 0xffe066, 0xffa500, 0x87ceeb, 0x90ee90, 0xffc0cb)));
        } else if (f < 0.8) {
            return dark ? Synth.hsb(random.nextDouble(), 0.4, 0.35) : Synth.pastel(random);
        }
        return Synth.rgb(Synth.palette(random)[random.nextInt(4)]).brighter();
    }

    private static List<Node> layout(Random random, int w, int h, int cols, int rows, double nodeW, double nodeH) {
        List<Node> nodes = new ArrayList<>();
        double cellW = w / (double) cols;
        double cellH = h / (double) rows;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (random.nextDouble() < 0.75) {
                    double jx = (cellW - nodeW) * 0.3 * (random.nextDouble() - 0.5);
                    nodes.add(new Node(c * cellW + (cellW - nodeW) / 2 + jx, r * cellH + (cellH - nodeH) / 2, nodeW, nodeH));
                }
            }
        }
        return nodes;
    }

    private static void flowchart(Graphics2D g, Random random, int w, int h, Color line, boolean dark) {
        int cols = Synth.between(random, 1, 5);
        int rows = Synth.between(random, 2, 6);
        double nodeW = w / (double) cols * Synth.between(random, 0.4, 0.7);
        double nodeH = h / (double) rows * Synth.between(random, 0.3, 0.55);
        List<Node> nodes = layout(random, w, h, cols, rows, nodeW, nodeH);
        float stroke = (float) Synth.between(random, 1.0, 3.0);
        Font font = Synth.font(random, (float) Math.max(9, Math.min(nodeH * 0.3, 18)), false);
        if (random.nextDouble() < 0.3 && nodes.size() > 2) {
            Node a = nodes.get(0);
            Node b = nodes.get(nodes.size() / 2);
            g.setColor(line);
            g.setStroke(Synth.dashed(1.2f, 6));
            double x0 = Math.min(a.x, b.x) - 15;
            double y0 = Math.min(a.y, b.y) - 15;
            g.draw(new RoundRectangle2D.Double(x0, y0, Math.max(a.x + a.w, b.x + b.w) + 15 - x0,
                    Math.max(a.y + a.h, b.y + b.h) + 15 - y0, 12, 12));
        }
        for (int i = 0; i + 1 < nodes.size(); i++) {
            if (random.nextDouble() < 0.8) {
                arrow(g, random, nodes.get(i), nodes.get(i + 1 + random.nextInt(Math.min(2, nodes.size() - i - 1))), line, stroke);
            }
        }
        for (Node node : nodes) {
            Shape shape = shape(random, node);
            Color f = fill(random, dark);
            if (f != null) {
                g.setColor(f);
                g.fill(shape);
            }
            g.setColor(line);
            g.setStroke(Synth.stroke(stroke));
            g.draw(shape);
            label(g, random, font, node, dark || (f != null && f.getRed() + f.getGreen() + f.getBlue() < 300)
                    ? Color.WHITE : Synth.gray(random.nextInt(60)));
        }
    }

    private static Shape shape(Random random, Node n) {
        double s = random.nextDouble();
        if (s < 0.45) {
            return new Rectangle2D.Double(n.x, n.y, n.w, n.h);
        } else if (s < 0.75) {
            return new RoundRectangle2D.Double(n.x, n.y, n.w, n.h, n.h * 0.4, n.h * 0.4);
        } else if (s < 0.88) {
            return new Ellipse2D.Double(n.x, n.y, n.w, n.h);
        }
        Path2D diamond = new Path2D.Double();
        diamond.moveTo(n.cx(), n.y);
        diamond.lineTo(n.x + n.w, n.cy());
        diamond.lineTo(n.cx(), n.y + n.h);
        diamond.lineTo(n.x, n.cy());
        diamond.closePath();
        return diamond;
    }

    private static void label(Graphics2D g, Random random, Font font, Node node, Color color) {
        if (random.nextDouble() < 0.12) {
            return;
        }
        g.setFont(font);
        g.setColor(color);
        FontMetrics fm = g.getFontMetrics();
        String text = Synth.title(random, Synth.between(random, 1, 3));
        while (fm.stringWidth(text) > node.w * 0.9 && text.contains(" ")) {
            text = text.substring(0, text.lastIndexOf(' '));
        }
        g.drawString(text, (float) (node.cx() - fm.stringWidth(text) / 2.0), (float) (node.cy() + fm.getAscent() / 2.5));
    }

    private static void arrow(Graphics2D g, Random random, Node a, Node b, Color color, float stroke) {
        g.setColor(color);
        g.setStroke(random.nextDouble() < 0.15 ? Synth.dashed(stroke, 5) : Synth.stroke(stroke));
        double x1 = a.cx();
        double y1 = a.cy();
        double x2 = b.cx();
        double y2 = b.cy();
        double[] start = edgePoint(a, x2, y2);
        double[] end = edgePoint(b, x1, y1);
        if (random.nextDouble() < 0.4 && Math.abs(start[0] - end[0]) > 5) {
            Path2D elbow = new Path2D.Double();
            elbow.moveTo(start[0], start[1]);
            double midY = (start[1] + end[1]) / 2;
            elbow.lineTo(start[0], midY);
            elbow.lineTo(end[0], midY);
            elbow.lineTo(end[0], end[1]);
            g.draw(elbow);
            head(g, end[0], midY, end[0], end[1], stroke);
        } else {
            g.draw(new java.awt.geom.Line2D.Double(start[0], start[1], end[0], end[1]));
            head(g, start[0], start[1], end[0], end[1], stroke);
        }
    }

    private static double[] edgePoint(Node n, double tx, double ty) {
        double dx = tx - n.cx();
        double dy = ty - n.cy();
        if (Math.abs(dx) < 1e-6 && Math.abs(dy) < 1e-6) {
            return new double[] {n.cx(), n.cy()};
        }
        double sx = Math.abs(dx) < 1e-6 ? Double.MAX_VALUE : (n.w / 2) / Math.abs(dx);
        double sy = Math.abs(dy) < 1e-6 ? Double.MAX_VALUE : (n.h / 2) / Math.abs(dy);
        double s = Math.min(sx, sy);
        return new double[] {n.cx() + dx * s, n.cy() + dy * s};
    }

    static void head(Graphics2D g, double x1, double y1, double x2, double y2, float stroke) {
        double angle = Math.atan2(y2 - y1, x2 - x1);
        double size = 6 + stroke * 3;
        Polygon p = new Polygon();
        p.addPoint((int) x2, (int) y2);
        p.addPoint((int) (x2 - size * Math.cos(angle - 0.4)), (int) (y2 - size * Math.sin(angle - 0.4)));
        p.addPoint((int) (x2 - size * Math.cos(angle + 0.4)), (int) (y2 - size * Math.sin(angle + 0.4)));
        g.fill(p);
    }

    private static void tree(Graphics2D g, Random random, int w, int h, Color line, boolean dark) {
        int levels = Synth.between(random, 2, 5);
        double nodeH = h / (levels * 2.2);
        float stroke = (float) Synth.between(random, 1.0, 2.5);
        Font font = Synth.font(random, (float) Math.max(9, Math.min(nodeH * 0.35, 16)), false);
        List<Node> previous = List.of(new Node(w / 2.0 - w * 0.08, h * 0.05, w * 0.16, nodeH));
        List<Node> all = new ArrayList<>(previous);
        g.setStroke(Synth.stroke(stroke));
        for (int level = 1; level < levels; level++) {
            List<Node> current = new ArrayList<>();
            int count = Math.min(12, previous.size() * Synth.between(random, 1, 3));
            double nodeW = Math.min(w * 0.16, w / (count * 1.3));
            for (int i = 0; i < count; i++) {
                double cx = w * (i + 0.5) / count;
                Node node = new Node(cx - nodeW / 2, h * 0.05 + level * (h * 0.9 / levels), nodeW, nodeH);
                Node parent = previous.get(Math.min(previous.size() - 1, i * previous.size() / count));
                g.setColor(line);
                g.draw(new java.awt.geom.Line2D.Double(parent.cx(), parent.y + parent.h, node.cx(), node.y));
                current.add(node);
            }
            all.addAll(current);
            previous = current;
        }
        Color f = fill(random, dark);
        for (Node node : all) {
            Shape shape = random.nextDouble() < 0.7 ? new RoundRectangle2D.Double(node.x, node.y, node.w, node.h, 8, 8)
                    : new Ellipse2D.Double(node.x, node.y, node.w, node.h);
            if (f != null) {
                g.setColor(f);
                g.fill(shape);
            }
            g.setColor(line);
            g.draw(shape);
            label(g, random, font, node, dark ? Color.WHITE : Synth.gray(30));
        }
    }

    private static void graph(Graphics2D g, Random random, int w, int h, Color line, boolean dark) {
        int count = Synth.between(random, 5, 18);
        double r = Math.min(w, h) * Synth.between(random, 0.03, 0.07);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(new Node(r + random.nextDouble() * (w - 4 * r), r + random.nextDouble() * (h - 4 * r), 2 * r, 2 * r));
        }
        float stroke = (float) Synth.between(random, 1.0, 2.5);
        g.setStroke(Synth.stroke(stroke));
        g.setColor(line);
        for (int i = 0; i < count; i++) {
            for (int e = 0; e < Synth.between(random, 1, 3); e++) {
                Node a = nodes.get(i);
                Node b = nodes.get(random.nextInt(count));
                if (a != b) {
                    g.draw(new java.awt.geom.Line2D.Double(a.cx(), a.cy(), b.cx(), b.cy()));
                }
            }
        }
        Color f = fill(random, dark);
        Font font = Synth.font(random, (float) Math.max(9, r * 0.6), false);
        for (Node n : nodes) {
            Shape s = new Ellipse2D.Double(n.x, n.y, n.w, n.h);
            g.setColor(f == null ? (dark ? Synth.gray(30) : Color.WHITE) : f);
            g.fill(s);
            g.setColor(line);
            g.draw(s);
            g.setFont(font);
            g.setColor(dark ? Color.WHITE : Synth.gray(20));
            String t = Character.toString((char) ('A' + random.nextInt(26)));
            g.drawString(t, (float) (n.cx() - g.getFontMetrics().stringWidth(t) / 2.0), (float) (n.cy() + font.getSize2D() / 3));
        }
    }

    private static void sequence(Graphics2D g, Random random, int w, int h, Color line) {
        int actors = Synth.between(random, 2, 6);
        double boxW = w / (actors * 1.6);
        double boxH = Math.max(20, h * 0.07);
        Font font = Synth.font(random, (float) Math.max(9, Math.min(boxH * 0.4, 16)), false);
        double[] xs = new double[actors];
        Color f = Synth.pastel(random);
        for (int a = 0; a < actors; a++) {
            xs[a] = w * (a + 0.5) / actors;
            Node box = new Node(xs[a] - boxW / 2, h * 0.04, boxW, boxH);
            g.setColor(f);
            g.fill(new Rectangle2D.Double(box.x, box.y, box.w, box.h));
            g.setColor(line);
            g.setStroke(Synth.stroke(1.5f));
            g.draw(new Rectangle2D.Double(box.x, box.y, box.w, box.h));
            label(g, random, font, box, Synth.gray(20));
            g.setStroke(Synth.dashed(1f, 5));
            g.draw(new java.awt.geom.Line2D.Double(xs[a], box.y + box.h, xs[a], h * 0.96));
        }
        int messages = Synth.between(random, 3, 12);
        g.setFont(font.deriveFont(font.getSize2D() * 0.85f));
        for (int m = 0; m < messages; m++) {
            double y = h * 0.04 + boxH + (m + 1) * (h * 0.85 - boxH) / (messages + 1);
            int from = random.nextInt(actors);
            int to = random.nextInt(actors);
            if (from == to) {
                to = (to + 1) % actors;
            }
            g.setStroke(random.nextDouble() < 0.3 ? Synth.dashed(1.2f, 4) : Synth.stroke(1.2f));
            g.draw(new java.awt.geom.Line2D.Double(xs[from], y, xs[to], y));
            head(g, xs[from], y, xs[to], y, 1.2f);
            g.drawString(Synth.words(random, Synth.between(random, 1, 3)), (float) (Math.min(xs[from], xs[to]) + 6), (float) (y - 4));
        }
    }

    private static void classes(Graphics2D g, Random random, int w, int h, Color line, boolean dark) {
        int count = Synth.between(random, 2, 6);
        List<Node> nodes = layout(random, w, h, Math.min(3, count), (count + 2) / 3, w / 4.5, h / 2.8);
        Font font = Synth.font(random, (float) Math.max(9, Math.min(h / 40.0, 15)), random.nextDouble() < 0.4);
        for (int i = 0; i + 1 < nodes.size(); i++) {
            arrow(g, random, nodes.get(i), nodes.get(i + 1), line, 1.2f);
        }
        Color header = dark ? Synth.gray(60) : Synth.pastel(random);
        for (Node n : nodes) {
            g.setColor(dark ? Synth.gray(40) : Color.WHITE);
            g.fill(new Rectangle2D.Double(n.x, n.y, n.w, n.h));
            g.setColor(header);
            g.fill(new Rectangle2D.Double(n.x, n.y, n.w, n.h * 0.2));
            g.setColor(line);
            g.setStroke(Synth.stroke(1.3f));
            g.draw(new Rectangle2D.Double(n.x, n.y, n.w, n.h));
            g.draw(new java.awt.geom.Line2D.Double(n.x, n.y + n.h * 0.2, n.x + n.w, n.y + n.h * 0.2));
            g.draw(new java.awt.geom.Line2D.Double(n.x, n.y + n.h * 0.6, n.x + n.w, n.y + n.h * 0.6));
            g.setFont(font.deriveFont(Font.BOLD));
            g.drawString(Synth.title(random, 1), (float) (n.x + 6), (float) (n.y + n.h * 0.14));
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            double y = n.y + n.h * 0.2 + fm.getHeight();
            while (y < n.y + n.h - 4) {
                if (Math.abs(y - (n.y + n.h * 0.6)) > fm.getHeight() * 0.6) {
                    g.drawString((random.nextBoolean() ? "+ " : "- ") + Synth.word(random) + ": " + Synth.word(random),
                            (float) (n.x + 6), (float) y);
                }
                y += fm.getHeight() * 1.3;
            }
        }
    }

    /** Geometric line art: overlapping circles, rosettes, spirographs, concentric shapes. */
    private static void pattern(Graphics2D g, Random random, int w, int h, Color line) {
        double cx = w / 2.0;
        double cy = h / 2.0;
        double size = Math.min(w, h) * Synth.between(random, 0.12, 0.3);
        float width = (float) Synth.between(random, 0.8, 3.0);
        g.setStroke(Synth.stroke(width));
        double kind = random.nextDouble();
        boolean shade = random.nextDouble() < 0.4;
        if (kind < 0.4) {
            int rings = Synth.between(random, 1, 4);
            size = size * Synth.between(random, 0.5, 1.0);
            for (int ring = 0; ring <= rings; ring++) {
                int count = ring == 0 ? 1 : 6 * ring;
                for (int k = 0; k < count; k++) {
                    double angle = 2 * Math.PI * k / count;
                    double x = cx + ring * size * Math.cos(angle);
                    double y = cy + ring * size * Math.sin(angle);
                    Ellipse2D circle = new Ellipse2D.Double(x - size, y - size, 2 * size, 2 * size);
                    if (shade) {
                        g.setColor(new Color(line.getRed(), line.getGreen(), line.getBlue(), 20));
                        g.fill(circle);
                    }
                    g.setColor(line);
                    g.draw(circle);
                }
            }
        } else if (kind < 0.7) {
            double r1 = size * Synth.between(random, 1.0, 2.0);
            double r2 = size * Synth.between(random, 0.2, 0.9);
            double d = size * Synth.between(random, 0.3, 1.2);
            Path2D path = new Path2D.Double();
            for (int step = 0; step <= 3000; step++) {
                double t = step * 0.02;
                double x = cx + (r1 - r2) * Math.cos(t) + d * Math.cos((r1 - r2) / r2 * t);
                double y = cy + (r1 - r2) * Math.sin(t) - d * Math.sin((r1 - r2) / r2 * t);
                if (step == 0) {
                    path.moveTo(x, y);
                } else {
                    path.lineTo(x, y);
                }
            }
            g.setColor(line);
            g.draw(path);
        } else {
            int count = Synth.between(random, 4, 20);
            boolean squares = random.nextBoolean();
            for (int k = 1; k <= count; k++) {
                double r = size * 2.2 * k / count;
                g.setColor(line);
                Shape shape = squares ? new Rectangle2D.Double(cx - r, cy - r, 2 * r, 2 * r) : new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
                if (squares && random.nextBoolean()) {
                    g.rotate(Math.PI / 4 * k / count, cx, cy);
                    g.draw(shape);
                    g.rotate(-Math.PI / 4 * k / count, cx, cy);
                } else {
                    g.draw(shape);
                }
            }
        }
    }

    private static void drawing(Graphics2D g, Random random, int w, int h, Color line) {
        int strokes = Synth.between(random, 4, 30);
        float width = (float) Synth.between(random, 0.8, 3.5);
        g.setStroke(Synth.stroke(width));
        boolean colour = random.nextDouble() < 0.3;
        int[] palette = Synth.palette(random);
        for (int s = 0; s < strokes; s++) {
            g.setColor(colour ? Synth.rgb(palette[random.nextInt(palette.length)]).darker() : line);
            double kind = random.nextDouble();
            double x = random.nextDouble() * w;
            double y = random.nextDouble() * h;
            double size = Math.min(w, h) * Synth.between(random, 0.05, 0.5);
            if (kind < 0.25) {
                g.draw(new Ellipse2D.Double(x - size / 2, y - size / 2, size, size * Synth.between(random, 0.5, 1.0)));
            } else if (kind < 0.5) {
                g.draw(new CubicCurve2D.Double(x, y, random.nextDouble() * w, random.nextDouble() * h,
                        random.nextDouble() * w, random.nextDouble() * h, random.nextDouble() * w, random.nextDouble() * h));
            } else if (kind < 0.75) {
                Path2D poly = new Path2D.Double();
                poly.moveTo(x, y);
                for (int k = 0; k < Synth.between(random, 2, 6); k++) {
                    x = Math.max(0, Math.min(w, x + (random.nextDouble() - 0.5) * size * 2));
                    y = Math.max(0, Math.min(h, y + (random.nextDouble() - 0.5) * size * 2));
                    poly.lineTo(x, y);
                }
                if (random.nextBoolean()) {
                    poly.closePath();
                }
                g.draw(poly);
            } else {
                double x2 = x + (random.nextDouble() - 0.5) * size * 2;
                double y2 = random.nextBoolean() ? y : y + (random.nextDouble() - 0.5) * size * 2;
                g.draw(new java.awt.geom.Line2D.Double(x, y, x2, y2));
                if (random.nextDouble() < 0.3) {
                    head(g, x, y, x2, y2, width);
                    g.setFont(Synth.font(random, 11f, false));
                    g.drawString(Synth.number(random) + " mm", (float) ((x + x2) / 2), (float) ((y + y2) / 2 - 4));
                }
            }
        }
    }
}
