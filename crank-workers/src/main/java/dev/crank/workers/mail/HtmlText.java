package dev.crank.workers.mail;

import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;

/** HTML to readable plain text with jsoup: block elements become line breaks, scripts and styles go. */
final class HtmlText {

    private static final Set<String> BLOCKS = Set.of("p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2",
            "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "dd", "dt", "dl", "title", "center", "form", "address");

    private HtmlText() {}

    /** Elements whose text is not shown: skipped with everything inside them. */
    private static final Set<String> HIDDEN = Set.of("script", "style", "noscript", "template");

    static String toText(String html) {
        Document document = Jsoup.parse(html);
        Collector collector = new Collector();
        document.filter(collector); // skips what "script, style, noscript, template, head > :not(title)" selects
        return collector.text();
    }

    private static final class Collector implements NodeFilter {
        private final StringBuilder out = new StringBuilder();
        private boolean pendingSpace;

        @Override
        public FilterResult head(Node node, int depth) {
            if (node instanceof TextNode text) {
                appendWords(text.getWholeText());
            } else if (node instanceof Element element) {
                String name = element.normalName();
                if (HIDDEN.contains(name) || (!name.equals("title") && element.parent() != null
                        && element.parent().normalName().equals("head"))) {
                    return FilterResult.SKIP_ENTIRELY;
                }
                if (BLOCKS.contains(name)) {
                    newline();
                }
            }
            return FilterResult.CONTINUE;
        }

        @Override
        public FilterResult tail(Node node, int depth) {
            if (node instanceof Element element && BLOCKS.contains(element.normalName()) && !element.normalName().equals("br")) {
                newline();
            } else if (node instanceof Element element && element.normalName().equals("td")) {
                pendingSpace = true;
            }
            return FilterResult.CONTINUE;
        }

        private void appendWords(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c) || c == '\u00a0') {
                    pendingSpace = true;
                } else {
                    if (pendingSpace && out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                        out.append(' ');
                    }
                    pendingSpace = false;
                    out.append(c);
                }
            }
        }

        private void newline() {
            pendingSpace = false;
            int length = out.length();
            // at most one blank line in a row
            if (length > 0 && !(length >= 2 && out.charAt(length - 1) == '\n' && out.charAt(length - 2) == '\n')) {
                out.append('\n');
            }
        }

        String text() {
            return out.toString().strip();
        }
    }
}
