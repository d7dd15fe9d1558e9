package dev.crank.workers.mail;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The SpamAssassin public corpus as {@code tools/fetch-corpora.sh} lays it out:
 * {@code corpora/spam-assassin/<folder>/*.txt}, one raw message per file. Read by the corpus-wide
 * checks and by spam model training; never needed at run time.
 */
public final class SpamAssassinCorpus {

    public static final List<String> FOLDERS = List.of("easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2");
    /** Where the fetch script puts it, relative to the repository root. */
    public static final Path DEFAULT_DIR = Path.of("corpora", "spam-assassin");

    /** One message of the corpus. */
    public record Sample(String folder, String file, byte[] raw) {
        public boolean isSpam() {
            return folder.startsWith("spam");
        }
    }

    private final Path dir;

    private SpamAssassinCorpus(Path dir) {
        this.dir = dir;
    }

    /** The corpus in {@code dir}; fails with the fetch command when it is missing. */
    public static SpamAssassinCorpus at(Path dir) {
        requireNonNull(dir, "dir");
        if (!isPresent(dir)) {
            throw new IllegalStateException("no SpamAssassin corpus in " + dir.toAbsolutePath()
                    + " (expected: folders " + FOLDERS + "; run tools/fetch-corpora.sh from the repository root)");
        }
        return new SpamAssassinCorpus(dir);
    }

    public static boolean isPresent(Path dir) {
        return FOLDERS.stream().allMatch(folder -> Files.isDirectory(dir.resolve(folder)));
    }

    /**
     * The corpus directory for tools and tests: system property {@code crank.corpus.dir}, else
     * {@code corpora/spam-assassin} here or in a parent folder (tests run in the module folder).
     */
    public static Path locate() {
        String property = System.getProperty("crank.corpus.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate = here; candidate != null; candidate = candidate.getParent()) {
            if (isPresent(candidate.resolve(DEFAULT_DIR))) {
                return candidate.resolve(DEFAULT_DIR);
            }
        }
        return here.resolve(DEFAULT_DIR);
    }

    public Path dir() {
        return dir;
    }

    /** The messages of {@code folder}, sorted by file name so every run sees the same order. */
    public List<Sample> read(String folder) {
        if (!FOLDERS.contains(folder)) {
            throw new IllegalArgumentException("folder: " + folder + " (expected: one of " + FOLDERS + ")");
        }
        try (Stream<Path> files = Files.list(dir.resolve(folder))) {
            List<Sample> samples = new ArrayList<>();
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".txt")).sorted().toList()) {
                samples.add(new Sample(folder, file.getFileName().toString(), Files.readAllBytes(file)));
            }
            return samples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The messages of several folders, folder by folder. */
    public List<Sample> read(List<String> folders) {
        List<Sample> samples = new ArrayList<>();
        folders.forEach(folder -> samples.addAll(read(folder)));
        return samples;
    }
}
