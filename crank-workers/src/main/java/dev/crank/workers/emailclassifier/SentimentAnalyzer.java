package dev.crank.workers.emailclassifier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sentiment}: VADER (Hutto and Gilbert, 2014) with its own lexicon of 7,517 rated tokens
 * ({@link VaderLexicon}) and its rules, written for this project: booster and dampener words before a
 * sentiment word (+-0.293, damped with distance), ALL-CAPS emphasis when only some words are capitals
 * (+-0.733), negation among the three words before it (x -0.74; "never so" x 1.25, "without doubt" kept),
 * "no" before it, "least", "but" (what comes before weighs 0.5, what follows 1.5), the idioms VADER knows,
 * exclamation marks (0.292 each, up to four) and question marks, and emoji, which are replaced by their
 * Unicode names ("grinning face") and scored like words, as VADER does with its emoji table. The sum
 * {@code s} becomes {@code compound = s / sqrt(s^2 + 15)}; at least 0.05 is positive, at most -0.05
 * negative, else neutral. Confidence: {@code 0.5 + 0.5 |compound|} for positive or negative,
 * {@code 0.5 + 0.4 (1 - |compound| / 0.05)} for neutral.
 */
final class SentimentAnalyzer {

    static final double THRESHOLD = 0.05;
    private static final int MAX_TOKENS = 3_000;

    private SentimentAnalyzer() {}

    static Classification classify(EmailInput input) {
        return classify(input.text());
    }

    static Classification classify(String text) {
        VaderScore score = score(text);
        double compound = score.compound();
        String prediction;
        double confidence;
        if (compound >= THRESHOLD) {
            prediction = "positive";
            confidence = 0.5 + 0.5 * compound;
        } else if (compound <= -THRESHOLD) {
            prediction = "negative";
            confidence = 0.5 - 0.5 * compound;
        } else {
            prediction = "neutral";
            confidence = 0.5 + 0.4 * (1 - Math.abs(compound) / THRESHOLD);
        }
        ObjectNode details = CrankJson.object()
                .put("algorithm", "vader")
                .put("compound", Classification.round(compound))
                .put("positive", Classification.round(score.positive()))
                .put("negative", Classification.round(score.negative()))
                .put("neutral", Classification.round(score.neutral()))
                .put("tokens", score.tokens());
        ArrayNode positiveNode = details.putArray("positive_terms");
        score.positiveTerms().stream().distinct().limit(10).forEach(positiveNode::add);
        ArrayNode negativeNode = details.putArray("negative_terms");
        score.negativeTerms().stream().distinct().limit(10).forEach(negativeNode::add);
        return new Classification(ClassificationType.SENTIMENT.wireName(), prediction, Math.min(1, confidence), details);
    }

    /** VADER's scores of {@code text}: compound in [-1, 1] and the positive, negative and neutral shares. */
    static VaderScore score(String text) {
        List<String> words = words(Emoji.describe(text));
        boolean capsDiffer = capsDiffer(words);
        List<Double> valences = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            String lower = words.get(i).toLowerCase(Locale.ROOT);
            if (VaderLexicon.isBooster(lower)
                    || (lower.equals("kind") && i + 1 < words.size() && words.get(i + 1).equalsIgnoreCase("of"))) {
                valences.add(0.0);
                continue;
            }
            valences.add(valence(words, i, capsDiffer));
        }
        butCheck(words, valences);
        List<String> positive = new ArrayList<>();
        List<String> negative = new ArrayList<>();
        for (int i = 0; i < valences.size(); i++) {
            if (valences.get(i) > 0) {
                positive.add(words.get(i).toLowerCase(Locale.ROOT));
            } else if (valences.get(i) < 0) {
                negative.add(words.get(i).toLowerCase(Locale.ROOT));
            }
        }
        return VaderScore.of(valences, punctuationEmphasis(text), words.size(), positive, negative);
    }

    private static double valence(List<String> words, int i, boolean capsDiffer) {
        String item = words.get(i);
        String lower = item.toLowerCase(Locale.ROOT);
        Double rated = VaderLexicon.valence(lower);
        if (rated == null) {
            return 0;
        }
        double valence = rated;
        if (lower.equals("no") && i + 1 < words.size() && VaderLexicon.valence(lowerAt(words, i + 1)) != null) {
            valence = 0; // "no" before a rated word negates it (below); it is not sentiment itself
        }
        if ((i > 0 && lowerAt(words, i - 1).equals("no")) || (i > 1 && lowerAt(words, i - 2).equals("no"))
                || (i > 2 && lowerAt(words, i - 3).equals("no") && (lowerAt(words, i - 1).equals("or")
                        || lowerAt(words, i - 1).equals("nor")))) {
            valence = rated * VaderLexicon.NEGATION_SCALAR;
        }
        if (capsDiffer && isUpper(item)) {
            valence += valence > 0 ? VaderLexicon.CAPS_INCREMENT : -VaderLexicon.CAPS_INCREMENT;
        }
        for (int back = 0; back < 3; back++) {
            if (i > back && VaderLexicon.valence(lowerAt(words, i - back - 1)) == null) {
                double scalar = boost(words.get(i - back - 1), valence, capsDiffer);
                if (back == 1) {
                    scalar *= 0.95;
                } else if (back == 2) {
                    scalar *= 0.9;
                }
                valence += scalar;
                valence = negationCheck(valence, words, back, i);
                if (back == 2) {
                    valence = idioms(valence, words, i);
                }
            }
        }
        return leastCheck(valence, words, i);
    }

    private static double boost(String word, double valence, boolean capsDiffer) {
        double scalar = VaderLexicon.booster(word.toLowerCase(Locale.ROOT));
        if (scalar == 0) {
            return 0;
        }
        if (valence < 0) {
            scalar = -scalar;
        }
        if (capsDiffer && isUpper(word)) {
            scalar += valence > 0 ? VaderLexicon.CAPS_INCREMENT : -VaderLexicon.CAPS_INCREMENT;
        }
        return scalar;
    }

    private static double negationCheck(double valence, List<String> words, int back, int i) {
        String before1 = lowerAt(words, i - 1);
        if (back == 0) {
            return VaderLexicon.isNegation(before1) ? valence * VaderLexicon.NEGATION_SCALAR : valence;
        }
        String before2 = lowerAt(words, i - 2);
        if (back == 1) {
            if (before2.equals("never") && (before1.equals("so") || before1.equals("this"))) {
                return valence * 1.25;
            }
            if (before2.equals("without") && before1.equals("doubt")) {
                return valence;
            }
            return VaderLexicon.isNegation(before2) ? valence * VaderLexicon.NEGATION_SCALAR : valence;
        }
        String before3 = lowerAt(words, i - 3);
        if ((before3.equals("never") && (before2.equals("so") || before2.equals("this")))
                || before1.equals("so") || before1.equals("this")) {
            return valence * 1.25;
        }
        if (before3.equals("without") && (before2.equals("doubt") || before1.equals("doubt"))) {
            return valence;
        }
        return VaderLexicon.isNegation(before3) ? valence * VaderLexicon.NEGATION_SCALAR : valence;
    }

    private static double idioms(double valence, List<String> words, int i) {
        String w0 = lowerAt(words, i);
        String w1 = lowerAt(words, i - 1);
        String w2 = lowerAt(words, i - 2);
        String w3 = lowerAt(words, i - 3);
        for (String sequence : List.of(w1 + " " + w0, w2 + " " + w1 + " " + w0, w2 + " " + w1, w3 + " " + w2 + " " + w1,
                w3 + " " + w2)) {
            Double idiom = VaderLexicon.idiom(sequence);
            if (idiom != null) {
                valence = idiom;
                break;
            }
        }
        if (i + 1 < words.size()) {
            Double idiom = VaderLexicon.idiom(w0 + " " + lowerAt(words, i + 1));
            if (idiom != null) {
                valence = idiom;
            }
        }
        if (i + 2 < words.size()) {
            Double idiom = VaderLexicon.idiom(w0 + " " + lowerAt(words, i + 1) + " " + lowerAt(words, i + 2));
            if (idiom != null) {
                valence = idiom;
            }
        }
        for (String phrase : List.of(w3 + " " + w2 + " " + w1, w3 + " " + w2, w2 + " " + w1)) {
            valence += VaderLexicon.booster(phrase); // "kind of", "sort of", "just enough"
        }
        return valence;
    }

    private static double leastCheck(double valence, List<String> words, int i) {
        if (i > 1 && VaderLexicon.valence(lowerAt(words, i - 1)) == null && lowerAt(words, i - 1).equals("least")) {
            String before = lowerAt(words, i - 2);
            return before.equals("at") || before.equals("very") ? valence : valence * VaderLexicon.NEGATION_SCALAR;
        }
        if (i > 0 && VaderLexicon.valence(lowerAt(words, i - 1)) == null && lowerAt(words, i - 1).equals("least")) {
            return valence * VaderLexicon.NEGATION_SCALAR;
        }
        return valence;
    }

    /** What comes before the first "but" weighs half, what follows it one and a half. */
    private static void butCheck(List<String> words, List<Double> valences) {
        int but = -1;
        for (int i = 0; i < words.size() && but < 0; i++) {
            if (words.get(i).equalsIgnoreCase("but")) {
                but = i;
            }
        }
        if (but < 0) {
            return;
        }
        for (int i = 0; i < valences.size(); i++) {
            if (i < but) {
                valences.set(i, valences.get(i) * 0.5);
            } else if (i > but) {
                valences.set(i, valences.get(i) * 1.5);
            }
        }
    }

    private static double punctuationEmphasis(String text) {
        long exclamations = text.chars().filter(c -> c == '!').count();
        long questions = text.chars().filter(c -> c == '?').count();
        double emphasis = Math.min(exclamations, 4) * 0.292;
        if (questions > 1) {
            emphasis += questions <= 3 ? questions * 0.18 : 0.96;
        }
        return emphasis;
    }

    /** Whitespace-separated tokens with ASCII punctuation stripped from their ends, unless that leaves two characters or fewer (emoticons). */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String token : text.strip().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            int start = 0;
            int end = token.length();
            while (start < end && isAsciiPunctuation(token.charAt(start))) {
                start++;
            }
            while (end > start && isAsciiPunctuation(token.charAt(end - 1))) {
                end--;
            }
            words.add(end - start <= 2 ? token : token.substring(start, end));
            if (words.size() == MAX_TOKENS) {
                break;
            }
        }
        return words;
    }

    private static boolean isAsciiPunctuation(char c) {
        return c < 128 && "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".indexOf(c) >= 0;
    }

    /** Some but not all words are ALL CAPS. */
    private static boolean capsDiffer(List<String> words) {
        long upper = words.stream().filter(SentimentAnalyzer::isUpper).count();
        return upper > 0 && upper < words.size();
    }

    /** Python's {@code str.isupper}: at least one cased letter, and no lower-case one. */
    static boolean isUpper(String word) {
        boolean cased = false;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (Character.isLowerCase(c) || Character.isTitleCase(c)) {
                return false;
            }
            cased |= Character.isUpperCase(c);
        }
        return cased;
    }

    private static String lowerAt(List<String> words, int i) {
        return i >= 0 && i < words.size() ? words.get(i).toLowerCase(Locale.ROOT) : "";
    }
}
