package dev.crank.workers.emailclassifier;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import opennlp.tools.doccat.DoccatModel;
import opennlp.tools.doccat.DocumentCategorizerME;
import opennlp.tools.ml.model.AbstractModel;
import opennlp.tools.ml.model.Context;
import opennlp.tools.ml.model.MaxentModel;

/**
 * The trained spam model: an OpenNLP document categorizer (maximum entropy, i.e. logistic regression,
 * fitted with L-BFGS) over {@link SpamFeatures}, with the decision threshold chosen at training time.
 * Thread-safe.
 */
public final class SpamModel {

    public static final String RESOURCE = "/dev/crank/workers/emailclassifier/spam-model.bin";
    public static final String SPAM = "spam";
    public static final String HAM = "not_spam";
    static final String THRESHOLD_PROPERTY = "crank.threshold";
    static final String DESCRIPTION_PROPERTY = "crank.description";
    private static final String BAG_OF_WORDS = "bow=";

    private final DoccatModel model;
    private final DocumentCategorizerME categorizer;
    private final double threshold;
    private final Map<String, Double> logOdds;

    SpamModel(DoccatModel model) {
        this.model = requireNonNull(model, "model");
        this.categorizer = new DocumentCategorizerME(model);
        String threshold = model.getManifestProperty(THRESHOLD_PROPERTY);
        this.threshold = threshold == null ? 0.5 : Double.parseDouble(threshold);
        if (!(this.threshold > 0 && this.threshold < 1)) {
            throw new IllegalArgumentException("threshold: " + this.threshold + " (expected: 0 < t < 1)");
        }
        this.logOdds = logOdds(model.getMaxentModel());
    }

    /** Per feature, how far it moves the log-odds towards spam (weight for spam minus weight for ham). */
    private static Map<String, Double> logOdds(MaxentModel maxent) {
        Map<String, Double> weights = new HashMap<>();
        if (!(maxent instanceof AbstractModel model)) {
            return weights;
        }
        Object[] data = model.getDataStructures();
        @SuppressWarnings("unchecked")
        Map<String, Context> contexts = (Map<String, Context>) data[1];
        int spam = model.getIndex(SPAM);
        contexts.forEach((predicate, context) -> {
            double weight = 0;
            int[] outcomes = context.getOutcomes();
            double[] parameters = context.getParameters();
            for (int i = 0; i < outcomes.length; i++) {
                weight += outcomes[i] == spam ? parameters[i] : -parameters[i];
            }
            weights.put(predicate.startsWith(BAG_OF_WORDS) ? predicate.substring(BAG_OF_WORDS.length()) : predicate, weight);
        });
        return weights;
    }

    /** The model shipped in the jar. */
    public static SpamModel load() {
        try (InputStream in = SpamModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("spam model missing from the class path: " + RESOURCE);
            }
            return new SpamModel(new DoccatModel(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spam model " + RESOURCE, e);
        }
    }

    /** The model's probability of spam for these features, before the threshold. */
    public double spamProbability(List<String> features) {
        double[] outcomes = categorizer.categorize(features.toArray(String[]::new));
        return outcomes[categorizer.getIndex(SPAM)];
    }

    /** The threshold above which a message is spam (chosen on held-out -1 data at training time). */
    public double threshold() {
        return threshold;
    }

    /**
     * The probability moved so that the threshold sits at 0.5 (a shift of the log-odds by the
     * threshold's): a confidence that agrees with the decision.
     */
    public double adjustedProbability(double probability) {
        double p = Math.min(1 - 1e-12, Math.max(1e-12, probability));
        double logit = Math.log(p / (1 - p)) - Math.log(threshold / (1 - threshold));
        return 1 / (1 + Math.exp(-logit));
    }

    /** The {@code limit} present features that pushed hardest towards {@code spam} (or away from it). */
    public List<Map.Entry<String, Double>> strongestFeatures(List<String> features, boolean spam, int limit) {
        return features.stream()
                .filter(logOdds::containsKey)
                .map(f -> Map.entry(f, logOdds.get(f)))
                .filter(e -> spam ? e.getValue() > 0 : e.getValue() < 0)
                .sorted(Comparator.comparingDouble((Map.Entry<String, Double> e) -> Math.abs(e.getValue())).reversed())
                .limit(limit)
                .toList();
    }

    public String description() {
        String description = model.getManifestProperty(DESCRIPTION_PROPERTY);
        return description == null ? "" : description;
    }

    DoccatModel doccatModel() {
        return model;
    }
}
