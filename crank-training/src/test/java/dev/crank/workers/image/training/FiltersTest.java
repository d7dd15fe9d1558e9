package dev.crank.workers.image.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class FiltersTest {

    @Test
    void anEmptyPageHasNoContentWhateverItsColour() {
        assertThat(Filters.contentShare(page(1280, 800, new Color(0x7FB2F0), 0))).isZero();
        assertThat(Filters.contentShare(page(1280, 800, Color.WHITE, 0))).isZero();
    }

    /** A speck of text on an empty window (a message whose pictures were all removed) stays under the bar. */
    @Test
    void aLineOfTextOnAnEmptyWindowIsUnderTheScreenshotBar() {
        double share = Filters.contentShare(page(1280, 800, Color.WHITE, 1));
        assertThat(share).isPositive().isLessThan(ScreenshotRenders.MIN_CONTENT);
    }

    @Test
    void aPageOfTextIsWellOverIt() {
        assertThat(Filters.contentShare(page(1280, 800, Color.WHITE, 30))).isGreaterThan(4 * ScreenshotRenders.MIN_CONTENT);
    }

    /** Noise of a few levels (a JPEG of a flat page) is not content. */
    @Test
    void smallDifferencesAreNotContent() {
        BufferedImage image = page(640, 480, new Color(200, 200, 200), 0);
        for (int y = 0; y < 480; y += 3) {
            for (int x = 0; x < 640; x += 3) {
                image.setRGB(x, y, new Color(208, 192, 210).getRGB());
            }
        }
        assertThat(Filters.contentShare(image)).isZero();
    }

    private static BufferedImage page(int w, int h, Color background, int lines) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < lines; i++) {
            g.drawString("The quick brown fox jumps over the lazy dog, again and again and again and again.", 20, 20 + 16 * i);
        }
        g.dispose();
        return image;
    }
}
