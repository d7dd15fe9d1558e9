package dev.crank.workers.image.training;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.LinearGradientPaint;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Empty images: one colour (white, paper, black, grey or any hue), sometimes with sensor noise,
 * a faint gradient or the odd speck of a scanned blank page.
 */
final class BlankPainter {

    private BlankPainter() {}

    static BufferedImage paint(Random random) {
        int w = Synth.between(random, 160, 1600);
        int h = Synth.between(random, 160, 1600);
        Color colour;
        double c = random.nextDouble();
        if (c < 0.35) {
            colour = Color.WHITE;
        } else if (c < 0.55) {
            colour = Synth.paper(random);
        } else if (c < 0.7) {
            colour = Synth.gray(random.nextInt(25));
        } else if (c < 0.8) {
            colour = Synth.gray(random.nextInt(256));
        } else {
            colour = Synth.hsb(random.nextDouble(), random.nextDouble(), random.nextDouble());
        }
        BufferedImage image = Synth.canvas(w, h, colour);
        if (random.nextDouble() < 0.3) {
            Graphics2D g = image.createGraphics();
            Color other = Synth.jitter(colour, random, 5);
            g.setPaint(new LinearGradientPaint(new Point2D.Float(0, 0),
                    new Point2D.Float(random.nextInt(w) + 1, random.nextInt(h) + 1), new float[] {0f, 1f}, new Color[] {colour, other}));
            g.fillRect(0, 0, w, h);
            g.dispose();
        }
        if (random.nextDouble() < 0.15) {
            Graphics2D g = image.createGraphics();
            g.setColor(Synth.jitter(colour.darker(), random, 10));
            for (int i = 0; i < random.nextInt(8); i++) {
                g.fillRect(random.nextInt(w), random.nextInt(h), 1 + random.nextInt(2), 1 + random.nextInt(2));
            }
            g.dispose();
        }
        if (random.nextDouble() < 0.5) {
            Filters.noise(image, random, Synth.between(random, 0.5, 4.0), Synth.between(random, 0.0, 0.6));
        }
        return image;
    }
}
