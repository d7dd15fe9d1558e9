package dev.crank.workers.zettel;

import dev.crank.core.CrankException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Crank reads out of a zettel's Markdown: its title and its {@code [[id]]} links. */
final class ZettelText {

    static final int MAX_DERIVED_TITLE = 80;

    private static final Pattern LINK = Pattern.compile("\\[\\[([A-Za-z0-9._-]{1,128})]]");
    private static final Pattern HEADING = Pattern.compile("#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*");
    private static final Pattern FENCE = Pattern.compile("(```|~~~).*");

    private ZettelText() {}

    /** The distinct {@code [[id]]} references in {@code content}, in order of first appearance. */
    static List<String> links(String content) {
        Set<String> links = new LinkedHashSet<>();
        Matcher matcher = LINK.matcher(content);
        while (matcher.find()) {
            String id = matcher.group(1);
            if (ZettelIds.isValid(id)) {
                links.add(id);
            }
        }
        return List.copyOf(links);
    }

    /**
     * The first Markdown heading outside code fences, else the first non-blank line, cut to at most
     * {@value #MAX_DERIVED_TITLE} characters (at a word boundary where there is one, with an ellipsis).
     */
    static String deriveTitle(String content) {
        Optional<String> firstLine = Optional.empty();
        boolean inFence = false;
        for (String raw : content.split("\\R")) {
            String line = raw.strip();
            if (FENCE.matcher(line).matches()) {
                inFence = !inFence;
                continue;
            }
            if (line.isEmpty() || inFence) {
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches() && !heading.group(1).isBlank()) {
                return shorten(heading.group(1).strip());
            }
            if (firstLine.isEmpty()) {
                firstLine = Optional.of(line);
            }
        }
        return shorten(firstLine.orElse(content.strip()));
    }

    static String shorten(String text) {
        if (text.codePointCount(0, text.length()) <= MAX_DERIVED_TITLE) {
            return text;
        }
        String cut = text.substring(0, text.offsetByCodePoints(0, MAX_DERIVED_TITLE - 1));
        int space = cut.lastIndexOf(' ');
        if (space >= MAX_DERIVED_TITLE / 2) {
            cut = cut.substring(0, space);
        }
        return cut.stripTrailing() + "\u2026";
    }

    /** Refuses text with unpaired UTF-16 surrogates, which cannot be written to a UTF-8 file. */
    static String requireWellFormed(String field, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw CrankException.badRequest("INVALID_TEXT", field + ": contains an unpaired UTF-16 surrogate at index " + i);
            }
        }
        return text;
    }

    /** Strips and de-duplicates tags, keeping their order. */
    static List<String> normalizeTags(List<String> tags) {
        Set<String> unique = new LinkedHashSet<>();
        for (String tag : tags) {
            String stripped = requireWellFormed("tags", tag).strip();
            if (!stripped.isEmpty()) {
                unique.add(stripped);
            }
        }
        return new ArrayList<>(unique);
    }
}
