package dev.crank.workers.emailclassifier;

import java.util.List;
import java.util.Map;
import opennlp.tools.langdetect.Language;

/**
 * Fits {@link LanguageDetector#SHARPNESS}: the exponent {@code k} that maximises the likelihood of the true
 * language over the longer texts of {@code language/calibration.tsv} (temperature scaling), and prints accuracy and mean top
 * confidence for it, for all of the set and for its short phrases. Not a test; run it after changing the model:
 * {@code java -cp <test class path> dev.crank.workers.emailclassifier.LanguageCalibration}.
 */
public final class LanguageCalibration {

    private LanguageCalibration() {}

    public static void main(String[] args) {
        List<LabelledText> set = LabelledText.read("language/calibration.tsv");
        List<Language[]> raw = set.stream().map(s -> LanguageDetector.raw(s.text())).toList();
        double bestK = 1;
        double bestLoss = Double.MAX_VALUE;
        for (double k = 1; k <= 100; k += 0.5) {
            double loss = 0;
            for (int i = 0; i < set.size(); i++) {
                if (isShort(set.get(i))) {
                    continue; // the detector does not use the model's confidence for them
                }
                loss -= Math.log(Math.max(1e-12, probability(raw.get(i), set.get(i).label(), k)));
            }
            if (loss < bestLoss) {
                bestLoss = loss;
                bestK = k;
            }
        }
        System.out.printf("k=%.1f  mean log-loss=%.4f%n", bestK, bestLoss / set.size());
        for (boolean shortText : new boolean[] {false, true}) {
            int n = 0;
            int correct = 0;
            int confident = 0;
            int confidentWrong = 0;
            double confidence = 0;
            for (int i = 0; i < set.size(); i++) {
                if (isShort(set.get(i)) != shortText) {
                    continue;
                }
                Map.Entry<String, Double> top = LanguageDetector.calibrated(raw.get(i), bestK).get(0);
                boolean right = top.getKey().equals(set.get(i).label());
                n++;
                correct += right ? 1 : 0;
                confidence += top.getValue();
                if (top.getValue() >= LanguageDetector.MIN_CONFIDENCE) {
                    confident++;
                    confidentWrong += right ? 0 : 1;
                }
            }
            System.out.printf("%s: n=%d  top-1 accuracy=%.3f  mean top confidence=%.3f  answers >= %.1f: %d, of them wrong: %d%n",
                    shortText ? "short (<= 3 words or < 20 letters)" : "longer", n, correct / (double) n, confidence / n,
                    LanguageDetector.MIN_CONFIDENCE, confident, confidentWrong);
        }
    }

    private static boolean isShort(LabelledText text) {
        return text.text().split("\\s+").length <= LanguageDetector.SHORT_TEXT_WORDS
                || text.text().codePoints().filter(Character::isLetter).count() < LanguageDetector.SHORT_TEXT_LETTERS;
    }

    private static double probability(Language[] raw, String label, double k) {
        return LanguageDetector.calibrated(raw, k).stream().filter(e -> e.getKey().equals(label))
                .mapToDouble(Map.Entry::getValue).findFirst().orElse(0);
    }
}
