package dev.crank.workers.emailclassifier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code priority}: what the sender declared, then what the words say. Declared priority headers
 * weigh 2 ({@code X-Priority} 1-2 high, 4-5 low; {@code Importance}, {@code Priority},
 * {@code X-MSMail-Priority} high/urgent or low/non-urgent); urgency words weigh 1.5 in the subject
 * and 1 in the body; bulk-mail headers and newsletter words count towards low. A net score of at least
 * 1 is high, at most -1 low, else normal. Confidence: {@code 0.5 + 0.45 (1 - e^(-|score|/1.5))} for high
 * or low, and for normal {@code 0.75} with no signals at all, less as signals cancel out.
 */
final class PriorityClassifier {

    private static final Cues URGENT = Cues.of("urgent", "asap", "immediately", "important", "deadline", "critical",
            "emergency", "time-sensitive", "time sensitive", "as soon as possible", "action required",
            "response required", "right away", "high priority", "top priority", "by end of day", "eod", "today");
    private static final Cues RELAXED = Cues.of("fyi", "newsletter", "no action required", "no action needed",
            "when you get a chance", "no rush", "whenever", "digest", "weekly", "monthly");

    private PriorityClassifier() {}

    static Classification classify(EmailInput input) {
        List<Cues.Hit> signals = new ArrayList<>();
        declared(input, signals);
        String subject = Cues.normalize(input.subject().orElse(""));
        String body = Cues.normalize(input.email().bodyText().length() > EmailInput.MAX_RULE_TEXT
                ? input.email().bodyText().substring(0, EmailInput.MAX_RULE_TEXT) : input.email().bodyText());
        URGENT.find(subject).forEach(hit -> signals.add(new Cues.Hit("subject:" + hit.cue(), 1.5)));
        URGENT.find(body).stream().filter(hit -> !Cues.containsWord(subject, hit.cue()))
                .forEach(hit -> signals.add(new Cues.Hit("body:" + hit.cue(), 1.0)));
        RELAXED.find(subject + " " + body).forEach(hit -> signals.add(new Cues.Hit("text:" + hit.cue(), -1.0)));
        if (input.isBulk()) {
            signals.add(new Cues.Hit("header:bulk", -1.5));
        }
        if (input.isAutomated()) {
            signals.add(new Cues.Hit("sender:automated", -0.5));
        }
        double score = Cues.total(signals);
        String prediction;
        double confidence;
        if (score >= 1) {
            prediction = "high";
            confidence = 0.5 + 0.45 * (1 - Math.exp(-Math.abs(score) / 1.5));
        } else if (score <= -1) {
            prediction = "low";
            confidence = 0.5 + 0.45 * (1 - Math.exp(-Math.abs(score) / 1.5));
        } else {
            prediction = "normal";
            double opposing = signals.stream().mapToDouble(hit -> Math.abs(hit.weight())).sum();
            confidence = Math.max(0.5, 0.75 - 0.1 * opposing - 0.2 * Math.abs(score));
        }
        ObjectNode details = CrankJson.object().put("algorithm", "header_and_keyword_rules").put("score", Classification.round(score));
        ArrayNode signalNode = details.putArray("signals");
        signals.forEach(hit -> signalNode.addObject().put("signal", hit.cue()).put("weight", hit.weight()));
        return new Classification(ClassificationType.PRIORITY.wireName(), prediction, confidence, details);
    }

    private static void declared(EmailInput input, List<Cues.Hit> signals) {
        input.header("X-Priority").flatMap(PriorityClassifier::firstDigit).ifPresent(digit -> {
            if (digit <= 2) {
                signals.add(new Cues.Hit("X-Priority: " + digit, 2));
            } else if (digit >= 4) {
                signals.add(new Cues.Hit("X-Priority: " + digit, -2));
            }
        });
        for (String header : List.of("Importance", "Priority", "X-MSMail-Priority")) {
            input.header(header).map(v -> v.strip().toLowerCase(Locale.ROOT)).ifPresent(value -> {
                if (value.startsWith("high") || value.startsWith("urgent")) {
                    signals.add(new Cues.Hit(header + ": " + value, 2));
                } else if (value.startsWith("low") || value.startsWith("non-urgent") || value.startsWith("bulk")) {
                    signals.add(new Cues.Hit(header + ": " + value, -2));
                }
            });
        }
    }

    private static Optional<Integer> firstDigit(String value) {
        return value.strip().chars().filter(Character::isDigit).mapToObj(c -> c - '0').findFirst();
    }
}
