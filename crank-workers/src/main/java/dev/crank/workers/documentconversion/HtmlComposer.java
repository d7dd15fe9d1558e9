package dev.crank.workers.documentconversion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.helper.W3CDom;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Turns a {@link ConversionRequest} into the HTML page openhtmltopdf lays out: Markdown through
 * commonmark (with GFM tables), plain text as pre-wrapped monospace, HTML through jsoup's forgiving
 * parser (no XML parser, so no external entities). Scripts and frames are dropped, absurd CSS lengths
 * clamped ({@link CssLengthClamp}). The base
 * stylesheet comes first so the document's own styles win, except for the page size, which is the
 * one the caller asked for.
 */
final class HtmlComposer {

    private static final String STYLESHEET = readStylesheet();
    private static final List<String> DROPPED = List.of("script", "noscript", "template", "iframe", "frame", "frameset",
            "object", "embed", "applet", "base");

    private static final Pattern SAFE_LINK = Pattern.compile("(https?://|mailto:)", Pattern.CASE_INSENSITIVE);

    private final Parser markdownParser;
    private final HtmlRenderer markdownRenderer;

    HtmlComposer() {
        List<Extension> extensions = List.of(TablesExtension.create());
        this.markdownParser = Parser.builder().extensions(extensions).build();
        this.markdownRenderer = HtmlRenderer.builder().extensions(extensions).sanitizeUrls(true).build();
    }

    /** A composed page: the DOM to render, the title it carries and the text a reader will see. */
    record ComposedPage(org.w3c.dom.Document dom, Optional<String> title, String visibleText) {}

    ComposedPage compose(ConversionRequest request) {
        Document page = switch (request.format()) {
            case HTML -> Jsoup.parse(request.document());
            case MARKDOWN -> shell(markdownRenderer.render(markdownParser.parse(request.document())));
            case TEXT -> plainText(request.document());
        };
        DROPPED.forEach(tag -> page.select(tag).remove());
        dropUnsafeLinks(page);
        CssLengthClamp.clamp(page);
        page.head().prependElement("style").appendText(STYLESHEET);
        page.head().appendElement("style").appendText(pageSizeRule(request.pageSize()));
        Optional<String> title = request.title().or(() -> existingTitle(page));
        title.ifPresent(page::title);
        return new ComposedPage(W3CDom.convert(page), title, page.body().wholeText());
    }

    /**
     * A link stays a link when it points into the document ({@code #id}) or to an absolute http,
     * https or mailto URI; any other href ({@code javascript:}, {@code file:}, relative paths) is
     * removed, so the PDF never carries an action a viewer might run or open. The text stays.
     */
    private static void dropUnsafeLinks(Document page) {
        for (Element link : page.select("a[href]")) {
            String href = link.attr("href").strip();
            if (!href.startsWith("#") && !SAFE_LINK.matcher(href).lookingAt()) {
                link.removeAttr("href");
            }
        }
    }

    private static Document shell(String bodyHtml) {
        Document page = Jsoup.parse("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body></body></html>");
        page.body().html(bodyHtml);
        return page;
    }

    private static Document plainText(String text) {
        Document page = shell("");
        page.body().appendElement("pre").addClass("plain-text").text(text);
        return page;
    }

    /** The page's own title, else its first heading. */
    private static Optional<String> existingTitle(Document page) {
        String own = page.title().strip();
        if (!own.isEmpty()) {
            return Optional.of(own);
        }
        Element heading = page.selectFirst("h1, h2");
        return heading == null || heading.text().isBlank() ? Optional.empty() : Optional.of(heading.text().strip());
    }

    private static String pageSizeRule(PageSize size) {
        return String.format(Locale.ROOT, "@page { size: %.1fmm %.1fmm; }", size.widthMm(), size.heightMm());
    }

    private static String readStylesheet() {
        try (InputStream in = HtmlComposer.class.getResourceAsStream("document.css")) {
            if (in == null) {
                throw new IllegalStateException("document.css is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
