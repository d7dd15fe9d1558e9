package dev.crank.workers.philosophy;

import java.util.List;
import java.util.Map;

/**
 * The outcome of analysing one text: a score per marker and theme, the matches behind each, and the
 * figures derived from them. Scores are in [0, 1], rounded to four decimals.
 *
 * @param wordCount      words (tokens) in the text
 * @param categories     per marker and theme code, in lexicon order
 * @param authenticity   how strongly the text carries the markers as a whole
 * @param confidence     how far the scores can be trusted, from the text's length and the evidence found
 * @param markersPresent markers scoring at or above the presence threshold
 * @param ready          whether authenticity, confidence and markers present all meet their thresholds
 * @param summary        one readable paragraph
 */
record DnaAnalysis(int wordCount, Map<String, CategoryScore> categories, double authenticity, double confidence,
                   int markersPresent, boolean ready, String summary) {

    /** One marker or theme: its score, the words that matched and the distinct patterns among them. */
    record CategoryScore(Lexicon.Category category, double score, List<Evidence> matches, int distinctPatterns,
                         double weightedHits) {}

    /** A match: the text as written ({@code text.substring(start, end)}) and the lexicon entry it matched. */
    record Evidence(String term, String pattern, int start, int end) {}
}
