package dev.crank.workers.emailclassifier;

import java.util.List;

/**
 * VADER's scores of one text.
 *
 * @param compound the normalised sum of the valences, in [-1, 1]
 * @param positive the positive share of the text (positive, negative and neutral add up to 1)
 * @param tokens   how many tokens were read
 */
record VaderScore(double compound, double positive, double negative, double neutral, int tokens,
        List<String> positiveTerms, List<String> negativeTerms) {

    private static final double ALPHA = 15;

    static VaderScore of(List<Double> valences, double punctuation, int tokens, List<String> positiveTerms,
            List<String> negativeTerms) {
        if (valences.isEmpty()) {
            return new VaderScore(0, 0, 0, 0, tokens, positiveTerms, negativeTerms);
        }
        double sum = valences.stream().mapToDouble(Double::doubleValue).sum();
        if (sum > 0) {
            sum += punctuation;
        } else if (sum < 0) {
            sum -= punctuation;
        }
        double compound = Math.max(-1, Math.min(1, sum / Math.sqrt(sum * sum + ALPHA)));
        double positiveSum = 0;
        double negativeSum = 0;
        int neutralCount = 0;
        for (double valence : valences) {
            if (valence > 0) {
                positiveSum += valence + 1; // VADER counts each sentiment word's neutral part too
            } else if (valence < 0) {
                negativeSum += valence - 1;
            } else {
                neutralCount++;
            }
        }
        if (positiveSum > Math.abs(negativeSum)) {
            positiveSum += punctuation;
        } else if (positiveSum < Math.abs(negativeSum)) {
            negativeSum -= punctuation;
        }
        double total = positiveSum + Math.abs(negativeSum) + neutralCount;
        return new VaderScore(compound, Math.abs(positiveSum / total), Math.abs(negativeSum / total),
                Math.abs(neutralCount / total), tokens, List.copyOf(positiveTerms), List.copyOf(negativeTerms));
    }
}
