package dev.crank.workers.emailclassifier;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;

/**
 * One answer of {@code classify:email_intent}.
 *
 * @param confidence in [0, 1]
 * @param details    at least {@code algorithm}; what else depends on the type
 */
record Classification(String type, String prediction, double confidence, ObjectNode details) {

    Classification {
        requireNonNull(type, "type");
        requireNonNull(prediction, "prediction");
        requireNonNull(details, "details");
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence: " + confidence + " (expected: 0-1)");
        }
        if (!details.hasNonNull("algorithm")) {
            throw new IllegalArgumentException("details: no algorithm");
        }
    }

    ObjectNode toJson() {
        ObjectNode json = CrankJson.object();
        json.put("classification_type", type);
        json.put("prediction", prediction);
        json.put("confidence", round(confidence));
        json.set("details", details);
        return json;
    }

    static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
