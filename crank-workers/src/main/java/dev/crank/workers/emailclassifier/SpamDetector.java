package dev.crank.workers.emailclassifier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import java.util.List;
import java.util.Map;

/** {@code spam_detection}: the trained {@link SpamModel} over {@link SpamFeatures}. */
final class SpamDetector {

    private final SpamModel model;

    SpamDetector(SpamModel model) {
        this.model = model;
    }

    Classification classify(EmailInput input) {
        List<String> features = SpamFeatures.of(input.email(), input.subject());
        double probability = model.spamProbability(features);
        double adjusted = model.adjustedProbability(probability);
        boolean spam = probability >= model.threshold();
        ObjectNode details = CrankJson.object()
                .put("algorithm", "logistic_regression")
                .put("implementation", "Apache OpenNLP maximum entropy (L-BFGS, L2), trained on SpamAssassin -1 folders")
                .put("spam_probability", Classification.round(probability))
                .put("threshold", model.threshold())
                .put("feature_count", features.size())
                .put("headers_seen", input.rfc5322());
        ArrayNode strongest = details.putArray("strongest_features");
        for (Map.Entry<String, Double> feature : model.strongestFeatures(features, spam, 5)) {
            strongest.addObject().put("feature", feature.getKey()).put("weight", Classification.round(feature.getValue()));
        }
        return new Classification(ClassificationType.SPAM_DETECTION.wireName(), spam ? SpamModel.SPAM : SpamModel.HAM,
                spam ? adjusted : 1 - adjusted, details);
    }
}
