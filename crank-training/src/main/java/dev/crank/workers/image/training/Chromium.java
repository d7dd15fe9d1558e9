package dev.crank.workers.image.training;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Screenshots of local HTML files by headless Chromium ({@code --screenshot}), one process each. Nothing
 * leaves the machine: the pages are local files, host names resolve to nothing, every other request goes to a
 * closed loopback proxy, and {@link ScreenshotRenders} strips remote references before a page gets here.
 */
final class Chromium {

    private static final Path BINARY = Path.of(System.getProperty("crank.chromium", "/usr/bin/chromium"));

    private Chromium() {}

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    static BufferedImage screenshot(Path page, int width, int height) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("crank-shot");
        try {
            Path png = dir.resolve("shot.png");
            List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--disable-gpu",
                    "--hide-scrollbars", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
                    "--disable-domain-reliability", "--disable-features=Translate,MediaRouter",
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost", "--proxy-server=127.0.0.1:9",
                    "--user-data-dir=" + dir.resolve("profile"), "--screenshot=" + png,
                    "--window-size=" + width + "," + height, page.toUri().toString()));
            if ("root".equals(System.getProperty("user.name"))) {
                command.add(1, "--no-sandbox"); // Chromium refuses to sandbox itself as root (CI containers)
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("chromium.log").toFile()).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("chromium did not finish within 90 s on " + page);
            }
            if (!Files.exists(png)) {
                throw new IOException("chromium wrote no screenshot of " + page + " (exit " + process.exitValue() + ")");
            }
            return Filters.intRgb(ImageIO.read(png.toFile()));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }
}
