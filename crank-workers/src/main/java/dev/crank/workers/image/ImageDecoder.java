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
 * Reads PNG, JPEG, GIF and BMP with ImageIO, checking the size in the header before decoding:
 * more than {@code maxPixels} is a 413 {@code IMAGE_TOO_LARGE}; anything that is not one of these
 * formats, or does not decode cleanly (truncated, corrupt), is a 400 {@code INVALID_IMAGE}.
 * Large images are decoded with subsampling to at most {@link #DECODE_LONG_SIDE} pixels on the
 * longer side, which bounds memory per request whatever the resolution.
 */
public final class ImageDecoder {

    /** Longest side kept while decoding; everything downstream works at 512 or less. */
    public static final int DECODE_LONG_SIDE = 2048;

    private static final Map<String, String> FORMATS = Map.of("png", "png", "jpeg", "jpeg", "jpg", "jpeg",
            "gif", "gif", "bmp", "bmp");

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels: " + maxPixels + " (expected: >= 1)");
        }
        this.maxPixels = maxPixels;
    }

    /** A decoded image with the size and format its header declared. */
    public record Decoded(BufferedImage image, int width, int height, String format) {}

    public Decoded decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw invalid("the image is empty");
        }
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw invalid("the data is not a recognised image (expected: PNG, JPEG, GIF or BMP)");
            }
            ImageReader reader = readers.next();
            try {
                String format = FORMATS.get(reader.getFormatName().toLowerCase(Locale.ROOT));
                if (format == null) {
                    throw invalid("images in " + reader.getFormatName() + " format are not accepted (expected: PNG, JPEG, GIF or BMP)");
                }
                reader.setInput(input, true, true);
                return read(reader, format);
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
        int step = (int) Math.ceil(Math.max(width, height) / (double) DECODE_LONG_SIDE);
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
