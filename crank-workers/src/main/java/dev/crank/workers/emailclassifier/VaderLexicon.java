package dev.crank.workers.emailclassifier;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * VADER's word lists: the rated lexicon (resource {@code vader/vader_lexicon.txt}, C.J. Hutto's, MIT,
 * 7,517 tokens with a mean valence in [-4, 4]), and its booster, negation and idiom lists and constants.
 */
final class VaderLexicon {

    static final double BOOST_INCREMENT = 0.293;
    static final double BOOST_DECREMENT = -0.293;
    static final double CAPS_INCREMENT = 0.733;
    static final double NEGATION_SCALAR = -0.74;
    private static final String RESOURCE = "vader/vader_lexicon.txt";

    private static final Map<String, Double> LEXICON = read();
    private static final Map<String, Double> BOOSTERS = new HashMap<>();
    private static final Map<String, Double> IDIOMS = Map.of("the shit", 3.0, "the bomb", 3.0, "bad ass", 1.5,
            "badass", 1.5, "bus stop", 0.0, "yeah right", -2.0, "kiss of death", -1.5, "to die for", 3.0,
            "beating heart", 3.1, "broken heart", -2.9);
    private static final Set<String> NEGATIONS = Set.of("aint", "arent", "cannot", "cant", "couldnt", "darent",
            "didnt", "doesnt", "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't", "dont",
            "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither", "don't", "hadn't", "hasn't",
            "haven't", "isn't", "mightn't", "mustn't", "neednt", "needn't", "never", "none", "nope", "nor", "not",
            "nothing", "nowhere", "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent", "oughtn't", "shan't",
            "shouldn't", "uh-uh", "wasn't", "weren't", "without", "wont", "wouldnt", "won't", "wouldn't", "rarely",
            "seldom", "despite");

    static {
        for (String word : ("absolutely amazingly awfully completely considerable considerably decidedly deeply effing "
                + "enormous enormously entirely especially exceptional exceptionally extreme extremely fabulously flipping "
                + "flippin frackin fracking fricking frickin frigging friggin fully fuckin fucking fuggin fugging greatly "
                + "hella highly hugely incredible incredibly intensely major majorly more most particularly purely quite "
                + "really remarkably so substantially thoroughly total totally tremendous tremendously uber unbelievably "
                + "unusually utter utterly very").split(" ")) {
            BOOSTERS.put(word, BOOST_INCREMENT);
        }
        for (String word : ("almost barely hardly kinda kindof kind-of less little marginal marginally occasional "
                + "occasionally partly scarce scarcely slight slightly somewhat sorta sortof sort-of").split(" ")) {
            BOOSTERS.put(word, BOOST_DECREMENT);
        }
        for (String phrase : new String[] {"just enough", "kind of", "sort of"}) {
            BOOSTERS.put(phrase, BOOST_DECREMENT);
        }
    }

    private VaderLexicon() {}

    /** The rated valence of a lower-case token, or null when the lexicon does not have it. */
    static Double valence(String lower) {
        return LEXICON.get(lower);
    }

    static int size() {
        return LEXICON.size();
    }

    static boolean isBooster(String lower) {
        return BOOSTERS.containsKey(lower);
    }

    /** The booster's increment (positive) or the dampener's decrement (negative), 0 for other words. */
    static double booster(String lower) {
        return BOOSTERS.getOrDefault(lower, 0.0);
    }

    static Double idiom(String lowerSequence) {
        return IDIOMS.get(lowerSequence);
    }

    /** A negation word, or any word with "n't". */
    static boolean isNegation(String lower) {
        return NEGATIONS.contains(lower) || lower.contains("n't");
    }

    private static Map<String, Double> read() {
        InputStream in = VaderLexicon.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " is not on the class path");
        }
        Map<String, Double> lexicon = new HashMap<>(10_000);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] columns = line.split("\t");
                if (columns.length >= 2 && !columns[0].isEmpty()) {
                    lexicon.put(columns[0], Double.parseDouble(columns[1])); // as VADER: keys as written, looked up in lower case
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return Map.copyOf(lexicon);
    }
}
