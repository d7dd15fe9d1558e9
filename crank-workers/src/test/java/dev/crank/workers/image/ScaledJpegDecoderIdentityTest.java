package dev.crank.workers.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@link ScaledJpegDecoder} gives, to the bit, what it gave before its entropy decoding was made fast
 * ({@link ReferenceScaledJpegDecoder}, the frozen copy): the default model is trained on that output. JPEGs made
 * here: colour at 4:2:0, 4:2:2 and 4:4:4, grey, restart intervals, odd sizes, qualities from 0.3 to 1.0, noisy
 * pictures (many coefficients, long codes and large values), at 1/4 and at 1/8; and damaged copies, where both
 * must give up (answer {@code null}) or agree.
 */
class ScaledJpegDecoderIdentityTest {

    private static final long NO_LIMIT = Long.MAX_VALUE;

    @Test
    void colourAtEverySamplingQualityAndRestartIntervalIsUnchanged() throws IOException {
        int[][] samplings = {{2, 2}, {2, 1}, {1, 1}, {1, 2}};
        int[] sizes = {1031, 777, 1024, 768, 2051, 1029, 1100, 830};
        float[] qualities = {0.3f, 0.75f, 0.9f, 1.0f};
        int[] restarts = {0, 1, 7};
        int made = 0;
        for (int s = 0; s < samplings.length; s++) {
            for (int size = 0; size < sizes.length; size += 2) {
                BufferedImage picture = noisy(TestImages.picture(sizes[size], sizes[size + 1], 31 + s + size), s * 3 + size, 12);
                float quality = qualities[(s + size / 2) % qualities.length];
                int restart = restarts[(s + size / 2) % restarts.length];
                assertSame(jpeg(picture, quality, restart, samplings[s][0], samplings[s][1]),
                        "sampling " + samplings[s][0] + "x" + samplings[s][1] + ", " + sizes[size] + "x" + sizes[size + 1]
                                + ", quality " + quality + ", restart " + restart);
                made++;
            }
        }
        assertThat(made).isEqualTo(16);
    }

    @Test
    void greyAtAQuarterAndAnEighthIsUnchanged() throws IOException {
        int[][] sizes = {{1025, 1023}, {2100, 1500}, {1999, 2047}};
        for (int i = 0; i < sizes.length; i++) {
            BufferedImage grey = new BufferedImage(sizes[i][0], sizes[i][1], BufferedImage.TYPE_BYTE_GRAY);
            grey.createGraphics().drawImage(noisy(TestImages.picture(sizes[i][0], sizes[i][1], 70 + i), i, 20), 0, 0, null);
            assertSame(jpeg(grey, i == 2 ? 1.0f : 0.8f, i == 1 ? 3 : 0, 1, 1), "grey " + sizes[i][0] + "x" + sizes[i][1]);
        }
    }

    @Test
    void flatAndPureNoiseExtremesAreUnchanged() throws IOException {
        assertSame(jpeg(TestImages.filled(1030, 1030, java.awt.Color.WHITE), 0.9f, 0, 2, 2), "flat white");
        BufferedImage noise = new BufferedImage(1024, 1024, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(5);
        for (int y = 0; y < 1024; y++) {
            for (int x = 0; x < 1024; x++) {
                noise.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        assertSame(jpeg(noise, 1.0f, 2, 1, 1), "uniform noise at quality 1.0 (coefficients near the largest)");
        assertSame(jpeg(noise, 0.5f, 0, 2, 2), "uniform noise at quality 0.5");
    }

    @Test
    void damagedCopiesGiveUpOrAgreeAsBefore() throws IOException {
        byte[] plain = jpeg(noisy(TestImages.picture(1100, 830, 9), 1, 10), 0.9f, 0, 2, 2);
        byte[] restarts = jpeg(noisy(TestImages.picture(1100, 830, 10), 2, 10), 0.9f, 4, 1, 1);
        Random random = new Random(42);
        int decoded = 0;
        for (int trial = 0; trial < 300; trial++) {
            byte[] damaged = (trial % 2 == 0 ? plain : restarts).clone();
            int flips = 1 + random.nextInt(8);
            for (int f = 0; f < flips; f++) {
                damaged[600 + random.nextInt(damaged.length - 600)] = (byte) random.nextInt(256);
            }
            if (trial % 5 == 0) {
                damaged = java.util.Arrays.copyOf(damaged, damaged.length - random.nextInt(damaged.length / 3));
            }
            decoded += assertSame(damaged, "damaged copy " + trial) ? 1 : 0;
        }
        assertThat(decoded).as("some damaged copies still decode, so their pixels were compared too").isPositive();
    }

    /** Both decoders' answers for {@code jpeg}, compared to the bit; {@code true} when they decoded it. */
    private static boolean assertSame(byte[] jpeg, String what) {
        for (int minLongSide : new int[] {256, 128}) {
            ReferenceScaledJpegDecoder.Scaled expected = ReferenceScaledJpegDecoder.decode(jpeg, minLongSide, NO_LIMIT);
            ScaledJpegDecoder.Scaled actual = ScaledJpegDecoder.decode(jpeg, minLongSide, NO_LIMIT);
            if (expected == null) {
                assertThat(actual).as(what + ": the reference gives up").isNull();
                continue;
            }
            assertThat(actual).as(what + ": the reference decodes it").isNotNull();
            assertThat(actual.denominator()).as(what).isEqualTo(expected.denominator());
            assertThat(actual.width()).as(what).isEqualTo(expected.width());
            assertThat(actual.height()).as(what).isEqualTo(expected.height());
            assertThat(actual.image().getWidth()).as(what).isEqualTo(expected.image().getWidth());
            assertThat(actual.image().getHeight()).as(what).isEqualTo(expected.image().getHeight());
            assertThat(rgb(actual.image())).as(what + " at 1/" + actual.denominator()).isEqualTo(rgb(expected.image()));
        }
        return ReferenceScaledJpegDecoder.decode(jpeg, 256, NO_LIMIT) != null;
    }

    private static int[] rgb(BufferedImage image) {
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }

    /** {@code picture} under Gaussian noise of {@code sigma} levels: photo-like, many non-zero coefficients. */
    private static BufferedImage noisy(BufferedImage picture, long seed, double sigma) {
        Random random = new Random(seed);
        for (int y = 0; y < picture.getHeight(); y++) {
            for (int x = 0; x < picture.getWidth(); x++) {
                int p = picture.getRGB(x, y);
                int n = (int) (random.nextGaussian() * sigma);
                int r = Math.max(0, Math.min(255, (p >> 16 & 0xFF) + n));
                int g = Math.max(0, Math.min(255, (p >> 8 & 0xFF) + n));
                int b = Math.max(0, Math.min(255, (p & 0xFF) + n));
                picture.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return picture;
    }

    /**
     * A baseline JPEG from the JDK's encoder at {@code quality}, with a restart interval when asked, the luma sampled
     * {@code h × v} times the chroma (ignored for grey).
     */
    private static byte[] jpeg(BufferedImage image, float quality, int restartInterval, int h, int v) {
        byte[] jpeg = TestImages.jpeg(image, quality, false, restartInterval, h, v);
        assertThat(lumaSampling(jpeg)).as("the encoder wrote the sampling asked for")
                .isEqualTo(image.getRaster().getNumBands() == 1 ? 0x11 : h << 4 | v);
        return jpeg;
    }

    /** The first component's sampling factors in the SOF0 segment (H in the upper nibble). */
    private static int lumaSampling(byte[] jpeg) {
        for (int i = 2; i + 10 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
                return jpeg[i + 11] & 0xFF;
            }
        }
        return -1;
    }
}
