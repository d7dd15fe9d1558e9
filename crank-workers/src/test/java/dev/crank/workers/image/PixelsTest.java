package dev.crank.workers.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PixelsTest {

    @Test
    void keepsStoredGreyLevelsOfAGreyPng() throws Exception {
        BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 100);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(TestImages.encode(grey, "png")));

        Pixels pixels = Pixels.of(decoded);

        assertThat(pixels.rgb()[0]).isEqualTo(100 << 16 | 100 << 8 | 100);
        assertThat(pixels.rgb()[1]).isZero();
    }

    @Test
    void compositesTransparencyOverWhite() {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0x00000000);
        image.setRGB(1, 0, 0x80000000);

        Pixels pixels = Pixels.of(image);

        assertThat(pixels.rgb()[0]).isEqualTo(0xFFFFFF);
        assertThat(pixels.rgb()[1] & 0xFF).isBetween(125, 128);
    }

    @Test
    void shrinksByAveragingAreasSoThinLinesTurnGrey() {
        int[] rgb = new int[8 * 8];
        java.util.Arrays.fill(rgb, 0xFFFFFF);
        for (int y = 0; y < 8; y++) {
            rgb[y * 8 + 3] = 0;
        }
        Pixels small = Pixels.wrap(8, 8, rgb).resized(2, 2);

        assertThat(small.rgb()[0] & 0xFF).isBetween(190, 193);
        assertThat(small.rgb()[1]).isEqualTo(0xFFFFFF);
    }

    @Test
    void scalesTheLongerSideToTheWorkingSize() {
        Pixels pixels = Pixels.of(TestImages.filled(1000, 250, java.awt.Color.RED), ImageClassification.WORKING_SIZE);

        assertThat(pixels.width()).isEqualTo(256);
        assertThat(pixels.height()).isEqualTo(64);
        assertThat(pixels.rgb()[0]).isEqualTo(0xFF0000);
    }
}
