package dev.crank.workers.emailclassifier;

import dev.crank.workers.mail.Whitespace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A weighted list of words and phrases, matched as whole words in lower-cased text with whitespace
 * collapsed. Each cue counts once, however often it occurs: ten "free"s are not ten times the evidence.
 */
final class Cues {

    /** A cue that matched, with its weight. */
    record Hit(String cue, double weight) {}

    private final Map<String, Double> weights;

    private Cues(Map<String, Double> weights) {
        this.weights = weights;
    }

    /** Cues of weight 1. */
    static Cues of(String... cues) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String cue : cues) {
            weights.put(cue.toLowerCase(Locale.ROOT), 1.0);
        }
        return new Cues(weights);
    }

    /** This list plus {@code cues} at {@code weight}. */
    Cues and(double weight, String... cues) {
        Map<String, Double> copy = new LinkedHashMap<>(weights);
        for (String cue : cues) {
            copy.put(cue.toLowerCase(Locale.ROOT), weight);
        }
        return new Cues(copy);
    }

    /** The cues found in {@code text}, which must come from {@link #normalize(String)}. */
    List<Hit> find(String text) {
        List<Hit> hits = new ArrayList<>();
        weights.forEach((cue, weight) -> {
            if (containsWord(text, cue)) {
                hits.add(new Hit(cue, weight));
            }
        });
        return hits;
    }

    static double total(List<Hit> hits) {
        return hits.stream().mapToDouble(Hit::weight).sum();
    }

    /** Lower case, whitespace runs as one space. */
    static String normalize(String text) {
        return Whitespace.collapse(text).toLowerCase(Locale.ROOT);
    }

    /** Whether {@code needle} occurs in {@code haystack} not preceded or followed by a letter or digit. */
    static boolean containsWord(String haystack, String needle) {
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
            int end = at + needle.length();
            boolean starts = at == 0 || !Character.isLetterOrDigit(haystack.codePointBefore(at))
                    || !Character.isLetterOrDigit(needle.codePointAt(0));
            boolean ends = end == haystack.length() || !Character.isLetterOrDigit(haystack.codePointAt(end))
                    || !Character.isLetterOrDigit(needle.codePointBefore(needle.length()));
            if (starts && ends) {
                return true;
            }
        }
        return false;
    }
}
