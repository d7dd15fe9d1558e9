package dev.crank.workers.mail;

/** Whitespace runs collapsed to one space without a regex (this runs on every body and header). */
public final class Whitespace {

    private Whitespace() {}

    /**
     * {@code text} with leading and trailing whitespace removed and every inner run of whitespace
     * (including U+00A0) replaced by one space; {@code text} itself when it is already so.
     */
    public static String collapse(String text) {
        int length = text.length();
        int firstChange = firstChange(text, length);
        if (firstChange == length) {
            return text;
        }
        char[] out = new char[length];
        text.getChars(0, firstChange, out, 0);
        int size = firstChange;
        boolean space = false;
        for (int i = firstChange; i < length; i++) {
            char c = text.charAt(i);
            if (isSpace(c)) {
                space = size > 0;
            } else {
                if (space) {
                    out[size++] = ' ';
                    space = false;
                }
                out[size++] = c;
            }
        }
        return new String(out, 0, size);
    }

    /** The index of the first character that collapsing would change or drop, or {@code length}. */
    private static int firstChange(String text, int length) {
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c > ' ' && c != '\u00a0' && c < '\u0085') {
                continue; // the common case: a visible ASCII character
            }
            if (!isSpace(c)) {
                continue;
            }
            if (c != ' ' || i == 0 || i + 1 == length || isSpace(text.charAt(i + 1))) {
                return i;
            }
        }
        return length;
    }

    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || c == '\u00a0';
    }
}
