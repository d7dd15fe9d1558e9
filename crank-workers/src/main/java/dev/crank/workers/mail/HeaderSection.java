package dev.crank.workers.mail;

import java.util.OptionalInt;

/**
 * Where a message's header section starts: after blank lines a sloppy client left in front and after
 * an mbox {@code From } envelope line. A header section starts with a field name (printable ASCII but
 * the colon) followed by a colon; input that does not is no message at all.
 */
final class HeaderSection {

    private HeaderSection() {}

    /** The offset of the first header field, or empty when {@code raw} has no header section. */
    static OptionalInt start(byte[] raw) {
        int offset = 0;
        while (offset < raw.length) {
            int end = lineEnd(raw, offset);
            if (!isBlank(raw, offset, end)) {
                break;
            }
            offset = next(raw, end);
        }
        if (startsWith(raw, offset, "From ")) {
            offset = next(raw, lineEnd(raw, offset));
        }
        return isFieldLine(raw, offset, lineEnd(raw, offset)) ? OptionalInt.of(offset) : OptionalInt.empty();
    }

    /** Whether blank lines came before the header section (reported as a defect). */
    static boolean hasLeadingBlankLines(byte[] raw) {
        return raw.length > 0 && (raw[0] == '\r' || raw[0] == '\n' || raw[0] == ' ' || raw[0] == '\t');
    }

    private static boolean isFieldLine(byte[] raw, int start, int end) {
        int i = start;
        while (i < end && raw[i] >= 33 && raw[i] <= 126 && raw[i] != ':') {
            i++;
        }
        if (i == start) {
            return false;
        }
        while (i < end && (raw[i] == ' ' || raw[i] == '\t')) { // obsolete "Name :" syntax
            i++;
        }
        return i < end && raw[i] == ':';
    }

    private static boolean isBlank(byte[] raw, int start, int end) {
        for (int i = start; i < end; i++) {
            if (raw[i] != ' ' && raw[i] != '\t' && raw[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] raw, int offset, String prefix) {
        if (raw.length - offset < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (raw[offset + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The index of the LF ending the line at {@code offset}, or the length of {@code raw}. */
    static int lineEnd(byte[] raw, int offset) {
        int i = offset;
        while (i < raw.length && raw[i] != '\n') {
            i++;
        }
        return i;
    }

    private static int next(byte[] raw, int lineEnd) {
        return Math.min(raw.length, lineEnd + 1);
    }
}
