package dev.crank.workers.image.training;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Rendered text pages: one or two columns of paragraphs, headings, lists, the odd table or
 * equation, on white, cream or scanned-grey paper, in serif, sans or monospaced type.
 */
final class DocumentPainter {

    private DocumentPainter() {}

    static BufferedImage paint(Random random) {
        int width = Synth.between(random, 520, 1300);
        double ratio = random.nextDouble() < 0.8 ? Synth.between(random, 1.25, 1.45) : Synth.between(random, 0.6, 1.1);
        int height = (int) (width * ratio);
        Color paper = Synth.paper(random);
        BufferedImage image = Synth.canvas(width, height, paper);
        Graphics2D g = Synth.graphics(image, random);
        Color ink = Synth.ink(random);
        boolean mono = random.nextDouble() < 0.12;
        boolean serif = random.nextDouble() < 0.5;
        String family = mono ? "Monospaced" : Synth.familyOf(random, serif);
        float body = (float) (width / Synth.between(random, 38.0, 85.0));
        int margin = (int) (width * Synth.between(random, 0.06, 0.15));
        int columns = !mono && random.nextDouble() < 0.3 ? 2 : 1;
        int gutter = (int) (width * 0.04);
        int columnWidth = (width - 2 * margin - (columns - 1) * gutter) / columns;
        double leading = Synth.between(random, 1.15, 1.7);
        boolean justify = random.nextDouble() < 0.5;

        int y = margin;
        if (random.nextDouble() < 0.35) {
            g.setFont(Synth.font(family, Font.PLAIN, body * 0.8f));
            g.setColor(Synth.gray(90 + random.nextInt(60)));
            g.drawString(Synth.title(random, Synth.between(random, 2, 5)), margin, y);
            if (random.nextBoolean()) {
                g.drawLine(margin, y + (int) (body * 0.5), width - margin, y + (int) (body * 0.5));
            }
            y += (int) (body * 2);
        }
        if (random.nextDouble() < 0.8) {
            Font titleFont = Synth.font(family, Font.BOLD, body * (float) Synth.between(random, 1.4, 2.6));
            g.setFont(titleFont);
            g.setColor(ink);
            String title = Synth.title(random, Synth.between(random, 2, 7));
            FontMetrics fm = g.getFontMetrics();
            int x = random.nextBoolean() ? margin : Math.max(margin, (width - fm.stringWidth(title)) / 2);
            y += fm.getAscent();
            g.drawString(title, x, y);
            y += (int) (fm.getHeight() * 0.9);
            if (random.nextDouble() < 0.5) {
                g.setFont(Synth.font(family, Font.ITALIC, body * 0.95f));
                g.drawString(Synth.words(random, Synth.between(random, 3, 9)), x, y);
                y += (int) (body * 2);
            }
        }
        int top = y;
        Font font = mono ? Synth.font("Monospaced", Font.PLAIN, body) : Synth.font(family, Font.PLAIN, body);
        for (int c = 0; c < columns; c++) {
            int x = margin + c * (columnWidth + gutter);
            y = top;
            while (y < height - margin - body * 2) {
                double block = random.nextDouble();
                if (block < 0.62) {
                    y = paragraph(g, random, font, ink, x, y, columnWidth, leading, justify, height - margin);
                } else if (block < 0.74) {
                    g.setFont(Synth.font(family, Font.BOLD, body * (float) Synth.between(random, 1.05, 1.5)));
                    g.setColor(ink);
                    y += (int) (body * 1.2);
                    g.drawString(Synth.title(random, Synth.between(random, 1, 5)), x, y);
                    y += (int) (body * 0.9);
                } else if (block < 0.86) {
                    y = list(g, random, font, ink, x, y, columnWidth, leading, height - margin);
                } else if (block < 0.93) {
                    y = table(g, random, font, ink, x, y, columnWidth, height - margin);
                } else {
                    g.setFont(Synth.font("Serif", Font.ITALIC, body * 1.1f));
                    g.setColor(ink);
                    y += (int) (body * 1.8);
                    String eq = Synth.word(random) + " = " + Synth.number(random) + " \u00b7 " + Synth.word(random) + " + \u03a3 "
                            + Synth.word(random);
                    g.drawString(eq, x + columnWidth / 2 - g.getFontMetrics().stringWidth(eq) / 2, y);
                    y += (int) (body * 1.2);
                }
                y += (int) (body * Synth.between(random, 0.4, 1.2));
            }
        }
        if (random.nextDouble() < 0.6) {
            g.setFont(Synth.font(family, Font.PLAIN, body * 0.85f));
            g.setColor(ink);
            String page = Integer.toString(1 + random.nextInt(300));
            g.drawString(page, width / 2 - g.getFontMetrics().stringWidth(page) / 2, height - margin / 2);
        }
        g.dispose();
        return image;
    }

    private static int paragraph(Graphics2D g, Random random, Font font, Color ink, int x, int y, int width,
                                 double leading, boolean justify, int bottom) {
        g.setFont(font);
        g.setColor(ink);
        FontMetrics fm = g.getFontMetrics();
        int lineHeight = (int) Math.max(2, fm.getHeight() * leading / 1.2);
        int lines = Synth.between(random, 2, 14);
        boolean indent = random.nextBoolean();
        for (int line = 0; line < lines && y + lineHeight < bottom; line++) {
            y += lineHeight;
            int start = x + (line == 0 && indent ? fm.stringWidth("MMM") : 0);
            boolean last = line == lines - 1;
            int target = last ? (int) (width * Synth.between(random, 0.2, 0.9)) : width - (start - x);
            drawLine(g, random, fm, start, y, target, justify && !last);
        }
        return y;
    }

    private static void drawLine(Graphics2D g, Random random, FontMetrics fm, int x, int y, int target, boolean justify) {
        StringBuilder line = new StringBuilder();
        java.util.List<String> words = new java.util.ArrayList<>();
        while (true) {
            String w = Synth.word(random);
            if (random.nextDouble() < 0.05) {
                w = w + ",";
            }
            if (fm.stringWidth(line + " " + w) > target && !words.isEmpty()) {
                break;
            }
            words.add(w);
            line.append(line.length() == 0 ? "" : " ").append(w);
        }
        if (!justify || words.size() < 2) {
            g.drawString(line.toString(), x, y);
            return;
        }
        int textWidth = 0;
        for (String w : words) {
            textWidth += fm.stringWidth(w);
        }
        double gap = (target - textWidth) / (double) (words.size() - 1);
        double cursor = x;
        for (String w : words) {
            g.drawString(w, (float) cursor, y);
            cursor += fm.stringWidth(w) + gap;
        }
    }

    private static int list(Graphics2D g, Random random, Font font, Color ink, int x, int y, int width,
                            double leading, int bottom) {
        g.setFont(font);
        g.setColor(ink);
        FontMetrics fm = g.getFontMetrics();
        int lineHeight = (int) (fm.getHeight() * leading / 1.2);
        int items = Synth.between(random, 2, 6);
        boolean numbered = random.nextBoolean();
        for (int i = 0; i < items && y + lineHeight < bottom; i++) {
            y += lineHeight;
            g.drawString(numbered ? (i + 1) + "." : "\u2022", x + fm.stringWidth("M"), y);
            int indent = fm.stringWidth("MMM");
            drawLine(g, random, fm, x + indent, y, (int) ((width - indent) * Synth.between(random, 0.4, 1.0)), false);
        }
        return y;
    }

    private static int table(Graphics2D g, Random random, Font font, Color ink, int x, int y, int width, int bottom) {
        g.setFont(font.deriveFont(font.getSize2D() * 0.9f));
        FontMetrics fm = g.getFontMetrics();
        int cols = Synth.between(random, 2, 5);
        int rows = Synth.between(random, 3, 8);
        int rowHeight = (int) (fm.getHeight() * 1.4);
        int colWidth = width / cols;
        y += rowHeight / 2;
        boolean grid = random.nextBoolean();
        for (int r = 0; r < rows && y + rowHeight < bottom; r++) {
            g.setColor(ink);
            if (grid || r <= 1) {
                g.drawLine(x, y, x + width, y);
            }
            for (int c = 0; c < cols; c++) {
                String cell = r == 0 ? Synth.title(random, 1) : c == 0 ? Synth.word(random) : Synth.number(random);
                g.drawString(cell, x + c * colWidth + 4, y + rowHeight - fm.getDescent() - 3);
            }
            y += rowHeight;
        }
        g.drawLine(x, y, x + width, y);
        return y;
    }
}
