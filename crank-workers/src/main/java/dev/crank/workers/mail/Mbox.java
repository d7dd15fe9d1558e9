package dev.crank.workers.mail;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Splits an mbox into messages. A message starts at a {@code From } line that opens the file or
 * follows a blank line (so an unescaped "From " inside a paragraph does not split a message);
 * {@code >From } lines are unescaped (mboxrd: one {@code >} removed). Each message keeps its
 * {@code From } line, which the parser skips.
 */
public final class Mbox {

    private Mbox() {}

    /** The messages, in order; empty when the input does not start with a {@code From } line. */
    public static Optional<List<byte[]>> split(byte[] mbox) {
        int offset = 0;
        while (offset < mbox.length && (mbox[offset] == '\n' || mbox[offset] == '\r')) {
            offset++;
        }
        if (!isFromLine(mbox, offset)) {
            return Optional.empty();
        }
        List<byte[]> messages = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        boolean previousBlank = true;
        int line = offset;
        while (line < mbox.length) {
            int end = HeaderSection.lineEnd(mbox, line);
            int next = Math.min(mbox.length, end + 1);
            if (previousBlank && isFromLine(mbox, line) && current.size() > 0) {
                messages.add(withoutTrailingBlankLine(current.toByteArray()));
                current.reset();
            }
            int escape = escapedFrom(mbox, line, end);
            current.write(mbox, line + escape, next - line - escape);
            previousBlank = end == line || (end == line + 1 && mbox[line] == '\r');
            line = next;
        }
        if (current.size() > 0) {
            messages.add(withoutTrailingBlankLine(current.toByteArray()));
        }
        return Optional.of(messages);
    }

    private static boolean isFromLine(byte[] mbox, int offset) {
        return mbox.length - offset >= 5 && mbox[offset] == 'F' && mbox[offset + 1] == 'r' && mbox[offset + 2] == 'o'
                && mbox[offset + 3] == 'm' && mbox[offset + 4] == ' ';
    }

    /** 1 when the line is {@code >From } or {@code >>From } ... (one {@code >} is dropped), else 0. */
    private static int escapedFrom(byte[] mbox, int start, int end) {
        int i = start;
        while (i < end && mbox[i] == '>') {
            i++;
        }
        return i > start && isFromLine(mbox, i) ? 1 : 0;
    }

    /** The separator blank line belongs to the mbox, not to the message before it. */
    private static byte[] withoutTrailingBlankLine(byte[] message) {
        int end = message.length;
        if (end >= 2 && message[end - 1] == '\n' && message[end - 2] == '\n') {
            end--;
        } else if (end >= 4 && message[end - 1] == '\n' && message[end - 2] == '\r' && message[end - 3] == '\n') {
            end -= 2;
        }
        return end == message.length ? message : Arrays.copyOf(message, end);
    }
}
