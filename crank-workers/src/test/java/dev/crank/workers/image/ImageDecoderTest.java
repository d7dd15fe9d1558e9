package dev.crank.workers.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crank.core.CrankException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link ImageDecoder} makes of camera JPEGs, print JPEGs, WebP, truncated data and large images. */
class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(40_000_000L);

    /** 80x40: red left half, blue right half. */
    private static BufferedImage halves() {
        BufferedImage image = new BufferedImage(80, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 40, 40);
        g.setColor(Color.BLUE);
        g.fillRect(40, 0, 40, 40);
        g.dispose();
        return image;
    }

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 3, 6, 8})
    void appliesTheExifOrientationOfAJpeg(int orientation) {
        byte[] jpeg = withExifOrientation(TestImages.encode(halves(), "jpeg"), orientation);

        ImageDecoder.Decoded decoded = decoder.decode(jpeg);

        BufferedImage image = decoded.image();
        boolean turned = orientation >= 5;
        assertThat(image.getWidth()).isEqualTo(turned ? 40 : 80);
        assertThat(decoded.width()).isEqualTo(turned ? 40 : 80);
        assertThat(decoded.height()).isEqualTo(turned ? 80 : 40);
        // Where the stored left (red) half ends up: 1 left, 3 right (180°), 6 top (90° clockwise), 8 bottom.
        int[] probe = switch (orientation) {
            case 1 -> new int[] {10, 20};
            case 3 -> new int[] {70, 20};
            case 6 -> new int[] {20, 10};
            default -> new int[] {20, 70};
        };
        assertThat(isRed(image.getRGB(probe[0], probe[1]))).as("red at %s", Arrays.toString(probe)).isTrue();
    }

    @Test
    void appliesTheExifOrientationOfALargeJpegDecodedFromItsCoefficients() {
        BufferedImage large = new BufferedImage(1600, 800, BufferedImage.TYPE_INT_RGB);
        large.createGraphics().drawImage(halves(), 0, 0, 1600, 800, null);
        byte[] jpeg = withExifOrientation(TestImages.encode(large, "jpeg"), 6);

        ImageDecoder.Decoded decoded = decoder.decode(jpeg);

        assertThat(decoded.width()).isEqualTo(800);
        assertThat(decoded.height()).isEqualTo(1600);
        assertThat(decoded.image().getWidth()).as("a quarter, turned").isEqualTo(200);
        assertThat(decoded.image().getHeight()).isEqualTo(400);
        assertThat(isRed(decoded.image().getRGB(100, 50))).as("the stored left half is on top").isTrue();
        assertThat(isRed(decoded.image().getRGB(100, 350))).isFalse();
    }

    @Test
    void decodesACmykJpeg() throws IOException {
        byte[] cmyk = cmykJpeg(64, 32);

        ImageDecoder.Decoded decoded = decoder.decode(cmyk);

        assertThat(decoded.format()).isEqualTo("jpeg");
        assertThat(decoded.width()).isEqualTo(64);
        // The JDK's own reader refuses four-channel JPEGs ("Unsupported Image Type"); TwelveMonkeys converts them to
        // RGB. Which exact RGB depends on the colour profile assumed for the ink, so only the difference is checked:
        // the half with ink and the half without come out clearly apart.
        assertThat(decoded.image().getColorModel().getNumColorComponents()).isEqualTo(3);
        int left = decoded.image().getRGB(10, 16);
        int right = decoded.image().getRGB(54, 16);
        int difference = Math.abs((left >> 16 & 0xFF) - (right >> 16 & 0xFF)) + Math.abs((left >> 8 & 0xFF) - (right >> 8 & 0xFF))
                + Math.abs((left & 0xFF) - (right & 0xFF));
        assertThat(difference).as("left %06x, right %06x", left & 0xFFFFFF, right & 0xFFFFFF).isGreaterThan(120);
    }

    @Test
    void decodesWebp() throws IOException {
        byte[] webp = resource("red-blue.webp");

        ImageDecoder.Decoded decoded = decoder.decode(webp);

        assertThat(decoded.format()).isEqualTo("webp");
        assertThat(decoded.width()).isEqualTo(48);
        assertThat(decoded.height()).isEqualTo(32);
        assertThat(isRed(decoded.image().getRGB(6, 16))).isTrue();
        assertThat(decoded.image().getRGB(42, 16) & 0xFF).isGreaterThan(150);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jpeg", "png", "webp"})
    void rejectsTruncatedImagesAsInvalid(String format) throws IOException {
        byte[] whole = format.equals("webp") ? resource("red-blue.webp") : TestImages.encode(TestImages.picture(200, 150, 3), format);
        byte[] truncated = Arrays.copyOf(whole, whole.length * 2 / 3);

        assertThatThrownBy(() -> decoder.decode(truncated))
                .isInstanceOfSatisfying(CrankException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("INVALID_IMAGE");
                });
    }

    @Test
    void subsamplesLargeImagesWhileDecoding() {
        byte[] png = TestImages.encode(TestImages.picture(3000, 2000, 9), "png");

        ImageDecoder.Decoded decoded = decoder.decode(png);

        assertThat(decoded.width()).isEqualTo(3000);
        assertThat(decoded.height()).isEqualTo(2000);
        int longSide = Math.max(decoded.image().getWidth(), decoded.image().getHeight());
        assertThat(longSide).isBetween(ImageDecoder.DECODE_LONG_SIDE, 2 * ImageDecoder.DECODE_LONG_SIDE);
    }

    @Test
    void decodesLargeBaselineJpegsFromTheirCoefficients() {
        byte[] jpeg = TestImages.encode(TestImages.picture(3000, 2000, 9), "jpeg");

        ImageDecoder.Decoded decoded = decoder.decode(jpeg);

        assertThat(decoded.width()).isEqualTo(3000);
        assertThat(decoded.height()).isEqualTo(2000);
        assertThat(decoded.format()).isEqualTo("jpeg");
        assertThat(decoded.image().getWidth()).as("1/8 of 3000").isEqualTo(375);
        assertThat(decoded.image().getHeight()).isEqualTo(250);
    }

    @Test
    void readsNoOrientationFromDataWithoutExif() {
        assertThat(ExifOrientation.of(TestImages.encode(halves(), "jpeg"))).isEqualTo(1);
        assertThat(ExifOrientation.of(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, 0, 1})).isEqualTo(1);
        assertThat(ExifOrientation.of(new byte[0])).isEqualTo(1);
    }

    private static boolean isRed(int rgb) {
        return (rgb >> 16 & 0xFF) > 180 && (rgb >> 8 & 0xFF) < 90 && (rgb & 0xFF) < 90;
    }

    /** {@code jpeg} with an APP1 Exif segment (big-endian TIFF, one IFD entry: Orientation) after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {
            'M', 'M', 0, 42, 0, 0, 0, 8, // header, IFD0 at 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // Orientation, SHORT, 1 value
            0, 0, 0, 0 // no next IFD
        };
        byte[] exif = new byte[6 + tiff.length];
        System.arraycopy(new byte[] {'E', 'x', 'i', 'f', 0, 0}, 0, exif, 0, 6);
        System.arraycopy(tiff, 0, exif, 6, tiff.length);
        int length = exif.length + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(exif, 0, exif.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /**
     * A four-channel (CMYK, Adobe) JPEG written from a raster: cyan ink on the left, none on the right. Stored
     * inverted, as Photoshop and other Adobe-marker writers do (255 is no ink).
     */
    private static byte[] cmykJpeg(int w, int h) throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setPixel(x, y, new int[] {x < w / 2 ? 0 : 255, 255, 255, 255});
            }
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ImageDecoderTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
