package dev.crank.workers.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextChunkerTest {

    @Test
    void cutsWholeWordsAndMarksTheLastChunk() {
        List<TextChunker.Chunk> chunks = chunks("one two three four five six seven", 3);

        assertThat(chunks).extracting(TextChunker.Chunk::content).containsExactly("one two three", "four five six", "seven");
        assertThat(chunks).extracting(TextChunker.Chunk::id).containsExactly(1L, 2L, 3L);
        assertThat(chunks).extracting(TextChunker.Chunk::words).containsExactly(3, 3, 1);
        assertThat(chunks).extracting(TextChunker.Chunk::last).containsExactly(false, false, true);
    }

    @Test
    void splitsOnEveryKindOfWhitespaceAndKeepsItInsideAChunk() {
        List<TextChunker.Chunk> chunks = chunks("  \talpha\u00a0beta\n\ngamma\u2003delta\r\n epsilon  ", 2);

        assertThat(chunks).extracting(TextChunker.Chunk::content)
                .containsExactly("alpha\u00a0beta", "gamma\u2003delta", "epsilon");
    }

    @Test
    void keepsSurrogatePairsAndPunctuationInsideWords() {
        List<TextChunker.Chunk> chunks = chunks("héllo👋🏽, wörld! (x)", 1);

        assertThat(chunks).extracting(TextChunker.Chunk::content).containsExactly("héllo👋🏽,", "wörld!", "(x)");
    }

    @Test
    void emptyOrBlankTextHasNoChunks() {
        assertThat(chunks("", 5)).isEmpty();
        assertThat(chunks(" \n\t ", 5)).isEmpty();
    }

    @Test
    void aChunkSizeAboveTheWordCountGivesOneChunk() {
        assertThat(chunks("a b c", 10_000)).extracting(TextChunker.Chunk::content).containsExactly("a b c");
    }

    private static List<TextChunker.Chunk> chunks(String text, int size) {
        List<TextChunker.Chunk> chunks = new ArrayList<>();
        new TextChunker(text, size).forEachRemaining(chunks::add);
        return chunks;
    }
}
