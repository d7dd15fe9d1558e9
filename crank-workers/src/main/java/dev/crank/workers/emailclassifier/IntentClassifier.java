package dev.crank.workers.emailclassifier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code intent}: keyword and header rules. Each intent has weighted cue phrases (whole words, any case,
 * each counted once) found in the subject and body; headers add structural evidence (a
 * {@code List-Unsubscribe} or {@code Precedence: bulk} for marketing unless it is a reply, i.e. a
 * mailing-list discussion, which counts as business; an automated sender for notifications; a reply
 * between people for personal mail). The scores go through a softmax, so the
 * confidence is the winning intent's share: one weak cue gives about 0.3, four strong ones above 0.9.
 */
final class IntentClassifier {

    static final List<String> INTENTS = List.of("receipt", "bill", "marketing", "support", "personal", "business",
            "notification");

    private static final Map<String, Cues> CUES = new LinkedHashMap<>();

    static {
        CUES.put("receipt", Cues.of("receipt", "your order", "order number", "order #", "order confirmation",
                        "purchase confirmation", "payment received", "payment confirmation", "transaction id", "subtotal",
                        "has shipped", "shipping confirmation", "tracking number", "paid")
                .and(2, "thank you for your order", "thank you for your purchase", "thanks for your order",
                        "your receipt", "order total", "amount paid", "we received your payment"));
        CUES.put("bill", Cues.of("invoice", "statement", "balance", "billing", "bill", "pay now", "autopay", "payment method")
                .and(2, "amount due", "payment due", "due date", "balance due", "your bill", "minimum payment",
                        "past due", "overdue", "statement is ready", "invoice is due", "please pay", "outstanding balance"));
        CUES.put("marketing", Cues.of("sale", "offer", "deal", "deals", "discount", "promo", "promotion", "coupon",
                        "newsletter", "shop", "buy", "free", "save", "exclusive", "subscribe", "click here", "order now",
                        "special", "bonus", "guaranteed", "opt-out", "opt out")
                .and(2, "unsubscribe", "% off", "limited time", "free shipping", "buy now", "shop now", "act now",
                        "special offer", "don't miss", "best price", "lowest price", "remove you from", "removed from our"));
        CUES.put("support", Cues.of("support", "help", "issue", "problem", "error", "bug", "troubleshoot",
                        "not working", "doesn't work", "broken", "crash", "fix", "resolved", "workaround")
                .and(2, "ticket", "case number", "support request", "help desk", "helpdesk", "customer service",
                        "customer support", "technical support", "we received your request", "your request",
                        "can you help", "how do i", "steps to reproduce"));
        CUES.put("personal", Cues.of("love", "mom", "dad", "family", "birthday", "dinner", "weekend",
                        "party", "kids", "vacation", "holiday", "congratulations", "hugs", "lunch", "friend", "dear",
                        "how are you", "see you", "take care")
                .and(2, "love you", "happy birthday", "miss you", "how have you been", "catch up", "xoxo"));
        CUES.put("business", Cues.of("meeting", "agenda", "proposal", "contract", "project", "deadline", "quarterly",
                        "budget", "client", "customer", "schedule", "report", "deliverable", "stakeholder", "revenue",
                        "partnership", "regards", "attached", "colleagues", "team", "strategy", "q1", "q2", "q3", "q4")
                .and(2, "conference call", "action items", "status update", "board meeting", "please review",
                        "business plan", "kind regards", "best regards", "statement of work", "purchase order"));
        CUES.put("notification", Cues.of("notification", "alert", "your account", "password", "verify", "verification",
                        "security", "sign-in", "sign in", "login", "log in", "reminder", "automated", "updated",
                        "new message", "confirm", "activity", "expires", "expired")
                .and(2, "do not reply", "do not respond", "this is an automated", "automatically generated",
                        "has been updated", "you have a new", "reset your password", "verify your", "security alert",
                        "new sign-in", "your password"));
    }

    private IntentClassifier() {}

    static Classification classify(EmailInput input) {
        String text = Cues.normalize(input.text());
        Map<String, Double> scores = new LinkedHashMap<>();
        ObjectNode details = CrankJson.object().put("algorithm", "keyword_rules_softmax");
        ObjectNode matched = details.putObject("matched");
        for (String intent : INTENTS) {
            List<Cues.Hit> hits = new ArrayList<>(CUES.get(intent).find(text));
            structural(intent, input, hits);
            scores.put(intent, Cues.total(hits));
            if (!hits.isEmpty()) {
                ArrayNode cues = matched.putArray(intent);
                hits.forEach(hit -> cues.add(hit.cue()));
            }
        }
        Map<String, Double> probabilities = softmax(scores);
        String best = INTENTS.get(0);
        for (String intent : INTENTS) {
            if (probabilities.get(intent) > probabilities.get(best)) {
                best = intent;
            }
        }
        ObjectNode scoreNode = details.putObject("scores");
        probabilities.forEach((intent, p) -> scoreNode.put(intent, Classification.round(p)));
        return new Classification(ClassificationType.INTENT.wireName(), best, probabilities.get(best), details);
    }

    private static void structural(String intent, EmailInput input, List<Cues.Hit> hits) {
        boolean reply = isReply(input);
        switch (intent) {
            case "marketing" -> {
                if (input.isBulk() && !reply) { // a reply on a mailing list is a discussion, not an advert
                    hits.add(new Cues.Hit("header:bulk", 1.5));
                }
            }
            case "business" -> {
                if (input.isBulk() && reply) {
                    hits.add(new Cues.Hit("list:discussion", 1.0));
                }
            }
            case "notification" -> {
                if (input.isAutomated()) {
                    hits.add(new Cues.Hit("sender:automated", 2));
                }
            }
            case "personal" -> {
                if (!input.isBulk() && !input.isAutomated()) {
                    hits.add(new Cues.Hit("sender:person", 0.3));
                    if (reply) {
                        hits.add(new Cues.Hit("subject:reply", 0.5));
                    }
                }
            }
            default -> { }
        }
    }

    private static boolean isReply(EmailInput input) {
        return input.header("In-Reply-To").isPresent()
                || input.subject().map(s -> s.strip().toLowerCase(Locale.ROOT).startsWith("re:")).orElse(false);
    }

    static Map<String, Double> softmax(Map<String, Double> scores) {
        double max = scores.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double sum = 0;
        Map<String, Double> exp = new LinkedHashMap<>();
        for (Map.Entry<String, Double> entry : scores.entrySet()) {
            double value = Math.exp(entry.getValue() - max);
            exp.put(entry.getKey(), value);
            sum += value;
        }
        double total = sum;
        exp.replaceAll((key, value) -> value / total);
        return exp;
    }
}
