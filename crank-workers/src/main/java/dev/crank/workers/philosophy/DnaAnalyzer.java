package dev.crank.workers.philosophy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Scores a text on the philosophical DNA markers and secondary themes of a {@link Lexicon}.
 * Deterministic: the same text and lexicon always give the same numbers.
 *
 * <p>Per category: {@code density} = weighted matches (terms 1, phrases 2) per 100 words, with short
 * texts counted as {@code min_words_for_density} words; {@code intensity = 1 - exp(-density / density_scale)};
 * {@code breadth = min(1, distinct patterns / breadth_target)}; {@code score = share * intensity +
 * (1 - share) * breadth}. Authenticity is {@code 0.75 *} the marker scores' weighted mean {@code + 0.25 *}
 * the share of markers present. Confidence is the mean of {@code 1 - exp(-words / 150)} and
 * {@code 1 - exp(-weighted marker matches / 8)}.
 */
final class DnaAnalyzer implements AutoCloseable {

    private final Stemmer stemmer;
    private final Lexicon lexicon;
    private final Map<String, PatternMatcher> matchers = new LinkedHashMap<>();

    DnaAnalyzer(Stemmer stemmer, Lexicon lexicon) {
        this.stemmer = requireNonNull(stemmer, "stemmer");
        this.lexicon = requireNonNull(lexicon, "lexicon");
        lexicon.categories().forEach(category -> matchers.put(category.code(), new PatternMatcher(category.patterns())));
    }

    /** The shipped lexicon on a new stemmer. */
    static DnaAnalyzer load() {
        Stemmer stemmer = new Stemmer();
        return new DnaAnalyzer(stemmer, Lexicon.load(stemmer));
    }

    Lexicon lexicon() {
        return lexicon;
    }

    DnaAnalysis analyse(String text, Optional<String> author, Optional<String> domain) {
        Lexicon.Scoring scoring = lexicon.scoring();
        Tokens tokens = stemmer.tokens(text);
        Map<String, DnaAnalysis.CategoryScore> scores = new LinkedHashMap<>();
        double markerHits = 0;
        for (Lexicon.Category category : lexicon.categories()) {
            DnaAnalysis.CategoryScore score = score(category, matchers.get(category.code()).matches(tokens), tokens, text);
            scores.put(category.code(), score);
            if (category.primary()) {
                markerHits += score.weightedHits();
            }
        }

        double weightSum = 0;
        double weighted = 0;
        int present = 0;
        List<Lexicon.Category> markers = lexicon.markers();
        for (Lexicon.Category marker : markers) {
            double score = scores.get(marker.code()).score();
            weightSum += marker.weight();
            weighted += marker.weight() * score;
            present += score >= scoring.presenceThreshold() ? 1 : 0;
        }
        double authenticity = round(0.75 * (weighted / weightSum) + 0.25 * present / markers.size());
        double confidence = round(0.5 * (1 - Math.exp(-tokens.size() / 150.0)) + 0.5 * (1 - Math.exp(-markerHits / 8.0)));
        boolean ready = authenticity >= scoring.authenticityThreshold() && confidence >= scoring.confidenceThreshold()
                && present >= scoring.markersRequired();
        String summary = summary(tokens.size(), scores, authenticity, confidence, present, ready, author, domain);
        return new DnaAnalysis(tokens.size(), scores, authenticity, confidence, present, ready, summary);
    }

    private DnaAnalysis.CategoryScore score(Lexicon.Category category, List<PatternMatcher.Match> matches, Tokens tokens,
                                            String text) {
        Lexicon.Scoring scoring = lexicon.scoring();
        double hits = 0;
        Set<Lexicon.Pattern> distinct = new LinkedHashSet<>();
        List<DnaAnalysis.Evidence> evidence = new ArrayList<>(matches.size());
        for (PatternMatcher.Match match : matches) {
            hits += match.pattern().phrase() ? scoring.phraseWeight() : scoring.termWeight();
            distinct.add(match.pattern());
            int start = tokens.start(match.first());
            int end = tokens.end(match.last());
            evidence.add(new DnaAnalysis.Evidence(text.substring(start, end), match.pattern().entry(), start, end));
        }
        double density = hits * 100.0 / Math.max(tokens.size(), scoring.minWordsForDensity());
        double intensity = 1 - Math.exp(-density / scoring.densityScale());
        double breadth = Math.min(1.0, distinct.size() / (double) scoring.breadthTarget());
        double score = round(scoring.intensityShare() * intensity + (1 - scoring.intensityShare()) * breadth);
        return new DnaAnalysis.CategoryScore(category, score, List.copyOf(evidence), distinct.size(), hits);
    }

    private String summary(int words, Map<String, DnaAnalysis.CategoryScore> scores, double authenticity, double confidence,
                           int present, boolean ready, Optional<String> author, Optional<String> domain) {
        double threshold = lexicon.scoring().presenceThreshold();
        StringBuilder summary = new StringBuilder();
        summary.append("Analysed ").append(words).append(words == 1 ? " word" : " words");
        author.ifPresent(name -> summary.append(" by ").append(name));
        domain.ifPresent(name -> summary.append(" (").append(name).append(')'));
        summary.append(". ");
        List<DnaAnalysis.CategoryScore> markers = ranked(scores, true, threshold);
        if (markers.isEmpty()) {
            summary.append("No DNA marker reaches the presence threshold of ").append(format(threshold)).append(". ");
        } else {
            summary.append(present).append(" of ").append(lexicon.markers().size()).append(" DNA markers present, strongest ")
                    .append(markers.stream().map(DnaAnalyzer::label).collect(Collectors.joining(", "))).append(". ");
        }
        List<DnaAnalysis.CategoryScore> themes = ranked(scores, false, threshold);
        if (!themes.isEmpty()) {
            summary.append("Secondary themes: ").append(themes.stream().map(DnaAnalyzer::label).collect(Collectors.joining(", ")))
                    .append(". ");
        }
        summary.append("Authenticity ").append(format(authenticity)).append(", confidence ").append(format(confidence))
                .append(ready ? "; ready." : "; not ready.");
        return summary.toString();
    }

    private static String label(DnaAnalysis.CategoryScore score) {
        return score.category().code() + " " + score.category().name() + " " + format(score.score());
    }

    private static List<DnaAnalysis.CategoryScore> ranked(Map<String, DnaAnalysis.CategoryScore> scores, boolean primary,
                                                          double threshold) {
        return scores.values().stream()
                .filter(score -> score.category().primary() == primary && score.score() >= threshold)
                .sorted(Comparator.comparingDouble(DnaAnalysis.CategoryScore::score).reversed())
                .toList();
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    @Override
    public void close() {
        stemmer.close();
    }
}
