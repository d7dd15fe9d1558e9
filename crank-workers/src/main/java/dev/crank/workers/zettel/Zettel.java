package dev.crank.workers.zettel;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One note: Markdown content with metadata. {@code links} are the {@code [[id]]} references in the
 * content, derived from it; {@code extra} holds front-matter keys Crank does not know, kept so a
 * hand-edited file loses nothing when it is later updated through the API.
 */
record Zettel(
        String id,
        String title,
        String content,
        Instant createdAt,
        Instant updatedAt,
        Optional<String> sourceAgent,
        Optional<String> category,
        List<String> tags,
        List<String> links,
        Map<String, JsonNode> extra) {

    Zettel {
        ZettelIds.require(id);
        requireNonNull(title, "title");
        requireNonNull(content, "content");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(updatedAt, "updatedAt");
        requireNonNull(sourceAgent, "sourceAgent");
        requireNonNull(category, "category");
        tags = List.copyOf(tags);
        links = List.copyOf(links);
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        extra.forEach((key, value) -> copy.put(key, value.deepCopy()));
        extra = Collections.unmodifiableMap(copy);
    }

    /** A zettel whose links are read from {@code content}. */
    static Zettel of(String id, String title, String content, Instant createdAt, Instant updatedAt,
                     Optional<String> sourceAgent, Optional<String> category, List<String> tags,
                     Map<String, JsonNode> extra) {
        return new Zettel(id, title, content, createdAt, updatedAt, sourceAgent, category, tags,
                ZettelText.links(content), extra);
    }

    Zettel withChanges(String title, String content, Instant updatedAt, Optional<String> sourceAgent,
                       Optional<String> category, List<String> tags) {
        return of(id, title, content, createdAt, updatedAt, sourceAgent, category, tags, extra);
    }
}
