package com.example.textstats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextStatsTest {

    @Test
    void countsTheOpeningOfATaleOfTwoCities() throws IOException {
        TextStats stats = TextStats.of(taleOfTwoCities(), TextStats.DEFAULT_WORDS_PER_MINUTE);

        // Checked by hand and with a regular expression over [A-Za-z0-9']+.
        assertThat(stats.wordCount()).isEqualTo(186);
        assertThat(stats.uniqueWordCount()).isEqualTo(86);
        assertThat(stats.sentenceCount()).isEqualTo(3);
        assertThat(stats.paragraphCount()).isEqualTo(2);
        assertThat(stats.characterCount()).isEqualTo(946);
        assertThat(stats.averageWordLength()).isEqualTo(3.95);
        assertThat(stats.averageWordsPerSentence()).isEqualTo(62.0);
        assertThat(stats.readingTimeSeconds()).isEqualTo(47);
    }

    @Test
    void punctuationAndSpacesAreNotWords() {
        TextStats stats = TextStats.of("  Hello, world!  How are you? -- ... ", 200);

        assertThat(stats.wordCount()).isEqualTo(5);
        assertThat(stats.sentenceCount()).isEqualTo(2);
        assertThat(stats.paragraphCount()).isEqualTo(1);
    }

    @Test
    void countsAccentedWordsAndEmojiAsCodePoints() {
        TextStats stats = TextStats.of("Grüße aus Köln \uD83D\uDC4B", 200);

        assertThat(stats.wordCount()).isEqualTo(3);
        assertThat(stats.characterCount()).isEqualTo(16);
        assertThat(stats.averageWordLength()).isEqualTo(4.0);
    }

    @Test
    void readingTimeRoundsUpAndFollowsTheSpeed() {
        String sixtyWords = "word ".repeat(60);

        assertThat(TextStats.of(sixtyWords, 60).readingTimeSeconds()).isEqualTo(60);
        assertThat(TextStats.of(sixtyWords, 120).readingTimeSeconds()).isEqualTo(30);
        assertThat(TextStats.of("one", 1000).readingTimeSeconds()).isEqualTo(1);
    }

    @Test
    void whitespaceOnlyHasNoWords() {
        TextStats stats = TextStats.of(" \n\n\t ", 200);

        assertThat(stats.wordCount()).isZero();
        assertThat(stats.sentenceCount()).isZero();
        assertThat(stats.paragraphCount()).isZero();
        assertThat(stats.averageWordLength()).isZero();
        assertThat(stats.readingTimeSeconds()).isZero();
    }

    static String taleOfTwoCities() throws IOException {
        try (InputStream in = TextStatsTest.class.getResourceAsStream("/tale-of-two-cities.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
