package dev.crank.workers.emailclassifier;

import dev.crank.workers.emailclassifier.SpamTraining.Example;
import java.util.List;
import java.util.Locale;

/** A binary confusion matrix with spam as the positive class. */
record Metrics(int truePositives, int falsePositives, int trueNegatives, int falseNegatives) {

    static Metrics of(List<Example> examples, double[] scores, double threshold) {
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean predictedSpam = scores[i] >= threshold;
            if (examples.get(i).spam()) {
                if (predictedSpam) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (predictedSpam) {
                fp++;
            } else {
                tn++;
            }
        }
        return new Metrics(tp, fp, tn, fn);
    }

    int total() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    double accuracy() {
        return (truePositives + trueNegatives) / (double) total();
    }

    double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    double falsePositiveRate() {
        return ratio(falsePositives, falsePositives + trueNegatives);
    }

    double falseNegativeRate() {
        return ratio(falseNegatives, falseNegatives + truePositives);
    }

    String summary() {
        return String.format(Locale.ROOT, "accuracy %.4f, spam precision %.4f, spam recall %.4f (TP %d, FP %d, TN %d, FN %d)",
                accuracy(), precision(), recall(), truePositives, falsePositives, trueNegatives, falseNegatives);
    }

    String confusionMatrix() {
        return String.format(Locale.ROOT, """
                                    predicted spam   predicted not_spam
                  actual spam       %14d   %18d
                  actual not_spam   %14d   %18d
                """, truePositives, falseNegatives, falsePositives, trueNegatives);
    }

    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? 0 : numerator / (double) denominator;
    }
}
