package dev.crank.workers.streaming;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Splits text into chunks of {@code chunkSize} whitespace-separated words, lazily, so a large text is
 * never copied into a list of chunks. A chunk's content is the original text from its first word to
 * its last, inner whitespace kept; whitespace between chunks is dropped.
 */
final class TextChunker implements Iterator<TextChunker.Chunk> {

    /** One chunk; ids count from 1. */
    record Chunk(long id, String content, int words, boolean last) {}

    private final String text;
    private final int chunkSize;
    private int position;
    private long nextId = 1;

    TextChunker(String text, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize: " + chunkSize + " (expected: >= 1)");
        }
        this.text = text;
        this.chunkSize = chunkSize;
        this.position = skipSpace(0);
    }

    @Override
    public boolean hasNext() {
        return position < text.length();
    }

    @Override
    public Chunk next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int start = position;
        int end = start;
        int words = 0;
        while (words < chunkSize && position < text.length()) {
            end = wordEnd(position);
            words++;
            position = skipSpace(end);
        }
        return new Chunk(nextId++, text.substring(start, end), words, !hasNext());
    }

    private int skipSpace(int from) {
        int i = from;
        while (i < text.length() && isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private int wordEnd(int from) {
        int i = from;
        while (i < text.length() && !isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Java whitespace plus Unicode space separators (no-break spaces), all in the BMP. */
    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
