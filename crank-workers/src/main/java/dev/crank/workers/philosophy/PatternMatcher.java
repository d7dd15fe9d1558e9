package dev.crank.workers.philosophy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds one category's lexicon patterns in a text's {@link Tokens}: whole words only (a stem must
 * equal a token's stem, so "agent" never matches inside "management"), scanning left to right and
 * taking the longest pattern that starts at each word, so the words of a matched phrase are not
 * counted again as single terms of the same category.
 */
final class PatternMatcher {

    /** Words {@code [first, last]} of the text matched {@code pattern}. */
    record Match(Lexicon.Pattern pattern, int first, int last) {}

    private final Map<String, List<Lexicon.Pattern>> byFirstStem = new HashMap<>();

    PatternMatcher(List<Lexicon.Pattern> patterns) {
        for (Lexicon.Pattern pattern : patterns) {
            byFirstStem.computeIfAbsent(pattern.stems()[0], stem -> new ArrayList<>()).add(pattern);
        }
        byFirstStem.values().forEach(list -> list.sort(Comparator.comparingInt((Lexicon.Pattern p) -> p.stems().length).reversed()));
    }

    List<Match> matches(Tokens tokens) {
        List<Match> matches = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            Lexicon.Pattern found = longestAt(tokens, i);
            if (found == null) {
                i++;
            } else {
                matches.add(new Match(found, i, i + found.stems().length - 1));
                i += found.stems().length;
            }
        }
        return matches;
    }

    private Lexicon.Pattern longestAt(Tokens tokens, int at) {
        List<Lexicon.Pattern> candidates = byFirstStem.get(tokens.stem(at));
        if (candidates == null) {
            return null;
        }
        for (Lexicon.Pattern candidate : candidates) {
            String[] stems = candidate.stems();
            if (at + stems.length <= tokens.size() && matchesAt(tokens, at, stems)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean matchesAt(Tokens tokens, int at, String[] stems) {
        for (int k = 1; k < stems.length; k++) {
            if (!tokens.stem(at + k).equals(stems[k])) {
                return false;
            }
        }
        return true;
    }
}
