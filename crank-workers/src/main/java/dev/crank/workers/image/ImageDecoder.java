package dev.crank.workers.image;

import dev.crank.core.CrankException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads PNG, JPEG (RGB, greyscale, CMYK and YCCK, through TwelveMonkeys' reader), WebP, GIF and BMP with
 * ImageIO, checking the size in the header before decoding: more than {@code maxPixels} is a 413
 * {@code IMAGE_TOO_LARGE}; anything that is not one of these formats, or does not decode cleanly
 * (truncated, corrupt), is a 400 {@code INVALID_IMAGE}. Images are decoded with source subsampling to
 * between {@link #DECODE_LONG_SIDE} and twice that on the longer side (the classifier works at 256 and
 * less), so a 12-megapixel photo never becomes 12 million pixels in memory; a large baseline JPEG, the
 * common case of photographs, is decoded at 1/4 or 1/8 from its DCT coefficients instead, without the
 * full-size inverse DCT. A JPEG's EXIF orientation is applied, so the image comes out the way up its
 * camera meant.
 */
public final class ImageDecoder {

    /** The longer side is subsampled to no less than this; everything downstream works at 256 or less. */
    public static final int DECODE_LONG_SIDE = 512;
    /**
     * A baseline JPEG of 1,024 pixels or more on its longer side is decoded at 1/4 or 1/8 straight from its DCT
     * coefficients ({@link ScaledJpegDecoder}) to no less than this, which is what the classifier works at.
     */
    public static final int SCALED_LONG_SIDE = 256;

    private static final Map<String, String> FORMATS = Map.of("png", "png", "jpeg", "jpeg", "jpg", "jpeg",
            "gif", "gif", "bmp", "bmp", "webp", "webp");
    private static final String EXPECTED = "PNG, JPEG, WebP, GIF or BMP";

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels: " + maxPixels + " (expected: >= 1)");
        }
        this.maxPixels = maxPixels;
    }

    /**
     * A decoded (and subsampled) image with the size and format its header declared, {@code width x height}
     * as shown, that is after the EXIF orientation.
     */
    public record Decoded(BufferedImage image, int width, int height, String format) {}

    public Decoded decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw invalid("the image is empty");
        }
        ScaledJpegDecoder.Scaled scaled = ScaledJpegDecoder.decode(bytes, SCALED_LONG_SIDE, maxPixels);
        if (scaled != null) {
            return oriented(new Decoded(scaled.image(), scaled.width(), scaled.height(), "jpeg"), ExifOrientation.of(bytes));
        }
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw invalid("the data is not a recognised image (expected: " + EXPECTED + ")");
            }
            ImageReader reader = readers.next();
            try {
                String format = FORMATS.get(reader.getFormatName().toLowerCase(Locale.ROOT));
                if (format == null) {
                    throw invalid("images in " + reader.getFormatName() + " format are not accepted (expected: " + EXPECTED + ")");
                }
                reader.setInput(input, true, true);
                return oriented(read(reader, format), format.equals("jpeg") ? ExifOrientation.of(bytes) : 1);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof CrankException crank) {
                throw crank;
            }
            // ImageIO reports corrupt data with IIOException, EOFException and, for some codecs,
            // IllegalArgumentException or ArrayIndexOutOfBoundsException.
            throw new CrankException(400, "INVALID_IMAGE", "The image could not be decoded: " + describe(e), e);
        }
    }

    private static Decoded oriented(Decoded decoded, int orientation) {
        if (orientation == 1) {
            return decoded;
        }
        return new Decoded(ExifOrientation.apply(decoded.image(), orientation),
                orientation >= 5 ? decoded.height() : decoded.width(),
                orientation >= 5 ? decoded.width() : decoded.height(), decoded.format());
    }

    private Decoded read(ImageReader reader, String format) throws IOException {
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width < 1 || height < 1) {
            throw invalid("the image declares a size of " + width + "x" + height);
        }
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw new CrankException(413, "IMAGE_TOO_LARGE", "The image is " + width + "x" + height + " = "
                    + pixels + " pixels (expected: at most " + maxPixels + ")");
        }
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        ImageReadParam param = reader.getDefaultReadParam();
        int step = Math.max(width, height) / DECODE_LONG_SIDE;
        if (step > 1) {
            param.setSourceSubsampling(step, step, 0, 0);
        }
        BufferedImage image = reader.read(0, param);
        if (!warnings.isEmpty()) {
            // The JPEG reader returns a partial image for truncated data and only warns.
            throw invalid("the image is damaged (" + warnings.get(0) + ")");
        }
        return new Decoded(image, width, height, format);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        if (e instanceof IIOException && message != null) {
            return message;
        }
        return e.getClass().getSimpleName().replace("Exception", "").toLowerCase(Locale.ROOT)
                + (message == null || message.length() > 120 ? "" : " (" + message + ")");
    }

    private static CrankException invalid(String detail) {
        return CrankException.badRequest("INVALID_IMAGE", "The image is not usable: " + detail);
    }
}
