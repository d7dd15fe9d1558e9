package dev.crank.workers.zettel;

import static java.util.Objects.requireNonNull;

import dev.crank.core.CrankException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zettel store: the files are the source of truth, a map of immutable {@link Zettel}s and a
 * backlink table answer reads, and a Lucene index answers searches. Writes are serialised (each one
 * fsyncs a file, then updates the map and the index); reads never wait for them. A write's
 * precondition ({@code If-Match}, {@code If-None-Match: *}) is checked under the same lock as the
 * write, so a read-modify-write with the entity tag it read either applies to exactly that version or
 * fails with 412: no update is lost. One process owns a folder at a time ({@link ZettelFiles#lock()}).
 */
final class ZettelStore implements Closeable {

    /** What a caller may set; absent fields are left as they are (update) or get defaults (store). */
    record Draft(Optional<String> id, Optional<String> content, Optional<String> title, Optional<String> sourceAgent,
                 Optional<String> category, Optional<List<String>> tags) {}

    /** A page of zettels and the number that matched. */
    record Page(List<Zettel> zettels, int total) {}

    /** Exact-match list filters, combined with AND. */
    record Filter(Optional<String> category, Optional<String> tag, Optional<String> sourceAgent) {
        boolean matches(Zettel zettel) {
            return category.map(c -> zettel.category().equals(Optional.of(c))).orElse(true)
                    && tag.map(t -> zettel.tags().contains(t)).orElse(true)
                    && sourceAgent.map(a -> zettel.sourceAgent().equals(Optional.of(a))).orElse(true);
        }
    }

    private static final Logger logger = LoggerFactory.getLogger(ZettelStore.class);
    private static final Comparator<Zettel> NEWEST_FIRST = Comparator.comparing(Zettel::createdAt)
            .thenComparing(Zettel::id).reversed();

    private final ZettelFiles files;
    private final ZettelIndex index;
    private final Clock clock;
    private final Closeable lock;
    private final List<ZettelFiles.Skipped> skipped;
    private final ZettelIds ids = new ZettelIds();
    private final Map<String, Zettel> zettels = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> backlinks = new ConcurrentHashMap<>();
    private final ReentrantLock writes = new ReentrantLock();

    private ZettelStore(ZettelFiles files, ZettelIndex index, Clock clock, Closeable lock, ZettelFiles.Scan scan)
            throws IOException {
        this.files = files;
        this.index = index;
        this.clock = clock;
        this.lock = lock;
        this.skipped = List.copyOf(scan.skipped());
        for (Zettel zettel : scan.zettels()) {
            zettels.put(zettel.id(), zettel);
            addBacklinks(zettel);
            index.put(zettel);
        }
        index.refresh();
    }

    /** The zettel folder of a worker's data dir. */
    static Path folderOf(Path dataDir) {
        return requireNonNull(dataDir, "dataDir").resolve("zettels");
    }

    /** Opens the store in {@code dir}, loading every zettel file in it and indexing it. */
    static ZettelStore open(Path dir, Clock clock) throws IOException {
        ZettelFiles files = new ZettelFiles(dir);
        Closeable lock = files.lock();
        long started = System.nanoTime();
        ZettelIndex index = new ZettelIndex();
        try {
            ZettelStore store = new ZettelStore(files, index, clock, lock, files.scan());
            logger.info("Loaded {} zettels from {} ({} skipped) in {} ms", store.size(), files.dir(),
                    store.skipped.size(), (System.nanoTime() - started) / 1_000_000);
            return store;
        } catch (IOException | RuntimeException e) {
            try (lock) {
                index.close();
            }
            throw e;
        }
    }

    /**
     * Stores a new zettel. A caller-chosen id that exists is a 409 {@code ZETTEL_EXISTS}, or a 412
     * {@code PRECONDITION_FAILED} when the caller sent {@code If-None-Match: *} ({@code mustNotExist}).
     */
    Zettel store(Draft draft, boolean mustNotExist) throws IOException {
        String content = requireContent(draft.content());
        writes.lock();
        try {
            Instant now = now();
            String id;
            if (draft.id().isPresent()) {
                id = ZettelIds.require(draft.id().get());
                if (zettels.containsKey(id)) {
                    if (mustNotExist) {
                        throw ZettelEtags.exists(id);
                    }
                    throw CrankException.conflict("ZETTEL_EXISTS", "A zettel with id " + id + " already exists");
                }
            } else {
                do {
                    id = ids.next(now);
                } while (zettels.containsKey(id));
            }
            String title = draft.title().map(t -> ZettelText.requireWellFormed("title", t))
                    .orElseGet(() -> ZettelText.deriveTitle(content));
            Zettel zettel = Zettel.of(id, title, content, now, now, label("source_agent", draft.sourceAgent()),
                    label("category", draft.category()), ZettelText.normalizeTags(draft.tags().orElse(List.of())), Map.of());
            save(Optional.empty(), zettel);
            return zettel;
        } finally {
            writes.unlock();
        }
    }

    /** Applies {@code changes} to zettel {@code id} if it matches {@code ifMatch} (412 otherwise). */
    Zettel update(String id, Draft changes, Optional<ZettelEtags.IfMatch> ifMatch) throws IOException {
        Optional<String> newContent = changes.content().isPresent()
                ? Optional.of(requireContent(changes.content())) : Optional.empty();
        writes.lock();
        try {
            Zettel old = require(id);
            ifMatch.ifPresent(condition -> condition.require(old));
            String content = newContent.orElse(old.content());
            String title = changes.title().map(t -> ZettelText.requireWellFormed("title", t)).orElseGet(() ->
                    // A title that was derived follows the content; one the caller chose stays.
                    old.title().equals(ZettelText.deriveTitle(old.content())) ? ZettelText.deriveTitle(content) : old.title());
            Instant now = now();
            Zettel zettel = old.withChanges(title, content, now.isBefore(old.createdAt()) ? old.createdAt() : now,
                    changes.sourceAgent().isPresent() ? label("source_agent", changes.sourceAgent()) : old.sourceAgent(),
                    changes.category().isPresent() ? label("category", changes.category()) : old.category(),
                    changes.tags().map(ZettelText::normalizeTags).orElse(old.tags()));
            save(Optional.of(old), zettel);
            return zettel;
        } finally {
            writes.unlock();
        }
    }

    /** Deletes zettel {@code id} if it matches {@code ifMatch} (412 otherwise). */
    void delete(String id, Optional<ZettelEtags.IfMatch> ifMatch) throws IOException {
        writes.lock();
        try {
            Zettel old = require(id);
            ifMatch.ifPresent(condition -> condition.require(old));
            files.delete(id);
            zettels.remove(id);
            removeBacklinks(old);
            index.remove(id);
            index.refresh();
        } finally {
            writes.unlock();
        }
    }

    Optional<Zettel> get(String id) {
        return Optional.ofNullable(zettels.get(ZettelIds.require(id)));
    }

    /** The zettel {@code id}, or a 404 {@code ZETTEL_NOT_FOUND}. */
    Zettel require(String id) {
        return get(id).orElseThrow(() -> CrankException.notFound("ZETTEL_NOT_FOUND", "No zettel with id " + id));
    }

    /** Zettels matching {@code filter}, newest first. */
    Page list(Filter filter, int limit, int offset) {
        List<Zettel> matching = zettels.values().stream().filter(filter::matches).sorted(NEWEST_FIRST).toList();
        List<Zettel> page = matching.stream().skip(offset).limit(limit).toList();
        return new Page(page, matching.size());
    }

    ZettelIndex.Hits search(String query, ZettelIndex.Filter filter, int limit, int offset) throws IOException {
        return index.search(query, filter, limit, offset);
    }

    /** Ids of the zettels whose content links to {@code id}, sorted. */
    List<String> backlinks(String id) {
        return backlinks.getOrDefault(id, Set.of()).stream().filter(zettels::containsKey).sorted().toList();
    }

    int size() {
        return zettels.size();
    }

    int indexedDocuments() throws IOException {
        return index.documents();
    }

    List<ZettelFiles.Skipped> skipped() {
        return skipped;
    }

    private void save(Optional<Zettel> old, Zettel zettel) throws IOException {
        files.write(zettel);
        zettels.put(zettel.id(), zettel);
        old.ifPresent(this::removeBacklinks);
        addBacklinks(zettel);
        index.put(zettel);
        index.refresh();
    }

    private void addBacklinks(Zettel zettel) {
        for (String target : zettel.links()) {
            backlinks.computeIfAbsent(target, key -> ConcurrentHashMap.newKeySet()).add(zettel.id());
        }
    }

    private void removeBacklinks(Zettel zettel) {
        for (String target : zettel.links()) {
            backlinks.computeIfPresent(target, (key, sources) -> {
                sources.remove(zettel.id());
                return sources.isEmpty() ? null : sources;
            });
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String requireContent(Optional<String> content) {
        String text = content.orElse("");
        if (text.isBlank()) {
            throw CrankException.badRequest("EMPTY_CONTENT", "content: empty or blank (expected: Markdown text)");
        }
        return ZettelText.requireWellFormed("content", text);
    }

    private static Optional<String> label(String field, Optional<String> value) {
        return value.map(v -> ZettelText.requireWellFormed(field, v).strip()).filter(v -> !v.isEmpty());
    }

    @Override
    public void close() throws IOException {
        writes.lock();
        try (lock) {
            index.close();
        } finally {
            writes.unlock();
        }
    }
}
