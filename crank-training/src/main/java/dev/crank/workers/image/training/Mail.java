package dev.crank.workers.image.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** A SpamAssassin message as the image set renders it: subject and body, the body HTML or text. */
record Mail(String subject, String body, boolean html) {

    private static final List<String> FOLDERS = List.of("easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2");

    /** Every {@code stride}-th message of each folder, in name order. */
    static List<Path> sample(Path corpus, int stride) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String folder : FOLDERS) {
            try (Stream<Path> files = Files.list(folder(corpus, folder))) {
                List<Path> sorted = files.sorted().toList();
                for (int i = 0; i < sorted.size(); i += stride) {
                    out.add(sorted.get(i));
                }
            }
        }
        return out;
    }

    /**
     * Messages that neither {@link #sample} with the strides the set uses (3 and 50) nor {@link #sampleHtml} ever
     * picks (their index in the folder is 1 modulo 3 and not a multiple of 50): every {@code stride}-th of them, in
     * name order, folder by folder; with {@code html}, HTML messages only. The fresh part's messages.
     */
    static List<Path> fresh(Path corpus, int stride, boolean html) throws IOException {
        return untaken(corpus, 1, stride, html);
    }

    /** As {@link #fresh}, of the messages whose index is 2 modulo 3 (not a multiple of 50): the unseen part's. */
    static List<Path> unseen(Path corpus, int stride, boolean html) throws IOException {
        return untaken(corpus, 2, 0, stride, html);
    }

    /**
     * As {@link #unseen}, from the {@code offset}-th of those messages on: the final part's (offsets that
     * {@link #unseen} with the strides the set uses never picks).
     */
    static List<Path> unseenFrom(Path corpus, int offset, int stride, boolean html) throws IOException {
        return untaken(corpus, 2, offset, stride, html);
    }

    private static List<Path> untaken(Path corpus, int residue, int stride, boolean html) throws IOException {
        return untaken(corpus, residue, 0, stride, html);
    }

    private static List<Path> untaken(Path corpus, int residue, int offset, int stride, boolean html) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String folder : FOLDERS) {
            List<Path> unseen = new ArrayList<>();
            try (Stream<Path> files = Files.list(folder(corpus, folder))) {
                List<Path> sorted = files.sorted().toList();
                for (int i = residue; i < sorted.size(); i += 3) {
                    if (i % 50 != 0 && (!html || read(sorted.get(i)).html())) {
                        unseen.add(sorted.get(i));
                    }
                }
            }
            for (int i = offset; i < unseen.size(); i += stride) {
                out.add(unseen.get(i));
            }
        }
        return out;
    }

    private static Path folder(Path corpus, String folder) throws IOException {
        Path dir = corpus.resolve(folder);
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is missing (run tools/fetch-corpora.sh)");
        }
        return dir;
    }

    /** HTML messages only (those whose body holds an {@code <html} or {@code <body} tag). */
    static List<Path> sampleHtml(Path corpus, int count) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path file : sample(corpus, 3)) {
            if (out.size() >= count) {
                break;
            }
            if (read(file).html()) {
                out.add(file);
            }
        }
        return out;
    }

    static Mail read(Path file) throws IOException {
        String raw = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        int split = raw.indexOf("\n\n");
        String headers = split < 0 ? raw : raw.substring(0, split);
        String body = split < 0 ? "" : raw.substring(split + 2);
        String subject = "(no subject)";
        for (String line : headers.split("\n")) {
            if (line.regionMatches(true, 0, "Subject:", 0, 8)) {
                subject = line.substring(8).strip();
                break;
            }
        }
        String lower = body.toLowerCase(Locale.ROOT);
        boolean html = lower.contains("<html") || lower.contains("<body");
        if (body.isBlank()) {
            body = subject;
        }
        return new Mail(subject, body, html);
    }
}
