package dev.crank.workers.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The DCT-domain decoder against ImageIO's full decode averaged over the same blocks. */
class ScaledJpegDecoderTest {

    private static final long NO_LIMIT = Long.MAX_VALUE;

    @Test
    void aColourPhotoAtAQuarterMatchesTheFullDecodeAveraged() throws IOException {
        byte[] jpeg = jpeg(TestImages.picture(1100, 830, 7), false, 0);

        ScaledJpegDecoder.Scaled scaled = ScaledJpegDecoder.decode(jpeg, 256, NO_LIMIT);

        assertThat(scaled).isNotNull();
        assertThat(scaled.denominator()).isEqualTo(4);
        assertThat(scaled.width()).isEqualTo(1100);
        assertThat(scaled.height()).isEqualTo(830);
        assertThat(scaled.image().getWidth()).isEqualTo(275);
        assertThat(scaled.image().getHeight()).isEqualTo(208);
        assertThat(meanError(scaled.image(), ImageIO.read(new ByteArrayInputStream(jpeg)), 4)).isLessThan(3.0);
    }

    @Test
    void aLargeGreyImageAtAnEighthMatchesTooAndStaysGrey() throws IOException {
        BufferedImage grey = new BufferedImage(2100, 1500, BufferedImage.TYPE_BYTE_GRAY);
        grey.createGraphics().drawImage(TestImages.picture(2100, 1500, 11), 0, 0, null);
        byte[] jpeg = jpeg(grey, false, 0);

        ScaledJpegDecoder.Scaled scaled = ScaledJpegDecoder.decode(jpeg, 256, NO_LIMIT);

        assertThat(scaled.denominator()).isEqualTo(8);
        BufferedImage reference = ImageIO.read(new ByteArrayInputStream(jpeg));
        double error = 0;
        for (int y = 0; y < scaled.image().getHeight() - 1; y++) {
            for (int x = 0; x < scaled.image().getWidth() - 1; x++) {
                int rgb = scaled.image().getRGB(x, y);
                assertThat(rgb >> 16 & 0xFF).isEqualTo(rgb & 0xFF);
                double sum = 0;
                for (int dy = 0; dy < 8; dy++) {
                    for (int dx = 0; dx < 8; dx++) {
                        sum += reference.getRaster().getSample(x * 8 + dx, y * 8 + dy, 0);
                    }
                }
                error += Math.abs((rgb & 0xFF) - sum / 64);
            }
        }
        assertThat(error / ((scaled.image().getWidth() - 1) * (scaled.image().getHeight() - 1))).isLessThan(1.0);
    }

    @Test
    void restartMarkersAreFollowed() throws IOException {
        BufferedImage picture = TestImages.picture(1200, 900, 3);
        byte[] withRestarts = jpeg(picture, false, 5);
        assertThat(indexOfRestartMarker(withRestarts)).as("the encoder wrote restart markers").isPositive();

        ScaledJpegDecoder.Scaled scaled = ScaledJpegDecoder.decode(withRestarts, 256, NO_LIMIT);

        assertThat(scaled).isNotNull();
        assertThat(meanError(scaled.image(), ImageIO.read(new ByteArrayInputStream(withRestarts)), 4)).isLessThan(3.0);
    }

    @Test
    void leavesToImageIoWhatItDoesNotTake() throws IOException {
        BufferedImage picture = TestImages.picture(1100, 830, 5);
        assertThat(ScaledJpegDecoder.decode(jpeg(picture, true, 0), 256, NO_LIMIT)).as("progressive").isNull();
        assertThat(ScaledJpegDecoder.decode(jpeg(TestImages.picture(900, 700, 5), false, 0), 256, NO_LIMIT))
                .as("under 1,024 pixels: ImageIO's subsampled decode is as cheap").isNull();
        assertThat(ScaledJpegDecoder.decode(jpeg(picture, false, 0), 256, 1_100L * 830 - 1))
                .as("more pixels than allowed: ImageIO's path says 413").isNull();
        assertThat(ScaledJpegDecoder.decode(TestImages.encode(picture, "png"), 256, NO_LIMIT)).as("PNG").isNull();
    }

    @Test
    void truncatedOrCorruptDataIsLeftToImageIoAndNeverThrows() throws IOException {
        byte[] jpeg = jpeg(TestImages.picture(1100, 830, 9), false, 0);
        assertThat(ScaledJpegDecoder.decode(Arrays.copyOf(jpeg, jpeg.length / 2), 256, NO_LIMIT)).as("truncated").isNull();
        assertThat(ScaledJpegDecoder.decode(Arrays.copyOf(jpeg, 600), 256, NO_LIMIT)).as("headers only").isNull();

        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            byte[] damaged = jpeg.clone();
            for (int flips = 0; flips < 8; flips++) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            ScaledJpegDecoder.Scaled scaled = ScaledJpegDecoder.decode(damaged, 256, 40_000_000L);
            if (scaled != null) {
                assertThat(scaled.image().getWidth()).isEqualTo((scaled.width() + scaled.denominator() - 1) / scaled.denominator());
            }
        }
    }

    /** Mean absolute difference per channel between {@code scaled} and {@code full} averaged over blocks of {@code n}. */
    private static double meanError(BufferedImage scaled, BufferedImage full, int n) {
        double error = 0;
        long count = 0;
        for (int y = 0; y < full.getHeight() / n; y++) {
            for (int x = 0; x < full.getWidth() / n; x++) {
                int[] sum = new int[3];
                for (int dy = 0; dy < n; dy++) {
                    for (int dx = 0; dx < n; dx++) {
                        int rgb = full.getRGB(x * n + dx, y * n + dy);
                        sum[0] += rgb >> 16 & 0xFF;
                        sum[1] += rgb >> 8 & 0xFF;
                        sum[2] += rgb & 0xFF;
                    }
                }
                int mine = scaled.getRGB(x, y);
                int[] channels = {mine >> 16 & 0xFF, mine >> 8 & 0xFF, mine & 0xFF};
                for (int c = 0; c < 3; c++) {
                    error += Math.abs(channels[c] - sum[c] / (double) (n * n));
                    count++;
                }
            }
        }
        return error / count;
    }

    private static int indexOfRestartMarker(byte[] jpeg) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xF8) == 0xD0) {
                return i;
            }
        }
        return -1;
    }

    /** A JPEG at quality 0.9 from the JDK's encoder, progressive or with a restart interval when asked. */
    private static byte[] jpeg(BufferedImage image, boolean progressive, int restartInterval) {
        return TestImages.jpeg(image, 0.9f, progressive, restartInterval, 0, 0);
    }
}
