package dev.crank.workers.emailparser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds receipt keywords as whole words in any case; a phrase matches across any run of whitespace
 * (a line break, or several spaces left by HTML conversion). Keywords made of ASCII letters and digits
 * (the defaults) are matched in one pass over the words of the text, without copying it; others by an
 * {@code indexOf} scan over the collapsed, lower-cased text. Ten regexes with look-behinds cost more
 * than the MIME parse itself; the copies of the scan were still an eighth of the parse.
 */
final class ReceiptDetector {

    private static final ReceiptDetector DEFAULT = new ReceiptDetector(ParseOptions.DEFAULT_RECEIPT_KEYWORDS);

    private final List<String> keywords;
    private final List<String> needles;
    /** Each needle's words, when every needle is ASCII words separated by single spaces; else null. */
    private final String[][] words;

    private ReceiptDetector(List<String> keywords) {
        this.keywords = List.copyOf(keywords);
        this.needles = keywords.stream().map(ReceiptDetector::normalize).toList();
        this.words = needles.stream().allMatch(ReceiptDetector::isAsciiWords)
                ? needles.stream().map(needle -> needle.split(" ")).toArray(String[][]::new)
                : null;
    }

    static ReceiptDetector of(List<String> keywords) {
        return keywords.equals(ParseOptions.DEFAULT_RECEIPT_KEYWORDS) ? DEFAULT : new ReceiptDetector(keywords);
    }

    /** The keywords found in {@code text}, in the order they were given, each once. */
    List<String> matches(String text) {
        return words != null ? matchWords(text) : matchesByScan(text);
    }

    /** {@link #matches} by an {@code indexOf} scan over the collapsed, lower-cased text, for any needle. */
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

    /**
     * The same answer as the scan below, for ASCII-word needles: at each word of {@code text} (a maximal
     * run of letters, digits and '_'), each needle whose first word it is (ignoring case) is tried, its
     * further words separated from each other by whitespace only.
     */
    private List<String> matchWords(String text) {
        boolean[] matched = new boolean[words.length];
        int remaining = (int) java.util.Arrays.stream(words).filter(w -> !w[0].isEmpty()).count();
        int length = text.length();
        int i = 0;
        while (i < length && remaining > 0) {
            int codePoint = text.codePointAt(i);
            if (!isWordChar(codePoint)) {
                i += Character.charCount(codePoint);
                continue;
            }
            int end = wordEnd(text, i);
            for (int n = 0; n < words.length; n++) {
                if (!matched[n] && matchesFrom(text, i, end, words[n])) {
                    matched[n] = true;
                    remaining--;
                }
            }
            i = end;
        }
        List<String> found = new ArrayList<>();
        for (int n = 0; n < words.length; n++) {
            if (matched[n] && !found.contains(keywords.get(n))) {
                found.add(keywords.get(n));
            }
        }
        return found;
    }

    /** Whether the needle's words start at the word {@code [start, end)} of {@code text}. */
    private static boolean matchesFrom(String text, int start, int end, String[] needle) {
        for (int w = 0; w < needle.length; w++) {
            if (w > 0) { // whitespace only, at least one, then the next word
                int next = end;
                while (next < text.length() && Whitespace.isSpace(text.charAt(next))) {
                    next++;
                }
                if (next == end || next == text.length() || !isWordChar(text.codePointAt(next))) {
                    return false;
                }
                start = next;
                end = wordEnd(text, next);
            }
            if (!equalsIgnoreAsciiCase(text, start, end, needle[w])) {
                return false;
            }
        }
        return true;
    }

    private static int wordEnd(String text, int start) {
        int end = start;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            if (!isWordChar(codePoint)) {
                break;
            }
            end += Character.charCount(codePoint);
        }
        return end;
    }

    /** Whether {@code text[start, end)} lower-cases to {@code word} (ASCII, lower case). */
    private static boolean equalsIgnoreAsciiCase(String text, int start, int end, String word) {
        if (end - start != word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            char c = text.charAt(start + k);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            } else if (c == '\u212A') { // KELVIN SIGN lower-cases to 'k', as String.toLowerCase does
                c = 'k';
            }
            if (c != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiWords(String needle) {
        if (needle.isEmpty()) {
            return true; // never matches, as below
        }
        for (String word : needle.split(" ", -1)) {
            if (word.isEmpty() || !word.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_'))) {
                return false;
            }
        }
        return true;
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
