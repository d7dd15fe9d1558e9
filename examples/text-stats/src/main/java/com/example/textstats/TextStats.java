package com.example.textstats;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import java.text.BreakIterator;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Counts of a text and how long it takes to read. Words and sentences follow the Unicode boundary
 * rules of {@link BreakIterator}; a word is a segment with at least one letter or digit, so
 * punctuation and spaces are not words. Serialised in snake_case: {@code word_count}, ...
 */
public record TextStats(
        @Min(0) int wordCount,
        @Min(0) int uniqueWordCount,
        @Min(0) int sentenceCount,
        @Min(0) int paragraphCount,
        @Min(1) int characterCount,
        @PositiveOrZero double averageWordLength,
        @PositiveOrZero double averageWordsPerSentence,
        @Min(50) int wordsPerMinute,
        @Min(0) int readingTimeSeconds) {

    /** Adult silent reading speed for non-fiction (Brysbaert, 2019). */
    public static final int DEFAULT_WORDS_PER_MINUTE = 238;

    private static final Pattern BLANK_LINE = Pattern.compile("\\R\\s*\\R");

    public static TextStats of(String text, int wordsPerMinute) {
        if (wordsPerMinute < 1) {
            throw new IllegalArgumentException("wordsPerMinute: " + wordsPerMinute + " (expected: >= 1)");
        }
        int words = 0;
        int letters = 0;
        Set<String> unique = new HashSet<>();
        BreakIterator wordBoundaries = BreakIterator.getWordInstance(Locale.ROOT);
        wordBoundaries.setText(text);
        for (int start = wordBoundaries.first(), end = wordBoundaries.next(); end != BreakIterator.DONE;
                start = end, end = wordBoundaries.next()) {
            String segment = text.substring(start, end);
            int wordLetters = (int) segment.codePoints().filter(Character::isLetterOrDigit).count();
            if (wordLetters > 0) {
                words++;
                letters += wordLetters;
                unique.add(segment.toLowerCase(Locale.ROOT));
            }
        }
        int sentences = 0;
        BreakIterator sentenceBoundaries = BreakIterator.getSentenceInstance(Locale.ROOT);
        sentenceBoundaries.setText(text);
        for (int start = sentenceBoundaries.first(), end = sentenceBoundaries.next(); end != BreakIterator.DONE;
                start = end, end = sentenceBoundaries.next()) {
            if (text.substring(start, end).codePoints().anyMatch(Character::isLetterOrDigit)) {
                sentences++;
            }
        }
        int paragraphs = 0;
        for (String paragraph : BLANK_LINE.split(text)) {
            if (!paragraph.isBlank()) {
                paragraphs++;
            }
        }
        return new TextStats(words, unique.size(), sentences, paragraphs, text.codePointCount(0, text.length()),
                round(words == 0 ? 0 : (double) letters / words),
                round(sentences == 0 ? 0 : (double) words / sentences),
                wordsPerMinute,
                (int) Math.ceil(words * 60.0 / wordsPerMinute));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
