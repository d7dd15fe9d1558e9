package dev.crank.workers.emailparser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds receipt keywords as whole words in any case; a phrase matches across any run of whitespace
 * (a line break, or several spaces left by HTML conversion). A plain {@code indexOf} scan over the
 * lower-cased text: ten regexes with look-behinds cost more than the MIME parse itself.
 */
final class ReceiptDetector {

    private static final ReceiptDetector DEFAULT = new ReceiptDetector(ParseOptions.DEFAULT_RECEIPT_KEYWORDS);

    private final List<String> keywords;
    private final List<String> needles;

    private ReceiptDetector(List<String> keywords) {
        this.keywords = List.copyOf(keywords);
        this.needles = keywords.stream().map(ReceiptDetector::normalize).toList();
    }

    static ReceiptDetector of(List<String> keywords) {
        return keywords.equals(ParseOptions.DEFAULT_RECEIPT_KEYWORDS) ? DEFAULT : new ReceiptDetector(keywords);
    }

    /** The keywords found in {@code text}, in the order they were given, each once. */
    List<String> matches(String text) {
        String haystack = normalize(text);
        List<String> found = new ArrayList<>();
        for (int i = 0; i < needles.size(); i++) {
            if (!needles.get(i).isEmpty() && containsWord(haystack, needles.get(i)) && !found.contains(keywords.get(i))) {
                found.add(keywords.get(i));
            }
        }
        return found;
    }

    private static boolean containsWord(String haystack, String needle) {
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
            int end = at + needle.length();
            boolean startsWord = at == 0 || !isWordChar(haystack.codePointBefore(at));
            boolean endsWord = end == haystack.length() || !isWordChar(haystack.codePointAt(end));
            if (startsWord && endsWord) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWordChar(int codePoint) {
        return Character.isLetterOrDigit(codePoint) || codePoint == '_';
    }

    private static String normalize(String text) {
        return Whitespace.collapse(text).toLowerCase(Locale.ROOT);
    }
}
