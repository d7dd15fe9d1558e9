package dev.crank.workers.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Images for tests: encoded with ImageIO, or hand-made headers for limit checks. */
final class TestImages {

    private TestImages() {}

    static BufferedImage filled(int w, int h, Color color) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return image;
    }

    /**
     * A deterministic picture with some structure (a gradient, a few filled shapes and lines): input for
     * plumbing tests that need a valid image, not a particular class.
     */
    static BufferedImage picture(int w, int h, long seed) {
        java.util.Random random = new java.util.Random(seed);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, new Color(random.nextInt(0x1000000)), w, h,
                new Color(random.nextInt(0x1000000))));
        g.fillRect(0, 0, w, h);
        for (int i = 0; i < 12; i++) {
            g.setColor(new Color(random.nextInt(0x1000000)));
            int x = random.nextInt(w);
            int y = random.nextInt(h);
            if (i % 2 == 0) {
                g.fillOval(x, y, 1 + random.nextInt(w / 3), 1 + random.nextInt(h / 3));
            } else {
                g.drawLine(x, y, random.nextInt(w), random.nextInt(h));
            }
        }
        g.dispose();
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String json(byte[] image, int topK) {
        return "{\"image_base64\":\"" + Base64.getEncoder().encodeToString(image) + "\",\"top_k\":" + topK + "}";
    }

    static String json(byte[] image) {
        return "{\"image_base64\":\"" + Base64.getEncoder().encodeToString(image) + "\"}";
    }

    /** A PNG whose header declares {@code width x height} but which holds no image data. */
    static byte[] pngHeader(int width, int height) {
        ByteBuffer out = ByteBuffer.allocate(8 + 25 + 12);
        out.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IEND", new byte[0]);
        return out.array();
    }

    private static void chunk(ByteBuffer out, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.putInt(data.length).put(name).put(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.putInt((int) crc.getValue());
    }

    /**
     * A baseline (or progressive) JPEG from the JDK's encoder at {@code quality}, with a restart interval when
     * {@code restartInterval > 0}, and the first component sampled {@code h × v} times the others when
     * {@code h > 0} (otherwise the encoder's default).
     */
    static byte[] jpeg(BufferedImage image, float quality, boolean progressive, int restartInterval, int h, int v) {
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        if (progressive) {
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (javax.imageio.stream.MemoryCacheImageOutputStream stream = new javax.imageio.stream.MemoryCacheImageOutputStream(out)) {
            javax.imageio.metadata.IIOMetadata metadata = writer.getDefaultImageMetadata(
                    javax.imageio.ImageTypeSpecifier.createFromRenderedImage(image), param);
            String format = "javax_imageio_jpeg_image_1.0";
            javax.imageio.metadata.IIOMetadataNode root = (javax.imageio.metadata.IIOMetadataNode) metadata.getAsTree(format);
            if (restartInterval > 0) {
                javax.imageio.metadata.IIOMetadataNode dri = new javax.imageio.metadata.IIOMetadataNode("dri");
                dri.setAttribute("interval", Integer.toString(restartInterval));
                org.w3c.dom.Node sequence = root.getElementsByTagName("markerSequence").item(0);
                sequence.insertBefore(dri, sequence.getFirstChild());
            }
            org.w3c.dom.NodeList components = root.getElementsByTagName("componentSpec");
            for (int c = 0; h > 0 && c < components.getLength(); c++) {
                javax.imageio.metadata.IIOMetadataNode component = (javax.imageio.metadata.IIOMetadataNode) components.item(c);
                component.setAttribute("HsamplingFactor", Integer.toString(c == 0 ? h : 1));
                component.setAttribute("VsamplingFactor", Integer.toString(c == 0 ? v : 1));
            }
            metadata.setFromTree(format, root);
            writer.setOutput(stream);
            writer.write(null, new javax.imageio.IIOImage(image, null, metadata), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
