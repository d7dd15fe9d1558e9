package dev.crank.workers.image.training;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/**
 * User-interface screenshots: desktop windows, web pages, code editors, terminals, chat, forms,
 * spreadsheets, mail and phone apps, in light and dark themes.
 */
final class ScreenshotPainter {

    /** Theme colours of one screenshot. */
    private record Theme(Color background, Color surface, Color bar, Color border, Color text, Color muted, Color accent,
                         boolean dark) {}

    private ScreenshotPainter() {}

    static BufferedImage paint(Random random) {
        boolean phone = random.nextDouble() < 0.18;
        int width = phone ? Synth.between(random, 360, 430) : Synth.between(random, 640, 1920);
        int height = phone ? (int) (width * Synth.between(random, 1.75, 2.2)) : (int) (width * Synth.between(random, 0.5, 0.8));
        Theme theme = theme(random);
        BufferedImage image = Synth.canvas(width, height, theme.background);
        Graphics2D g = Synth.graphics(image, random);
        float fontSize = (float) Synth.between(random, 11.0, 16.0) * (phone ? 1.2f : 1f);
        Font font = Synth.font(random, fontSize, false);
        g.setFont(font);
        if (phone) {
            phone(g, random, width, height, theme);
        } else {
            double kind = random.nextDouble();
            if (kind < 0.15) {
                editor(g, random, width, height, theme);
            } else if (kind < 0.23) {
                terminal(g, random, width, height);
            } else if (kind < 0.38) {
                web(g, random, width, height, theme);
            } else if (kind < 0.58) {
                browser(g, random, width, height, theme);
            } else if (kind < 0.66) {
                spreadsheet(g, random, width, height, theme);
            } else if (kind < 0.74) {
                dialog(g, random, width, height, theme);
            } else {
                app(g, random, width, height, theme);
            }
        }
        g.dispose();
        return image;
    }

    private static Theme theme(Random random) {
        Color accent = Synth.rgb(Synth.pick(random, List.of(0x0078d4, 0x1a73e8, 0x6200ee, 0x2e7d32, 0xe91e63, 0xff5722,
                0x00897b, 0x5865f2, 0x0a66c2, 0x24292f, 0xd32f2f, 0x7b1fa2)));
        if (random.nextDouble() < 0.35) {
            Color bg = Synth.rgb(Synth.pick(random, List.of(0x1e1e1e, 0x202124, 0x0d1117, 0x282c34, 0x1f2937, 0x2b2d31)));
            return new Theme(bg, Synth.jitter(bg, random, 0).brighter(), Synth.gray(20 + random.nextInt(30)), Synth.gray(70),
                    Synth.gray(220 + random.nextInt(30)), Synth.gray(140), accent, true);
        }
        Color bg = random.nextDouble() < 0.6 ? Color.WHITE : Synth.gray(243 + random.nextInt(10));
        return new Theme(bg, random.nextBoolean() ? Color.WHITE : Synth.gray(248), Synth.gray(225 + random.nextInt(25)),
                Synth.gray(200 + random.nextInt(25)), Synth.gray(20 + random.nextInt(40)), Synth.gray(110 + random.nextInt(40)),
                accent, false);
    }

    private static int titleBar(Graphics2D g, Random random, int width, Theme theme) {
        int h = Synth.between(random, 26, 40);
        g.setColor(random.nextDouble() < 0.3 ? theme.accent : theme.bar);
        g.fillRect(0, 0, width, h);
        for (int i = 0; i < 3; i++) {
            g.setColor(random.nextBoolean() ? Synth.rgb(new int[] {0xff5f57, 0xfebc2e, 0x28c840}[i]) : theme.muted);
            int d = h / 3;
            g.fill(new Ellipse2D.Double(10 + i * (d + 8), (h - d) / 2.0, d, d));
        }
        g.setColor(theme.text);
        g.drawString(Synth.title(random, Synth.between(random, 1, 4)), width / 2 - 60, h * 0.65f);
        return h;
    }

    private static void textLine(Graphics2D g, Random random, int x, int y, int maxWidth, Color color) {
        g.setColor(color);
        String text = Synth.words(random, Synth.between(random, 1, 9));
        FontMetrics fm = g.getFontMetrics();
        while (fm.stringWidth(text) > maxWidth && text.contains(" ")) {
            text = text.substring(0, text.lastIndexOf(' '));
        }
        g.drawString(text, x, y);
    }

    private static void icon(Graphics2D g, Random random, double x, double y, double size) {
        g.setColor(Synth.vivid(random));
        if (random.nextBoolean()) {
            g.fill(new Ellipse2D.Double(x, y, size, size));
        } else {
            g.fill(new RoundRectangle2D.Double(x, y, size, size, size / 3, size / 3));
        }
    }

    private static void button(Graphics2D g, Random random, int x, int y, int w, int h, Theme theme, boolean primary) {
        RoundRectangle2D shape = new RoundRectangle2D.Double(x, y, w, h, h * 0.4, h * 0.4);
        g.setColor(primary ? theme.accent : theme.surface);
        g.fill(shape);
        g.setColor(primary ? theme.accent.darker() : theme.border);
        g.draw(shape);
        g.setColor(primary ? Color.WHITE : theme.text);
        String label = Synth.title(random, 1);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(label, x + (w - fm.stringWidth(label)) / 2f, y + h / 2f + fm.getAscent() / 2.8f);
    }

    private static void app(Graphics2D g, Random random, int w, int h, Theme theme) {
        int top = titleBar(g, random, w, theme);
        int toolbar = Synth.between(random, 0, 1) * Synth.between(random, 30, 48);
        if (toolbar > 0) {
            g.setColor(theme.surface);
            g.fillRect(0, top, w, toolbar);
            for (int i = 0; i < Synth.between(random, 3, 12); i++) {
                icon(g, random, 12 + i * 34, top + (toolbar - 18) / 2.0, 18);
            }
            g.setColor(theme.border);
            g.drawLine(0, top + toolbar, w, top + toolbar);
        }
        int y0 = top + toolbar;
        int sidebar = random.nextDouble() < 0.75 ? (int) (w * Synth.between(random, 0.15, 0.28)) : 0;
        FontMetrics fm = g.getFontMetrics();
        if (sidebar > 0) {
            g.setColor(theme.dark ? theme.bar : Synth.gray(242 + random.nextInt(10)));
            g.fillRect(0, y0, sidebar, h - y0);
            g.setColor(theme.border);
            g.drawLine(sidebar, y0, sidebar, h);
            int row = (int) (fm.getHeight() * Synth.between(random, 1.6, 2.4));
            int selected = random.nextInt(8);
            for (int i = 0, y = y0 + row; y < h; i++, y += row) {
                if (i == selected) {
                    g.setColor(theme.accent);
                    g.fillRect(4, y - row + 6, sidebar - 8, row - 4);
                }
                icon(g, random, 12, y - fm.getAscent(), fm.getAscent());
                textLine(g, random, 20 + fm.getAscent(), y - 2, sidebar - 30, i == selected ? Color.WHITE : theme.text);
            }
        }
        int x0 = sidebar + 20;
        int y = y0 + 30;
        g.setFont(g.getFont().deriveFont(Font.BOLD, g.getFont().getSize2D() * 1.5f));
        textLine(g, random, x0, y, w - x0 - 20, theme.text);
        g.setFont(g.getFont().deriveFont(Font.PLAIN, g.getFont().getSize2D() / 1.5f));
        y += 20;
        while (y < h - 40) {
            double block = random.nextDouble();
            if (block < 0.35) {
                int fieldW = (int) ((w - x0) * Synth.between(random, 0.3, 0.6));
                textLine(g, random, x0, y + fm.getAscent(), fieldW, theme.muted);
                g.setColor(theme.surface);
                g.fillRect(x0, y + fm.getHeight() + 4, fieldW, fm.getHeight() + 12);
                g.setColor(theme.border);
                g.drawRect(x0, y + fm.getHeight() + 4, fieldW, fm.getHeight() + 12);
                textLine(g, random, x0 + 6, y + 2 * fm.getHeight() + 8, fieldW - 12, theme.text);
                y += 3 * fm.getHeight() + 24;
            } else if (block < 0.6) {
                int rows = Synth.between(random, 3, 10);
                int rowH = fm.getHeight() + Synth.between(random, 10, 22);
                for (int r = 0; r < rows && y < h - rowH; r++) {
                    if (r % 2 == 1 && random.nextBoolean()) {
                        g.setColor(theme.dark ? theme.surface : Synth.gray(246));
                        g.fillRect(x0 - 10, y, w - x0, rowH);
                    }
                    textLine(g, random, x0, y + rowH / 2 + fm.getAscent() / 2 - 2, (w - x0) / 3, theme.text);
                    textLine(g, random, x0 + (w - x0) / 2, y + rowH / 2 + fm.getAscent() / 2 - 2, (w - x0) / 3, theme.muted);
                    g.setColor(theme.border);
                    g.drawLine(x0 - 10, y + rowH, w, y + rowH);
                    y += rowH;
                }
                y += 20;
            } else if (block < 0.8) {
                int bx = x0;
                for (int b = 0; b < Synth.between(random, 1, 4); b++) {
                    int bw = Synth.between(random, 70, 140);
                    button(g, random, bx, y, bw, fm.getHeight() + 14, theme, b == 0);
                    bx += bw + 12;
                }
                y += fm.getHeight() + 40;
            } else {
                int cards = Synth.between(random, 2, 4);
                int cw = (w - x0 - 20 * cards) / cards;
                int ch = Synth.between(random, 80, 180);
                for (int c = 0; c < cards; c++) {
                    int cx = x0 + c * (cw + 20);
                    g.setColor(theme.surface);
                    g.fill(new RoundRectangle2D.Double(cx, y, cw, ch, 10, 10));
                    g.setColor(theme.border);
                    g.draw(new RoundRectangle2D.Double(cx, y, cw, ch, 10, 10));
                    if (random.nextDouble() < 0.3) {
                        thumbnail(g, random, cx + 8, y + 8, cw - 16, ch / 2);
                    }
                    textLine(g, random, cx + 12, y + ch - 2 * fm.getHeight(), cw - 24, theme.text);
                    textLine(g, random, cx + 12, y + ch - fm.getHeight() + 4, cw - 24, theme.muted);
                }
                y += ch + 24;
            }
        }
    }

    /** A small picture inside a UI (avatar, thumbnail): a photo painted at small size. */
    private static void thumbnail(Graphics2D g, Random random, int x, int y, int w, int h) {
        if (w < 8 || h < 8) {
            return;
        }
        BufferedImage photo = PhotoPainter.paintSized(random, w, h);
        g.drawImage(photo, x, y, null);
    }

    private static void web(Graphics2D g, Random random, int w, int h, Theme theme) {
        int y = 0;
        if (random.nextBoolean()) {
            g.setColor(Synth.gray(theme.dark ? 35 : 222));
            g.fillRect(0, 0, w, 70);
            g.setColor(theme.dark ? Synth.gray(60) : Color.WHITE);
            g.fill(new RoundRectangle2D.Double(120, 40, w - 240, 24, 12, 12));
            g.setColor(theme.muted);
            g.drawString("https://" + Synth.word(random) + "." + Synth.pick(random, List.of("com", "org", "io", "dev")) + "/"
                    + Synth.word(random), 136, 57);
            y = 70;
        }
        FontMetrics fm = g.getFontMetrics();
        int nav = Synth.between(random, 48, 72);
        g.setColor(random.nextBoolean() ? theme.accent : theme.surface);
        g.fillRect(0, y, w, nav);
        g.setColor(g.getColor().equals(theme.accent) ? Color.WHITE : theme.text);
        g.setFont(g.getFont().deriveFont(Font.BOLD));
        g.drawString(Synth.title(random, 1), 24, y + nav / 2 + fm.getAscent() / 2);
        g.setFont(g.getFont().deriveFont(Font.PLAIN));
        for (int i = 0; i < Synth.between(random, 3, 7); i++) {
            g.drawString(Synth.title(random, 1), w / 3 + i * 110, y + nav / 2 + fm.getAscent() / 2);
        }
        y += nav;
        if (random.nextDouble() < 0.5) {
            int hero = (int) (h * Synth.between(random, 0.2, 0.4));
            if (random.nextDouble() < 0.35) {
                thumbnail(g, random, 0, y, w, hero);
            } else {
                g.setColor(Synth.hsb(random.nextDouble(), 0.3 + random.nextDouble() * 0.5, 0.4 + random.nextDouble() * 0.5));
                g.fillRect(0, y, w, hero);
            }
            g.setFont(g.getFont().deriveFont(Font.BOLD, g.getFont().getSize2D() * 2.2f));
            textLine(g, random, w / 10, y + hero / 2, w * 8 / 10, Color.WHITE);
            g.setFont(g.getFont().deriveFont(Font.PLAIN, g.getFont().getSize2D() / 2.2f));
            y += hero;
        }
        y += 30;
        int cols = Synth.between(random, 1, 4);
        int colW = (w - 80) / cols;
        while (y < h - 30) {
            for (int c = 0; c < cols; c++) {
                int x = 40 + c * colW;
                if (cols > 1 && random.nextDouble() < 0.4) {
                    thumbnail(g, random, x, y, colW - 30, Math.min(140, colW / 2));
                }
                g.setFont(g.getFont().deriveFont(Font.BOLD));
                textLine(g, random, x, y + Math.min(140, colW / 2) + 24, colW - 30, theme.text);
                g.setFont(g.getFont().deriveFont(Font.PLAIN));
                for (int l = 0; l < Synth.between(random, 2, 5); l++) {
                    textLine(g, random, x, y + Math.min(140, colW / 2) + 44 + l * fm.getHeight(), colW - 30, theme.muted);
                }
            }
            y += Math.min(140, colW / 2) + 60 + 5 * fm.getHeight();
        }
    }

    /** A browser window: tab strip, address bar, then a sparse page, a documentation page or a report. */
    private static void browser(Graphics2D g, Random random, int w, int h, Theme theme) {
        Color chrome = theme.dark ? Synth.gray(40 + random.nextInt(20)) : Synth.gray(218 + random.nextInt(20));
        g.setColor(chrome);
        g.fillRect(0, 0, w, 80);
        int tabs = Synth.between(random, 1, 5);
        for (int t = 0; t < tabs; t++) {
            g.setColor(t == 0 ? theme.background : chrome.darker());
            g.fill(new RoundRectangle2D.Double(8 + t * 210, 6, 200, 34, 10, 10));
            g.setColor(theme.text);
            textLine(g, random, 20 + t * 210, 28, 150, theme.text);
            g.drawString("\u00d7", 8 + t * 210 + 180, 28);
        }
        g.setColor(theme.background);
        g.fillRect(0, 40, w, 40);
        g.setColor(theme.muted);
        g.drawString("\u2190  \u2192  \u21bb", 12, 65);
        g.setColor(theme.dark ? Synth.gray(60) : Synth.gray(241));
        g.fill(new RoundRectangle2D.Double(100, 46, w - 200, 28, 14, 14));
        g.setColor(theme.text);
        g.drawString(Synth.pick(random, List.of("127.0.0.1:8080", "localhost:3000/", "https://docs.", "https://www."))
                + Synth.word(random) + "/" + Synth.word(random), 120, 65);
        g.setColor(theme.border);
        g.drawLine(0, 80, w, 80);
        FontMetrics fm = g.getFontMetrics();
        double page = random.nextDouble();
        if (page < 0.35) {
            g.setFont(Synth.font(random, (float) Synth.between(random, 24.0, 48.0), false).deriveFont(Font.BOLD));
            g.setColor(theme.text);
            int y = 80 + Synth.between(random, 40, 90);
            g.drawString(Synth.title(random, Synth.between(random, 1, 4)), 16, y);
            g.setFont(Synth.font(random, (float) Synth.between(random, 13.0, 18.0), false));
            for (int l = 0; l < Synth.between(random, 0, 6); l++) {
                y += g.getFontMetrics().getHeight() * 2;
                textLine(g, random, 16, y, w - 40, theme.text);
            }
        } else if (page < 0.75) {
            int side = (int) (w * Synth.between(random, 0.14, 0.24));
            g.setColor(theme.dark ? theme.surface : Synth.gray(246 + random.nextInt(8)));
            g.fillRect(0, 81, side, h);
            Color link = theme.dark ? Synth.rgb(0x8ab4f8) : Synth.rgb(Synth.pick(random, List.of(0x1a0dab, 0x0969da, 0x3873ad, 0x2a6496)));
            for (int y = 110; y < h; y += fm.getHeight() + 8) {
                textLine(g, random, 14 + (random.nextInt(3) == 0 ? 12 : 0), y, side - 24, random.nextBoolean() ? link : theme.text);
            }
            int x = side + 30;
            int y = 130;
            g.setFont(g.getFont().deriveFont(Font.BOLD, g.getFont().getSize2D() * 1.8f));
            textLine(g, random, x, y, w - x - 30, theme.text);
            g.setFont(g.getFont().deriveFont(Font.PLAIN, g.getFont().getSize2D() / 1.8f));
            y += 30;
            while (y < h - 20) {
                if (random.nextDouble() < 0.3) {
                    int lines = Synth.between(random, 2, 8);
                    g.setColor(theme.dark ? Synth.gray(45) : Synth.gray(245));
                    g.fillRect(x, y, w - x - 40, lines * fm.getHeight() + 16);
                    Font old = g.getFont();
                    g.setFont(Synth.font(random, old.getSize2D(), true));
                    for (int l = 0; l < lines; l++) {
                        textLine(g, random, x + 12 + (l % 3) * 16, y + 12 + (l + 1) * fm.getHeight() - 4, w - x - 80,
                                Synth.rgb(Synth.pick(random, List.of(0x333333, 0x8959a8, 0x3e999f, 0xc82829, 0x718c00))));
                    }
                    g.setFont(old);
                    y += lines * fm.getHeight() + 36;
                } else {
                    for (int l = 0; l < Synth.between(random, 1, 5) && y < h; l++) {
                        textLine(g, random, x, y, w - x - 40, l == 0 && random.nextBoolean() ? link : theme.text);
                        y += fm.getHeight() + 4;
                    }
                    y += 16;
                }
            }
        } else {
            int y = 110;
            int colW = (w - 40) / Synth.between(random, 3, 6);
            while (y < h - 10) {
                for (int x = 20; x + colW <= w - 20; x += colW) {
                    if (random.nextDouble() < 0.3) {
                        double share = random.nextDouble();
                        g.setColor(share > 0.5 ? Synth.rgb(0x4caf50) : Synth.rgb(0xe53935));
                        g.fillRect(x, y - fm.getAscent(), (int) ((colW - 10) * share), fm.getAscent() + 2);
                    } else {
                        textLine(g, random, x, y, colW - 10, theme.text);
                    }
                }
                g.setColor(theme.border);
                g.drawLine(20, y + 6, w - 20, y + 6);
                y += fm.getHeight() + 10;
            }
        }
    }

    /** A small dialog or message box, as an app window on its own. */
    private static void dialog(Graphics2D g, Random random, int w, int h, Theme theme) {
        int top = titleBar(g, random, w, theme);
        FontMetrics fm = g.getFontMetrics();
        int y = top + 40;
        if (random.nextBoolean()) {
            icon(g, random, 24, y - 20, 40);
        }
        for (int l = 0; l < Synth.between(random, 1, 5); l++) {
            textLine(g, random, 84, y, w - 120, theme.text);
            y += fm.getHeight() + 6;
        }
        if (random.nextBoolean()) {
            g.setColor(theme.surface);
            g.fillRect(84, y, w - 160, fm.getHeight() + 12);
            g.setColor(theme.border);
            g.drawRect(84, y, w - 160, fm.getHeight() + 12);
        }
        for (int b = 0; b < Synth.between(random, 1, 3); b++) {
            button(g, random, w - (b + 1) * 130, h - fm.getHeight() - 40, 110, fm.getHeight() + 14, theme, b == 0);
        }
    }

    private static void editor(Graphics2D g, Random random, int w, int h, Theme theme) {
        int top = titleBar(g, random, w, theme);
        int tabs = 32;
        g.setColor(theme.bar);
        g.fillRect(0, top, w, tabs);
        for (int i = 0; i < Synth.between(random, 1, 5); i++) {
            g.setColor(i == 0 ? theme.background : theme.bar);
            g.fillRect(i * 150, top, 148, tabs);
            g.setColor(theme.muted);
            g.drawString(Synth.word(random) + Synth.pick(random, List.of(".java", ".py", ".ts", ".go", ".rs")), i * 150 + 12, top + 21);
        }
        int tree = random.nextBoolean() ? (int) (w * 0.2) : 0;
        if (tree > 0) {
            g.setColor(theme.dark ? theme.bar : Synth.gray(245));
            g.fillRect(0, top + tabs, tree, h);
        }
        Font mono = Synth.font(random, (float) Synth.between(random, 11.0, 15.0), true);
        g.setFont(mono);
        FontMetrics fm = g.getFontMetrics();
        int line = (int) (fm.getHeight() * Synth.between(random, 1.1, 1.5));
        Color[] syntax = theme.dark
                ? new Color[] {Synth.rgb(0x569cd6), Synth.rgb(0xce9178), Synth.rgb(0x6a9955), Synth.rgb(0xdcdcaa), Synth.rgb(0x9cdcfe), theme.text}
                : new Color[] {Synth.rgb(0x0000ff), Synth.rgb(0xa31515), Synth.rgb(0x008000), Synth.rgb(0x795e26), Synth.rgb(0x001080), theme.text};
        int indent = 0;
        for (int n = 1, y = top + tabs + line; y < h; n++, y += line) {
            g.setColor(theme.muted);
            String number = Integer.toString(n);
            g.drawString(number, tree + 40 - fm.stringWidth(number), y);
            if (tree > 0) {
                textLine(g, random, 16 + (n % 3) * 10, y, tree - 30, theme.muted);
            }
            if (random.nextDouble() < 0.12) {
                continue;
            }
            indent = Math.max(0, Math.min(6, indent + random.nextInt(3) - 1));
            int x = tree + 56 + indent * fm.stringWidth("    ");
            for (int t = 0; t < Synth.between(random, 1, 7) && x < w; t++) {
                g.setColor(syntax[random.nextInt(syntax.length)]);
                String token = random.nextDouble() < 0.2 ? Synth.pick(random, List.of("(", ")", "{", "}", ";", "=", "->", "."))
                        : Synth.word(random);
                g.drawString(token, x, y);
                x += fm.stringWidth(token + " ");
            }
        }
    }

    private static void terminal(Graphics2D g, Random random, int w, int h) {
        Color bg = Synth.rgb(Synth.pick(random, List.of(0x000000, 0x1e1e1e, 0x300a24, 0x002b36, 0x0c0c0c, 0xffffff)));
        g.setColor(bg);
        g.fillRect(0, 0, w, h);
        boolean light = bg.getRed() > 128;
        Color text = light ? Synth.gray(30) : Synth.rgb(Synth.pick(random, List.of(0xcccccc, 0x00ff00, 0xeeeeee, 0x93a1a1)));
        Color prompt = Synth.rgb(Synth.pick(random, List.of(0x4e9a06, 0x8ae234, 0x729fcf, 0xfce94f)));
        g.setFont(Synth.font(random, (float) Synth.between(random, 11.0, 16.0), true));
        FontMetrics fm = g.getFontMetrics();
        for (int y = fm.getHeight() + 6; y < h; y += fm.getHeight()) {
            int x = 8;
            if (random.nextDouble() < 0.25) {
                g.setColor(prompt);
                String p = Synth.word(random) + "@" + Synth.word(random) + ":~$ ";
                g.drawString(p, x, y);
                x += fm.stringWidth(p);
            }
            g.setColor(random.nextDouble() < 0.1 ? Synth.vivid(random) : text);
            textLine(g, random, x, y, w - x - 8, g.getColor());
        }
    }

    private static void spreadsheet(Graphics2D g, Random random, int w, int h, Theme theme) {
        int top = titleBar(g, random, w, theme);
        g.setColor(theme.dark ? theme.bar : Synth.rgb(0x217346));
        g.fillRect(0, top, w, 36);
        top += 36;
        FontMetrics fm = g.getFontMetrics();
        int rowH = fm.getHeight() + 6;
        int colW = Synth.between(random, 70, 130);
        g.setColor(theme.dark ? theme.bar : Synth.gray(235));
        g.fillRect(0, top, w, rowH);
        g.fillRect(0, top, 40, h);
        for (int y = top; y < h; y += rowH) {
            g.setColor(theme.border);
            g.drawLine(0, y, w, y);
        }
        for (int x = 40; x < w; x += colW) {
            g.setColor(theme.border);
            g.drawLine(x, top, x, h);
            g.setColor(theme.muted);
            g.drawString(Character.toString((char) ('A' + (x - 40) / colW % 26)), x + colW / 2 - 4, top + rowH - 5);
        }
        int filledCols = Synth.between(random, 2, Math.max(2, (w - 40) / colW));
        int filledRows = Synth.between(random, 5, Math.max(5, (h - top) / rowH));
        for (int r = 1; r < filledRows; r++) {
            g.setColor(theme.muted);
            g.drawString(Integer.toString(r), 8, top + (r + 1) * rowH - 5);
            for (int c = 0; c < filledCols; c++) {
                g.setColor(r == 1 ? theme.text : c == 0 ? theme.text : theme.muted.darker());
                String cell = r == 1 ? Synth.title(random, 1) : c == 0 ? Synth.word(random) : Synth.number(random);
                if (fm.stringWidth(cell) < colW - 6) {
                    g.drawString(cell, 40 + c * colW + 4, top + (r + 1) * rowH - 5);
                }
            }
        }
    }

    private static void phone(Graphics2D g, Random random, int w, int h, Theme theme) {
        g.setColor(theme.text);
        g.drawString(random.nextInt(13) + ":" + (10 + random.nextInt(50)), 20, 24);
        g.fillRect(w - 50, 12, 26, 12);
        int y = 36;
        g.setColor(random.nextBoolean() ? theme.accent : theme.bar);
        g.fillRect(0, y, w, 56);
        g.setColor(g.getColor().equals(theme.accent) ? Color.WHITE : theme.text);
        g.setFont(g.getFont().deriveFont(Font.BOLD));
        g.drawString(Synth.title(random, Synth.between(random, 1, 3)), 20, y + 36);
        g.setFont(g.getFont().deriveFont(Font.PLAIN));
        y += 56;
        FontMetrics fm = g.getFontMetrics();
        boolean chat = random.nextDouble() < 0.35;
        while (y < h - 70) {
            if (chat) {
                boolean mine = random.nextBoolean();
                int bw = (int) (w * Synth.between(random, 0.35, 0.75));
                int lines = Synth.between(random, 1, 3);
                int bh = lines * fm.getHeight() + 16;
                int x = mine ? w - bw - 12 : 12;
                g.setColor(mine ? theme.accent : theme.dark ? Synth.gray(60) : Synth.gray(232));
                g.fill(new RoundRectangle2D.Double(x, y + 8, bw, bh, 18, 18));
                for (int l = 0; l < lines; l++) {
                    textLine(g, random, x + 10, y + 8 + (l + 1) * fm.getHeight() + 2, bw - 20, mine ? Color.WHITE : theme.text);
                }
                y += bh + 14;
            } else {
                int row = fm.getHeight() * 2 + 24;
                if (random.nextDouble() < 0.3) {
                    thumbnail(g, random, 16, y + 10, row - 20, row - 20);
                } else {
                    icon(g, random, 16, y + 12, row - 24);
                }
                g.setFont(g.getFont().deriveFont(Font.BOLD));
                textLine(g, random, row + 8, y + 10 + fm.getAscent(), w - row - 24, theme.text);
                g.setFont(g.getFont().deriveFont(Font.PLAIN));
                textLine(g, random, row + 8, y + 14 + fm.getHeight() + fm.getAscent(), w - row - 24, theme.muted);
                g.setColor(theme.border);
                g.drawLine(row + 8, y + row, w, y + row);
                y += row;
            }
        }
        g.setColor(theme.bar);
        g.fillRect(0, h - 64, w, 64);
        for (int i = 0; i < 4; i++) {
            g.setColor(i == 0 ? theme.accent : theme.muted);
            g.fill(new RoundRectangle2D.Double(w * (i + 0.5) / 4 - 12, h - 50, 24, 24, 8, 8));
        }
    }
}
