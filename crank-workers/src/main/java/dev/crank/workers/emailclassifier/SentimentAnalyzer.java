package dev.crank.workers.emailclassifier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.internal.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code sentiment}: a valence lexicon in the manner of VADER (Hutto and Gilbert, 2014), written for
 * this project and much smaller: each sentiment word scores +-1 or +-2, a negation among the three
 * words before it flips and damps it (x -0.74), an intensifier before it scales it (x 1.3). The sum
 * {@code s} becomes {@code compound = s / sqrt(s^2 + 15)} in (-1, 1); at least 0.05 is positive, at
 * most -0.05 negative, else neutral. Confidence: {@code 0.5 + 0.5 |compound|} for positive or negative,
 * {@code 0.5 + 0.4 (1 - |compound| / 0.05)} for neutral.
 */
final class SentimentAnalyzer {

    static final double THRESHOLD = 0.05;
    private static final double NEGATION = -0.74;
    private static final double INTENSIFIER = 1.3;
    private static final double ALPHA = 15;
    private static final int MAX_TOKENS = 3_000;

    private static final Map<String, Double> VALENCE = new HashMap<>();
    private static final Set<String> NEGATORS = Set.of("not", "no", "never", "none", "nobody", "nothing", "neither",
            "nor", "cannot", "can't", "cant", "don't", "dont", "doesn't", "didn't", "isn't", "wasn't", "aren't",
            "won't", "wouldn't", "shouldn't", "couldn't", "hardly", "without", "ain't");
    private static final Set<String> INTENSIFIERS = Set.of("very", "really", "extremely", "so", "incredibly",
            "absolutely", "totally", "truly", "super", "highly", "most", "especially", "deeply");

    static {
        words(1, "good", "happy", "glad", "pleased", "like", "liked", "thanks", "thank", "appreciate", "appreciated",
                "helpful", "nice", "best", "better", "enjoy", "enjoyed", "excited", "exciting", "congrats", "success",
                "successful", "beautiful", "impressive", "grateful", "fine", "positive", "welcome", "fun",
                "recommend", "satisfied", "resolved", "win", "won", "benefit", "easy", "kind", "lovely", "cool", "yay",
                "hope", "pleasure", "smooth", "works", "solved", "friendly", "useful", "valuable");
        words(2, "great", "excellent", "amazing", "awesome", "wonderful", "fantastic", "love", "loved", "perfect",
                "congratulations", "brilliant", "delighted", "thrilled", "superb", "outstanding", "incredible",
                "fabulous", "terrific", "exceptional");
        words(-1, "bad", "poor", "worse", "upset", "annoyed", "annoying", "sad", "unhappy", "sorry", "problem",
                "problems", "issue", "issues", "fail", "failed", "failure", "fails", "broken", "error", "errors",
                "wrong", "complaint", "complain", "refund", "cancel", "cancelled", "canceled", "delay", "delayed",
                "late", "waste", "wasted", "worried", "concern", "concerned", "unfortunately", "regret", "damage",
                "damaged", "slow", "missing", "lost", "bug", "crash", "crashed", "difficult", "confused", "confusing",
                "mistake", "hard", "negative", "trouble", "hurt", "afraid", "bother", "bothered");
        words(-2, "terrible", "awful", "horrible", "worst", "hate", "hated", "angry", "furious", "disappointed",
                "disappointing", "frustrated", "frustrating", "unacceptable", "useless", "rude", "scam", "ridiculous",
                "disgusting", "pathetic", "outraged", "appalling", "dreadful", "miserable", "incompetent");
    }

    private SentimentAnalyzer() {}

    private static void words(double valence, String... words) {
        for (String word : words) {
            VALENCE.put(word, valence);
        }
    }

    static Classification classify(EmailInput input) {
        List<String> tokens = tokens(input.text());
        double sum = 0;
        List<String> positive = new ArrayList<>();
        List<String> negative = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Double valence = VALENCE.get(tokens.get(i));
            if (valence == null) {
                continue;
            }
            double score = valence;
            boolean negated = false;
            for (int back = Math.max(0, i - 3); back < i; back++) {
                negated |= NEGATORS.contains(tokens.get(back));
            }
            if (negated) {
                score *= NEGATION;
            }
            if (i > 0 && INTENSIFIERS.contains(tokens.get(i - 1))) {
                score *= INTENSIFIER;
            }
            sum += score;
            String shown = (negated ? "not " : "") + tokens.get(i);
            (score > 0 ? positive : negative).add(shown);
        }
        double compound = sum / Math.sqrt(sum * sum + ALPHA);
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
        ObjectNode details = Json.object()
                .put("algorithm", "valence_lexicon")
                .put("compound", Classification.round(compound))
                .put("tokens", tokens.size());
        ArrayNode positiveNode = details.putArray("positive_terms");
        positive.stream().distinct().limit(10).forEach(positiveNode::add);
        ArrayNode negativeNode = details.putArray("negative_terms");
        negative.stream().distinct().limit(10).forEach(negativeNode::add);
        return new Classification(ClassificationType.SENTIMENT.wireName(), prediction, confidence, details);
    }

    /** Lower-case words (letters and apostrophes; curly apostrophes made straight), at most {@value #MAX_TOKENS}. */
    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i <= text.length() && tokens.size() < MAX_TOKENS; i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if (c == '\u2019') {
                c = '\'';
            }
            if (Character.isLetter(c) || (c == '\'' && word.length() > 0)) {
                word.append(c);
            } else if (word.length() > 0) {
                tokens.add(word.toString().toLowerCase(Locale.ROOT));
                word.setLength(0);
            }
        }
        return tokens;
    }
}
