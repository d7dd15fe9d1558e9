package dev.crank.workers.documentconversion;

import dev.crank.core.CrankException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** What a document is written in. {@link #detect} guesses it when the caller does not say. */
public enum SourceFormat {
    MARKDOWN("markdown", "text/markdown"),
    HTML("html", "text/html"),
    TEXT("text", "text/plain");

    private static final int SNIFF_CHARS = 4096;
    private static final Pattern HTML_START = Pattern.compile(
            "^\\s*(<!doctype\\s+html|<html[\\s>]|<head[\\s>]|<body[\\s>]|<!--)", Pattern.CASE_INSENSITIVE);
    private static final Pattern TAG_START = Pattern.compile("^\\s*<[a-zA-Z]");
    private static final Pattern HTML_BLOCK_TAG = Pattern.compile(
            "<(p|div|h[1-6]|table|ul|ol|section|article|main|pre|blockquote)(\\s[^>]*)?>.*?</\\1\\s*>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern MARKDOWN_SIGN = Pattern.compile(
            "(?m)^(#{1,6}\\s+\\S|```|~~~|\\s{0,3}[-*+]\\s+\\S|\\s{0,3}\\d+[.)]\\s+\\S|>\\s|\\|.*\\|\\s*$|[-=]{3,}\\s*$)"
                    + "|\\[[^\\]\\n]+\\]\\([^)\\s]+\\)|\\*\\*[^*\\n]+\\*\\*|`[^`\\n]+`");

    private final String wireName;
    private final String mediaType;

    SourceFormat(String wireName, String mediaType) {
        this.wireName = wireName;
        this.mediaType = mediaType;
    }

    /** The name on the wire: {@code markdown}, {@code html} or {@code text}. */
    public String wireName() {
        return wireName;
    }

    /** The raw-body media type that selects this format. */
    public String mediaType() {
        return mediaType;
    }

    public static SourceFormat parse(String name) {
        for (SourceFormat format : values()) {
            if (format.wireName.equals(name)) {
                return format;
            }
        }
        throw CrankException.badRequest("INVALID_SOURCE_FORMAT",
                "source_format: " + name + " (expected: markdown, html or text)");
    }

    public static Optional<SourceFormat> ofMediaType(String mediaType) {
        String type = mediaType.toLowerCase(Locale.ROOT);
        for (SourceFormat format : values()) {
            if (format.mediaType.equals(type)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    /**
     * Guesses the format from the first few kilobytes. A document that starts like an HTML page, or
     * starts with a tag and holds a closed HTML block element, is HTML; one with Markdown syntax
     * (headings, lists, fences, links, emphasis, tables) is Markdown, even with some HTML inside, as
     * Markdown allows; one with a closed HTML block element is HTML; anything else is plain text.
     */
    public static SourceFormat detect(String document) {
        String head = document.length() > SNIFF_CHARS ? document.substring(0, SNIFF_CHARS) : document;
        boolean htmlBlock = HTML_BLOCK_TAG.matcher(head).find();
        if (HTML_START.matcher(head).find() || TAG_START.matcher(head).find() && htmlBlock) {
            return HTML;
        }
        if (MARKDOWN_SIGN.matcher(head).find()) {
            return MARKDOWN;
        }
        return htmlBlock ? HTML : TEXT;
    }
}
