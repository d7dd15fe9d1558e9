package dev.crank.workers.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds receipt keywords as whole words in any case; a phrase matches across any run of whitespace
 * (a line break, or several spaces left by HTML conversion). An {@code indexOf} scan over the
 * lower-cased text: ten regexes with look-behinds cost more than the MIME parse itself, and collapsing
 * the whitespace first (a second copy of every body) cost about as much as the scan.
 */
final class ReceiptDetector {

    private static final ReceiptDetector DEFAULT = new ReceiptDetector(ParseOptions.DEFAULT_RECEIPT_KEYWORDS);

    private final List<String> keywords;
    private final List<String> needles;
    /** Each needle's words (needles are collapsed: one space between words). */
    private final String[][] words;

    private ReceiptDetector(List<String> keywords) {
        this.keywords = List.copyOf(keywords);
        this.needles = keywords.stream().map(ReceiptDetector::normalize).toList();
        this.words = needles.stream().map(needle -> needle.split(" ")).toArray(String[][]::new);
    }

    static ReceiptDetector of(List<String> keywords) {
        return keywords.equals(ParseOptions.DEFAULT_RECEIPT_KEYWORDS) ? DEFAULT : new ReceiptDetector(keywords);
    }

    /**
     * The keywords found in {@code text}, in the order they were given, each once. Lower-casing maps
     * whitespace to itself and nothing else to whitespace, so the text need not be collapsed: each
     * needle's words are looked for in the lower-cased text separated by any run of whitespace. The
     * answer is that of {@link #matchesByScan}.
     */
    List<String> matches(String text) {
        String haystack = text.toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            if (!needles.get(i).isEmpty() && containsPhrase(haystack, words[i]) && !found.contains(keywords.get(i))) {
                found.add(keywords.get(i));
            }
        }
        return found;
    }

    /** {@link #matches} the plain way: an {@code indexOf} scan over the collapsed, lower-cased text. */
    List<String> matchesByScan(String text) {
        String haystack = normalize(text);
        List<String> found = new ArrayList<>();
        for (int i = 0; i < needles.size(); i++) {
            if (!needles.get(i).isEmpty() && containsWord(haystack, needles.get(i)) && !found.contains(keywords.get(i))) {
                found.add(keywords.get(i));
            }
        }
        return found;
    }

    private static boolean containsPhrase(String haystack, String[] phrase) {
        String first = phrase[0];
        for (int at = haystack.indexOf(first); at >= 0; at = haystack.indexOf(first, at + 1)) {
            if (at > 0 && isWordChar(haystack.codePointBefore(at))) {
                continue;
            }
            int end = at + first.length();
            boolean whole = true;
            for (int w = 1; w < phrase.length && whole; w++) {
                int next = end;
                while (next < haystack.length() && Whitespace.isSpace(haystack.charAt(next))) {
                    next++;
                }
                whole = next > end && haystack.startsWith(phrase[w], next);
                end = next + phrase[w].length();
            }
            if (whole && (end == haystack.length() || !isWordChar(haystack.codePointAt(end)))) {
                return true;
            }
        }
        return false;
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
