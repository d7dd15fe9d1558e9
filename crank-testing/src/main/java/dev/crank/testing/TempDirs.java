package dev.crank.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Temporary folders for a test's PKI and data, removed when the test is done. */
final class TempDirs {

    private static final Logger logger = LoggerFactory.getLogger(TempDirs.class);

    private TempDirs() {}

    static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder", e);
        }
    }

    /** Deletes {@code dir} and everything under it; a file that cannot be deleted is logged, not thrown. */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    logger.warn("Cannot delete {}: {}", path, e.toString());
                }
            });
        } catch (IOException e) {
            logger.warn("Cannot clean up {}: {}", dir, e.toString());
        }
    }
}
