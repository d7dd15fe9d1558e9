package dev.crank.workers.image.training;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Photographs: each file in the photo folders (fetched by tools/build-image-set.sh) is one source; its variants
 * are what happens to photos in the wild: rescaled, cropped (landscape and portrait), greyscale, recompressed.
 * The files of the second folder ({@code photos-added}: deep-sky photographs, wallpapers, OpenCV's samples) came
 * after the first deal and are dealt on their own ({@link BuildImageSet.Renderer#laterSources()}); those of the third
 * ({@code photos-fresh}: Ubuntu Touch's photographic wallpapers, scikit-learn's two samples, OpenCV samples not taken
 * before) all go to the fresh part ({@link BuildImageSet.Renderer#freshSources()}), those of the fourth
 * ({@code photos-unseen}: Tux Paint's photographic templates, scikit-image and OpenCV samples and deep-sky photographs
 * not taken before) to the unseen part ({@link BuildImageSet.Renderer#unseenSources()}), those of the fifth
 * ({@code photos-final}: ViSP's, digiKam's and Scribus's photographs, more deep-sky ones) to the final part.
 */
final class PhotoRenders implements BuildImageSet.Renderer {

    private final Path dir;
    private final Path added;
    private final Path fresh;
    private final Path unseen;
    private final Path last;

    PhotoRenders(Path dir, Path added, Path fresh, Path unseen, Path last) {
        this.dir = dir;
        this.added = added;
        this.fresh = fresh;
        this.unseen = unseen;
        this.last = last;
    }

    @Override
    public String label() {
        return "photo";
    }

    @Override
    public List<String> sources() throws IOException {
        return photos(dir);
    }

    @Override
    public List<String> laterSources() throws IOException {
        return photos(added);
    }

    @Override
    public List<String> freshSources() throws IOException {
        return photos(fresh);
    }

    @Override
    public List<String> unseenSources() throws IOException {
        return photos(unseen);
    }

    @Override
    public List<String> finalSources() throws IOException {
        return photos(last);
    }

    static List<String> photos(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no photographs (run tools/build-image-set.sh)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".jpg") || name.endsWith(".png") || name.endsWith(".pgm"))
                    .sorted().toList();
        }
    }

    @Override
    public void render(String source, Random random, BuildImageSet.Sink sink) throws IOException {
        Path file = Stream.of(dir, added, fresh, unseen, last).map(folder -> folder.resolve(source)).filter(Files::exists)
                .findFirst().orElseThrow(() -> new IOException(source + ": in none of the photo folders"));
        BufferedImage original = read(file);
        BufferedImage full = fit(original, 1024);
        sink.accept("full", full, true);
        sink.accept("small", fit(original, Synth.between(random, 280, 480)), true);
        for (int i = 0; i < 3; i++) {
            sink.accept("crop" + i, fit(Filters.crop(original, random, 0.4), Synth.between(random, 500, 1024)), true);
        }
        sink.accept("portrait", fit(portrait(original, random), Synth.between(random, 600, 1024)), true);
        sink.accept("grey", grey(fit(original, Synth.between(random, 500, 900))), true);
        sink.accept("lowq", Filters.jpeg(fit(original, Synth.between(random, 600, 900)), Synth.between(random, 0.25, 0.5)), true);
    }

    /** A photograph as RGB: what ImageIO reads, or a binary greyscale PGM (P5, 8 bits: camera frames of ViSP). */
    static BufferedImage read(Path file) throws IOException {
        if (!file.toString().endsWith(".pgm")) {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new IOException(file + ": not an image ImageIO reads");
            }
            return Filters.intRgb(image);
        }
        byte[] bytes = Files.readAllBytes(file);
        int[] at = {0};
        String magic = pgmToken(bytes, at);
        int width;
        int height;
        int max;
        try {
            width = Integer.parseInt(pgmToken(bytes, at));
            height = Integer.parseInt(pgmToken(bytes, at));
            max = Integer.parseInt(pgmToken(bytes, at));
        } catch (NumberFormatException e) {
            throw new IOException(file + ": not a PGM header (" + e.getMessage() + ")");
        }
        int start = at[0] + 1;
        if (!magic.equals("P5") || max != 255 || bytes.length < start + (long) width * height) {
            throw new IOException(file + ": not an 8-bit binary PGM");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = bytes[start + y * width + x] & 0xff;
                image.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return image;
    }

    private static String pgmToken(byte[] bytes, int[] at) throws IOException {
        while (at[0] < bytes.length && (Character.isWhitespace(bytes[at[0]]) || bytes[at[0]] == '#')) {
            if (bytes[at[0]] == '#') {
                while (at[0] < bytes.length && bytes[at[0]] != '\n') {
                    at[0]++;
                }
            }
            at[0]++;
        }
        int begin = at[0];
        while (at[0] < bytes.length && !Character.isWhitespace(bytes[at[0]])) {
            at[0]++;
        }
        if (begin == at[0]) {
            throw new IOException("truncated PGM header");
        }
        return new String(bytes, begin, at[0] - begin, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static BufferedImage portrait(BufferedImage image, Random random) {
        int h = image.getHeight();
        int w = Math.min(image.getWidth(), (int) (h * Synth.between(random, 0.6, 0.8)));
        int x = random.nextInt(Math.max(1, image.getWidth() - w + 1));
        return copy(image.getSubimage(x, 0, w, h));
    }

    static BufferedImage fit(BufferedImage image, int longSide) {
        int side = Math.max(image.getWidth(), image.getHeight());
        if (side <= longSide) {
            return Filters.intRgb(image);
        }
        double scale = longSide / (double) side;
        return Filters.resize(image, (int) Math.round(image.getWidth() * scale), (int) Math.round(image.getHeight() * scale));
    }

    /** A copy of {@code image} with its own raster (a sub-image shares its parent's). */
    static BufferedImage copy(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    static BufferedImage grey(BufferedImage image) {
        BufferedImage grey = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return Filters.intRgb(grey);
    }
}
