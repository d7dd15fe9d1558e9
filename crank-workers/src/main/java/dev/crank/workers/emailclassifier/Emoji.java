package dev.crank.workers.emailclassifier;

import java.util.Locale;

/**
 * Emoji as words, the way VADER reads them: each emoji becomes its Unicode character name in lower case
 * ("\uD83D\uDE00" becomes "grinning face"), whose words the lexicon may rate; skin-tone modifiers,
 * variation selectors and joiners are dropped.
 */
final class Emoji {

    private Emoji() {}

    static String describe(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int next = i + Character.charCount(codePoint);
            if (isEmoji(codePoint) || isJoiner(codePoint)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 32).append(text, 0, i);
                }
                if (isEmoji(codePoint)) {
                    String name = Character.getName(codePoint);
                    if (name != null) {
                        out.append(' ').append(name.toLowerCase(Locale.ROOT)).append(' ');
                    }
                }
            } else if (out != null) {
                out.appendCodePoint(codePoint);
            }
            i = next;
        }
        return out == null ? text : out.toString();
    }

    /** Pictographs and symbols of the emoji blocks (So), not letters, digits or punctuation. */
    static boolean isEmoji(int codePoint) {
        if (Character.getType(codePoint) != Character.OTHER_SYMBOL) {
            return false;
        }
        return (codePoint >= 0x1F000 && codePoint <= 0x1FAFF) || (codePoint >= 0x2600 && codePoint <= 0x27BF)
                || (codePoint >= 0x2B00 && codePoint <= 0x2BFF) || (codePoint >= 0x2190 && codePoint <= 0x21FF)
                || (codePoint >= 0x2300 && codePoint <= 0x23FF);
    }

    private static boolean isJoiner(int codePoint) {
        return codePoint == 0x200D || (codePoint >= 0xFE00 && codePoint <= 0xFE0F)
                || (codePoint >= 0x1F3FB && codePoint <= 0x1F3FF);
    }
}
