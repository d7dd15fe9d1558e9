package dev.crank.workers.zettel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A zettel as a Markdown file with YAML front matter:
 *
 * <pre>
 * ---
 * id: "20261115T103045123Z-0000"
 * title: "On sonnets"
 * created_at: "2026-11-15T10:30:45.123Z"
 * updated_at: "2026-11-15T10:30:45.123Z"
 * source_agent: "poet"
 * category: "poetry"
 * tags:
 * - "form"
 * links:
 * - "20261114T090000000Z-0000"
 * ---
 * Fourteen lines, see [[20261114T090000000Z-0000]].
 * </pre>
 *
 * Strings are always double-quoted and never folded, so colons, quotes and newlines round-trip.
 * Reading is lenient with hand-edited files: {@code id} defaults to the file name, {@code title} to
 * one derived from the content, the dates to the file's modification time; {@code links} is always
 * re-read from the content, and unknown keys are kept.
 */
final class ZettelMarkdown {

    /** A file that is not a zettel Crank can load. */
    static final class MalformedZettelException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedZettelException(String reason) {
            super(reason);
        }
    }

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();
    private static final Pattern FRONT_MATTER = Pattern.compile(
            "\\A---[ \\t]*\\r?\\n(.*?)^(?:---|\\.\\.\\.)[ \\t]*(?:\\r?\\n|\\z)", Pattern.DOTALL | Pattern.MULTILINE);
    private static final Pattern OPENING = Pattern.compile("\\A---[ \\t]*\\r?\\n");
    private static final Set<String> KNOWN = Set.of("id", "title", "created_at", "updated_at", "source_agent",
            "category", "tags", "links");

    private ZettelMarkdown() {}

    static String render(Zettel zettel) {
        ObjectNode front = YAML.createObjectNode();
        front.put("id", zettel.id());
        front.put("title", zettel.title());
        front.put("created_at", zettel.createdAt().toString());
        front.put("updated_at", zettel.updatedAt().toString());
        zettel.sourceAgent().ifPresent(agent -> front.put("source_agent", agent));
        zettel.category().ifPresent(category -> front.put("category", category));
        ArrayNode tags = front.putArray("tags");
        zettel.tags().forEach(tags::add);
        ArrayNode links = front.putArray("links");
        zettel.links().forEach(links::add);
        zettel.extra().forEach(front::set);
        try {
            return "---\n" + YAML.writeValueAsString(front) + "---\n" + zettel.content();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the front matter of " + zettel.id(), e);
        }
    }

    /** Parses the text of {@code <id>.md}; {@code modified} stands in for missing dates. */
    static Zettel parse(String fileId, String text, Instant modified) throws MalformedZettelException {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        ObjectNode front = YAML.createObjectNode();
        String body = text;
        if (OPENING.matcher(text).lookingAt()) {
            Matcher matcher = FRONT_MATTER.matcher(text);
            if (!matcher.find()) {
                throw new MalformedZettelException("the front matter has no closing '---' line");
            }
            front = frontMatter(matcher.group(1));
            body = text.substring(matcher.end());
        }
        String content = body;
        if (content.isBlank()) {
            throw new MalformedZettelException("the zettel has no content");
        }
        Optional<String> id = scalar(front, "id");
        if (id.isPresent() && !id.get().equals(fileId)) {
            throw new MalformedZettelException("front matter id '" + id.get() + "' differs from the file name");
        }
        String title = scalar(front, "title").filter(t -> !t.isBlank()).orElseGet(() -> ZettelText.deriveTitle(content));
        Instant created = instant(front, "created_at").orElse(modified);
        Instant updated = instant(front, "updated_at").orElse(created.isAfter(modified) ? created : modified);
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = front.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!KNOWN.contains(field.getKey())) {
                extra.put(field.getKey(), field.getValue());
            }
        }
        try {
            return Zettel.of(fileId, ZettelText.requireWellFormed("title", title), content, created, updated,
                    scalar(front, "source_agent").map(String::strip).filter(s -> !s.isEmpty()),
                    scalar(front, "category").map(String::strip).filter(s -> !s.isEmpty()),
                    ZettelText.normalizeTags(tags(front)), extra);
        } catch (RuntimeException e) {
            throw new MalformedZettelException(e.getMessage());
        }
    }

    private static ObjectNode frontMatter(String yaml) throws MalformedZettelException {
        if (yaml.isBlank()) {
            return YAML.createObjectNode();
        }
        JsonNode node;
        try {
            node = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new MalformedZettelException("the front matter is not valid YAML: " + oneLine(e.getOriginalMessage()));
        } catch (RuntimeException e) {
            // SnakeYAML reports some limits (aliases, code points) as unchecked exceptions.
            throw new MalformedZettelException("the front matter is not valid YAML: " + oneLine(e.getMessage()));
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return YAML.createObjectNode();
        }
        if (!(node instanceof ObjectNode object)) {
            throw new MalformedZettelException("the front matter is a YAML " + node.getNodeType().name().toLowerCase()
                    + " (expected: a mapping)");
        }
        return object;
    }

    /** A parser message on one line, short enough for a log line and {@code /status}. */
    private static String oneLine(String message) {
        String flat = String.valueOf(message).replaceAll("\\s+", " ").strip();
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    private static Optional<String> scalar(ObjectNode front, String key) throws MalformedZettelException {
        JsonNode value = front.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            throw new MalformedZettelException(key + ": a YAML " + value.getNodeType().name().toLowerCase()
                    + " (expected: a single value)");
        }
        return Optional.of(value.asText());
    }

    private static List<String> tags(ObjectNode front) throws MalformedZettelException {
        JsonNode value = front.get("tags");
        List<String> tags = new ArrayList<>();
        if (value == null || value.isNull()) {
            return tags;
        }
        if (value.isValueNode()) {
            tags.add(value.asText());
            return tags;
        }
        if (!value.isArray()) {
            throw new MalformedZettelException("tags: a YAML mapping (expected: a list)");
        }
        for (JsonNode tag : value) {
            if (!tag.isValueNode() || tag.isNull()) {
                throw new MalformedZettelException("tags: every tag must be a single value");
            }
            tags.add(tag.asText());
        }
        return tags;
    }

    private static Optional<Instant> instant(ObjectNode front, String key) throws MalformedZettelException {
        Optional<String> text = scalar(front, key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String value = text.get().strip();
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant().truncatedTo(ChronoUnit.MILLIS));
        } catch (DateTimeException notADateTime) {
            try {
                return Optional.of(LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeException notADate) {
                throw new MalformedZettelException(key + ": '" + value + "' (expected: an ISO-8601 date-time such as 2026-11-15T10:30:45Z)");
            }
        }
    }
}
