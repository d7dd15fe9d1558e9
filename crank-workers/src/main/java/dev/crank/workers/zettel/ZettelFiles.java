package dev.crank.workers.zettel;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zettel folder: one {@code <id>.md} per zettel, written atomically (temporary file, fsync,
 * rename, fsync of the folder). Nothing outside the folder is ever touched: every path is built
 * from a validated id and checked to resolve to a direct child of it.
 */
final class ZettelFiles {

    /** A file that could not be loaded, and why. */
    record Skipped(String file, String reason) {}

    /** What a scan of the folder found. */
    record Scan(List<Zettel> zettels, List<Skipped> skipped) {}

    static final String EXTENSION = ".md";
    private static final String TEMP_SUFFIX = ".zettel-tmp";
    /** Files larger than this are not read (the API caps content far below it). */
    static final long MAX_FILE_BYTES = 4L * 1024 * 1024;

    private static final Logger logger = LoggerFactory.getLogger(ZettelFiles.class);

    private final Path dir;

    ZettelFiles(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir).toRealPath();
    }

    Path dir() {
        return dir;
    }

    /** The file of zettel {@code id}, refusing any id that would resolve elsewhere. */
    Path pathOf(String id) {
        ZettelIds.require(id);
        Path file = dir.resolve(id + EXTENSION).normalize();
        if (!dir.equals(file.getParent())) {
            throw new IllegalArgumentException("id " + id + " resolves outside " + dir);
        }
        return file;
    }

    /**
     * Takes the folder's {@code .lock} so that one process (and one store in it) owns the folder at
     * a time; closing the answer releases it.
     */
    Closeable lock() throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException(dir + " is in use by another zettel store");
            }
            return () -> {
                try (channel) {
                    lock.release();
                }
            };
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new IllegalStateException(dir + " is in use by another zettel store in this process", e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    void write(Zettel zettel) throws IOException {
        Path target = pathOf(zettel.id());
        Path temp = Files.createTempFile(dir, zettel.id() + ".", TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(ZettelMarkdown.render(zettel).getBytes(UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory();
    }

    void delete(String id) throws IOException {
        Files.deleteIfExists(pathOf(id));
        syncDirectory();
    }

    /** Reads every {@code *.md} file; a file that cannot be read or parsed is reported, never fatal. */
    Scan scan() throws IOException {
        removeLeftoverTempFiles();
        List<Zettel> zettels = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + EXTENSION)) {
            stream.forEach(files::add);
        }
        files.sort(null);
        for (Path file : files) {
            String name = file.getFileName().toString();
            try {
                zettels.add(load(file));
            } catch (ZettelMarkdown.MalformedZettelException | IOException e) {
                // The reason shows up in /status, so it names no path; the log line has the details.
                String reason = e instanceof IOException ? "unreadable (" + e.getClass().getSimpleName() + ")" : e.getMessage();
                logger.warn("Skipped zettel file {}: {}", name, e instanceof IOException ? e.toString() : reason);
                skipped.add(new Skipped(name, reason));
            }
        }
        return new Scan(zettels, skipped);
    }

    private Zettel load(Path file) throws IOException, ZettelMarkdown.MalformedZettelException {
        String name = file.getFileName().toString();
        String id = name.substring(0, name.length() - EXTENSION.length());
        if (!ZettelIds.isValid(id)) {
            throw new ZettelMarkdown.MalformedZettelException("the file name is not a valid zettel id");
        }
        if (!Files.isRegularFile(file)) {
            throw new ZettelMarkdown.MalformedZettelException("not a regular file");
        }
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new ZettelMarkdown.MalformedZettelException("the file has " + size + " bytes (expected: at most " + MAX_FILE_BYTES + ")");
        }
        String text;
        try {
            text = UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new ZettelMarkdown.MalformedZettelException("the file is not valid UTF-8");
        }
        Instant modified = Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.MILLIS);
        return ZettelMarkdown.parse(id, text, modified);
    }

    private void removeLeftoverTempFiles() throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
            for (Path temp : stream) {
                logger.info("Removing {} left by an interrupted write", temp.getFileName());
                Files.deleteIfExists(temp);
            }
        }
    }

    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename itself is still atomic.
            logger.debug("Could not fsync {}: {}", dir, e.toString());
        }
    }
}
