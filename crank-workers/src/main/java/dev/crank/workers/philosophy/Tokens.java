package dev.crank.workers.philosophy;

import java.util.Arrays;

/** The words of a text after normalisation and stemming, each with its UTF-16 offsets in the original text. */
final class Tokens {

    private String[] stems = new String[64];
    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private int size;

    void add(String stem, int start, int end) {
        if (size == stems.length) {
            int capacity = size * 2;
            stems = Arrays.copyOf(stems, capacity);
            starts = Arrays.copyOf(starts, capacity);
            ends = Arrays.copyOf(ends, capacity);
        }
        stems[size] = stem;
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    int size() {
        return size;
    }

    String stem(int index) {
        return stems[index];
    }

    int start(int index) {
        return starts[index];
    }

    int end(int index) {
        return ends[index];
    }

    /** The stems alone, for lexicon entries. */
    String[] stems() {
        return Arrays.copyOf(stems, size);
    }
}
