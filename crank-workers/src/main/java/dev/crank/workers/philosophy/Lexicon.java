package dev.crank.workers.philosophy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The terms and phrase patterns of each DNA marker and secondary theme, read from
 * {@code lexicon.json} and stemmed with the same {@link Stemmer} as the texts, plus the scoring
 * parameters. Immutable once loaded.
 */
final class Lexicon {

    static final String RESOURCE = "lexicon.json";

    /** One lexicon entry as stems; a phrase has more than one. */
    record Pattern(String entry, String[] stems) {
        boolean phrase() {
            return stems.length > 1;
        }
    }

    /** A marker ({@code primary}) or a secondary theme. */
    record Category(String code, String name, String description, double weight, boolean primary, List<Pattern> patterns) {}

    /** Scoring parameters; see docs/workers/philosophical-analyzer.md. */
    record Scoring(double termWeight, double phraseWeight, double densityScale, int minWordsForDensity, int breadthTarget,
                   double intensityShare, double presenceThreshold, double authenticityThreshold,
                   double confidenceThreshold, int markersRequired, int maxEvidencePerCategory) {}

    private final String version;
    private final Scoring scoring;
    private final List<Category> categories;

    private Lexicon(String version, Scoring scoring, List<Category> categories) {
        this.version = version;
        this.scoring = scoring;
        this.categories = List.copyOf(categories);
    }

    /** The lexicon shipped with the worker. */
    static Lexicon load(Stemmer stemmer) {
        try (InputStream in = Lexicon.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing next to " + Lexicon.class.getName());
            }
            return parse(CrankJson.read(in), stemmer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static Lexicon parse(JsonNode root, Stemmer stemmer) {
        JsonNode s = root.path("scoring");
        Scoring scoring = new Scoring(
                s.path("term_weight").asDouble(1.0), s.path("phrase_weight").asDouble(2.0),
                s.path("density_scale").asDouble(5.0), s.path("min_words_for_density").asInt(100),
                s.path("breadth_target").asInt(6), s.path("intensity_share").asDouble(0.7),
                s.path("presence_threshold").asDouble(0.3), s.path("authenticity_threshold").asDouble(0.6),
                s.path("confidence_threshold").asDouble(0.5), s.path("markers_required").asInt(3),
                s.path("max_evidence_per_category").asInt(50));
        List<Category> categories = new ArrayList<>();
        root.path("markers").forEach(node -> categories.add(category(node, true, stemmer)));
        root.path("themes").forEach(node -> categories.add(category(node, false, stemmer)));
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("lexicon: no markers or themes");
        }
        return new Lexicon(requireNonNull(root.path("version").textValue(), "lexicon version"), scoring, categories);
    }

    private static Category category(JsonNode node, boolean primary, Stemmer stemmer) {
        String code = requireNonNull(node.path("code").textValue(), "category code");
        Map<String, Pattern> patterns = new LinkedHashMap<>();
        for (String field : List.of("terms", "phrases")) {
            for (JsonNode entry : node.path(field)) {
                String[] stems = stemmer.tokens(entry.asText()).stems();
                if (stems.length == 0) {
                    throw new IllegalArgumentException("lexicon " + code + ": entry '" + entry.asText() + "' has no words");
                }
                // Two spellings with one stem ("agent", "agents") are one pattern.
                patterns.putIfAbsent(String.join(" ", stems), new Pattern(entry.asText(), stems));
            }
        }
        return new Category(code, node.path("name").asText(code), node.path("description").asText(""),
                node.path("weight").asDouble(1.0), primary, List.copyOf(patterns.values()));
    }

    String version() {
        return version;
    }

    Scoring scoring() {
        return scoring;
    }

    List<Category> categories() {
        return categories;
    }

    List<Category> markers() {
        return categories.stream().filter(Category::primary).toList();
    }

    List<Category> themes() {
        return categories.stream().filter(category -> !category.primary()).toList();
    }

    @Override
    public String toString() {
        return "Lexicon " + version + " " + categories.stream()
                .map(category -> category.code() + "=" + category.patterns().size()).toList();
    }
}
