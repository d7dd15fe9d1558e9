package dev.crank.workers.image.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhotoRendersTest {

    @TempDir
    Path dir;

    /** ViSP's camera frames are binary PGMs, header comments included. */
    @Test
    void readsAnEightBitBinaryPgmAsGreyRgb() throws IOException {
        Path file = pgm("P5\n# CREATOR: a camera\n3 2\n255\n", new byte[] {0, 127, (byte) 255, 10, 20, 30});
        BufferedImage image = PhotoRenders.read(file);
        assertThat(image.getWidth()).isEqualTo(3);
        assertThat(image.getHeight()).isEqualTo(2);
        assertThat(image.getRGB(1, 0) & 0xffffff).isEqualTo(0x7f7f7f);
        assertThat(image.getRGB(2, 0) & 0xffffff).isEqualTo(0xffffff);
        assertThat(image.getRGB(2, 1) & 0xffffff).isEqualTo(0x1e1e1e);
    }

    @Test
    void refusesATruncatedOrSixteenBitPgm() throws IOException {
        Path truncated = pgm("P5\n3 2\n255\n", new byte[] {1, 2, 3});
        assertThatThrownBy(() -> PhotoRenders.read(truncated)).isInstanceOf(IOException.class).hasMessageContaining("PGM");
        Path wide = pgm("P5\n1 1\n65535\n", new byte[] {0, 1});
        assertThatThrownBy(() -> PhotoRenders.read(wide)).isInstanceOf(IOException.class).hasMessageContaining("PGM");
        Path empty = pgm("P5\n3", new byte[0]);
        assertThatThrownBy(() -> PhotoRenders.read(empty)).isInstanceOf(IOException.class);
    }

    private Path pgm(String header, byte[] pixels) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        out.write(pixels);
        Path file = Files.createTempFile(dir, "frame", ".pgm");
        Files.write(file, out.toByteArray());
        return file;
    }
}
