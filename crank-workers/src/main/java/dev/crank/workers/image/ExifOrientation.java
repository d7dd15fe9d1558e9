package dev.crank.workers.image;

import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;

/**
 * The EXIF orientation of a JPEG (tag 0x0112 of the first IFD in its APP1 {@code Exif} segment), and the
 * turn or flip that shows the image the right way up. Cameras store the sensor's pixels and record how the
 * camera was held; ImageIO ignores that tag. Anything unreadable counts as 1 (as stored).
 */
final class ExifOrientation {

    private ExifOrientation() {}

    /** 1 to 8 as EXIF defines them; 1 when there is no (readable) tag. */
    static int of(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            return 1;
        }
        int at = 2;
        while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
            int marker = jpeg[at + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                return 1; // image data starts: no EXIF before it
            }
            int length = u16(jpeg, at + 2, true);
            if (length < 2) {
                return 1;
            }
            int start = at + 4;
            if (marker == 0xE1 && start + 6 <= jpeg.length && jpeg[start] == 'E' && jpeg[start + 1] == 'x'
                    && jpeg[start + 2] == 'i' && jpeg[start + 3] == 'f' && jpeg[start + 4] == 0) {
                return fromTiff(jpeg, start + 6, Math.min(jpeg.length, at + 2 + length));
            }
            at += 2 + length;
        }
        return 1;
    }

    private static int fromTiff(byte[] b, int tiff, int end) {
        if (tiff + 8 > end) {
            return 1;
        }
        boolean bigEndian;
        if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            bigEndian = true;
        } else if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            bigEndian = false;
        } else {
            return 1;
        }
        long ifd = u32(b, tiff + 4, bigEndian);
        if (ifd < 8 || tiff + ifd + 2 > end) {
            return 1;
        }
        int entries = u16(b, (int) (tiff + ifd), bigEndian);
        for (int i = 0; i < entries; i++) {
            int entry = (int) (tiff + ifd + 2 + 12L * i);
            if (entry + 12 > end) {
                return 1;
            }
            if (u16(b, entry, bigEndian) == 0x0112) {
                int value = u16(b, entry + 8, bigEndian);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    /** {@code image} turned and flipped as {@code orientation} says (itself for 1). */
    static BufferedImage apply(BufferedImage image, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        AffineTransform t = new AffineTransform();
        switch (orientation) {
            case 2 -> { t.translate(w, 0); t.scale(-1, 1); }
            case 3 -> { t.translate(w, h); t.rotate(Math.PI); }
            case 4 -> { t.translate(0, h); t.scale(1, -1); }
            case 5 -> { t.rotate(-Math.PI / 2); t.scale(-1, 1); }
            case 6 -> { t.translate(h, 0); t.rotate(Math.PI / 2); }
            case 7 -> { t.scale(-1, 1); t.translate(-h, 0); t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            default -> { t.translate(0, w); t.rotate(3 * Math.PI / 2); }
        }
        boolean swap = orientation >= 5;
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(toRgb(image), out);
        return out;
    }

    private static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        Pixels pixels = Pixels.of(image);
        BufferedImage out = new BufferedImage(pixels.width(), pixels.height(), BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, pixels.width(), pixels.height(), pixels.rgb(), 0, pixels.width());
        return out;
    }

    private static int u16(byte[] b, int at, boolean bigEndian) {
        if (at + 2 > b.length) {
            return 0;
        }
        return bigEndian ? (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF) : (b[at + 1] & 0xFF) << 8 | (b[at] & 0xFF);
    }

    private static long u32(byte[] b, int at, boolean bigEndian) {
        if (at + 4 > b.length) {
            return 0;
        }
        return bigEndian ? ((long) u16(b, at, true) << 16) | u16(b, at + 2, true)
                : ((long) u16(b, at + 2, false) << 16) | u16(b, at, false);
    }
}
