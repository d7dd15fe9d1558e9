package dev.crank.workers.documentconversion;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Clamps absurd lengths before layout, so that one declaration cannot ask openhtmltopdf for a glyph
 * 100 000 000 px high or a box twenty thousand pages tall. It rewrites {@code style} attributes,
 * {@code <style>} blocks and the {@code width}/{@code height} attributes; in a declaration of a
 * size-like property (font sizes, line height, widths, heights, margins, paddings, offsets, borders,
 * spacing, page size) every length larger than the property's bound is replaced by the bound, in the
 * same unit. Sensible documents are untouched: the bounds are far above anything a page can show.
 *
 * <p>This is the first wall, not the only one: relative font sizes compound with nesting and many
 * boxes add up, so {@link PageBudget} bounds the pages layout can create however they come about.
 */
final class CssLengthClamp {

    /** The largest font size, in CSS px (13 cm; a page is 21 cm wide). */
    static final double MAX_FONT_SIZE_PX = 500;
    /** The largest line height, in CSS px. */
    static final double MAX_LINE_HEIGHT_PX = 1_000;
    /** The largest unitless line-height multiplier. */
    static final double MAX_LINE_HEIGHT_FACTOR = 20;
    /** The largest bare number in the font shorthand: a weight, or a line-height multiplier. */
    static final double MAX_FONT_WEIGHT = 1_000;
    /** The largest width, height, margin, padding, offset or border, in CSS px (about nine A4 pages). */
    static final double MAX_BOX_LENGTH_PX = 10_000;

    private static final Pattern DECLARATION = Pattern.compile("(?:(?<=[\\s{;])|^)(font-size|font|line-height"
            + "|(?:min-|max-)?(?:height|width)|(?:margin|padding)(?:-(?:top|right|bottom|left))?"
            + "|top|right|bottom|left|text-indent|letter-spacing|word-spacing|border-spacing|size"
            + "|(?:border|outline)(?:-(?:top|right|bottom|left))?(?:-width)?)(\\s*:\\s*)([^;{}]*)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LENGTH = Pattern.compile("(?<![\\w#.])([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:e[+-]?\\d+)?)"
            + "(vmin|vmax|rem|px|pt|pc|in|cm|mm|em|ex|ch|vh|vw|q|%)?(?![\\w.%])", Pattern.CASE_INSENSITIVE);
    private static final Pattern HTML_LENGTH = Pattern.compile("\\s*(\\d+(?:\\.\\d*)?)\\s*(px)?\\s*", Pattern.CASE_INSENSITIVE);

    /** Roughly how many px one unit is; relative units are taken at a 16 px font and an A4 page. */
    private static final Map<String, Double> PX_PER_UNIT = Map.ofEntries(Map.entry("px", 1.0), Map.entry("pt", 4.0 / 3),
            Map.entry("pc", 16.0), Map.entry("in", 96.0), Map.entry("cm", 96 / 2.54), Map.entry("mm", 96 / 25.4),
            Map.entry("q", 96 / 101.6), Map.entry("em", 16.0), Map.entry("rem", 16.0), Map.entry("ex", 8.0),
            Map.entry("ch", 8.0), Map.entry("vh", 11.23), Map.entry("vw", 7.94), Map.entry("vmin", 7.94),
            Map.entry("vmax", 11.23));

    private CssLengthClamp() {}

    /** Clamps every style sheet, style attribute and width/height attribute of {@code page} in place. */
    static void clamp(Document page) {
        for (Element style : page.select("style")) {
            String css = style.data();
            String clamped = clampCss(css);
            if (!clamped.equals(css)) {
                style.empty();
                style.appendChild(new DataNode(clamped));
            }
        }
        for (Element element : page.select("[style]")) {
            element.attr("style", clampCss(element.attr("style")));
        }
        for (Element element : page.select("[width], [height]")) {
            clampHtmlLength(element, "width");
            clampHtmlLength(element, "height");
        }
    }

    /** {@code css} with every over-large length in a size-like declaration replaced by its bound. */
    static String clampCss(String css) {
        Matcher declaration = DECLARATION.matcher(css);
        StringBuilder out = new StringBuilder(css.length());
        while (declaration.find()) {
            String property = declaration.group(1).toLowerCase(Locale.ROOT);
            String value = clampValue(property, declaration.group(3));
            declaration.appendReplacement(out, Matcher.quoteReplacement(declaration.group(1) + declaration.group(2) + value));
        }
        declaration.appendTail(out);
        return out.toString();
    }

    private static String clampValue(String property, String value) {
        Matcher length = LENGTH.matcher(value);
        StringBuilder out = new StringBuilder(value.length());
        while (length.find()) {
            String unit = length.group(2) == null ? "" : length.group(2).toLowerCase(Locale.ROOT);
            double number = Double.parseDouble(length.group(1));
            double bound = boundIn(property, unit);
            String replacement = Math.abs(number) > bound ? format(Math.copySign(bound, number)) + unit : length.group();
            length.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        length.appendTail(out);
        return out.toString();
    }

    /** The bound for {@code property} expressed in {@code unit} ("" for a bare number). */
    private static double boundIn(String property, String unit) {
        boolean fontRelated = property.equals("font-size") || property.equals("font") || property.equals("line-height");
        if (unit.isEmpty()) {
            // A bare number is a line-height multiplier, or a weight (100-1000) in the font
            // shorthand; elsewhere it means nothing but 0, so bound it like a length in px.
            return switch (property) {
                case "font" -> MAX_FONT_WEIGHT;
                case "font-size", "line-height" -> MAX_LINE_HEIGHT_FACTOR;
                default -> MAX_BOX_LENGTH_PX;
            };
        }
        double maxPx = switch (property) {
            case "font-size", "font" -> MAX_FONT_SIZE_PX;
            case "line-height" -> MAX_LINE_HEIGHT_PX;
            default -> MAX_BOX_LENGTH_PX;
        };
        double pxPerUnit = unit.equals("%") ? (fontRelated ? 0.16 : 7.94) : PX_PER_UNIT.get(unit);
        return maxPx / pxPerUnit;
    }

    private static void clampHtmlLength(Element element, String attribute) {
        if (!element.hasAttr(attribute)) {
            return;
        }
        Matcher length = HTML_LENGTH.matcher(element.attr(attribute));
        if (length.matches() && Double.parseDouble(length.group(1)) > MAX_BOX_LENGTH_PX) {
            element.attr(attribute, format(MAX_BOX_LENGTH_PX));
        }
    }

    private static String format(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.DOWN).stripTrailingZeros().toPlainString();
    }
}
