package dev.crank.workers.emailclassifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankJson;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.Routes;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code classify:email_intent}: spam detection with a logistic regression trained on the SpamAssassin
 * corpus, and rule- or lexicon-based intent, sentiment, priority and language, over a raw RFC 5322
 * message (parsed by the email parser) or a bare body.
 */
public final class EmailClassifierWorker extends WorkerApplication {

    private static final Logger logger = LoggerFactory.getLogger(EmailClassifierWorker.class);

    public static final String WORKER_ID = "crank-email-classifier";
    public static final int DEFAULT_PORT = 8502;
    public static final String CAPABILITY = "classify:email_intent";

    private volatile SpamDetector spamDetector;

    public EmailClassifierWorker(WorkerConfig config) {
        super(config);
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of(CapabilitySchema.builder("classify", "email_intent")
                .version("1.0.0")
                .description("Spam (logistic regression trained on SpamAssassin), intent, sentiment, priority and "
                        + "language of an email message or body")
                .inputSchema(ClassifierSchemas.INPUT)
                .outputSchema(ClassifierSchemas.OUTPUT)
                .idempotent(true)
                .maxConcurrency(16)
                .tags("email", "nlp")
                .build());
    }

    @Override
    protected void onStartup() {
        SpamModel model = SpamModel.load();
        spamDetector = new SpamDetector(model);
        logger.info("{}: spam model loaded (threshold {}; {})", workerId(), model.threshold(), model.description());
        LanguageDetector.load();
        logger.info("{}: language model loaded (OpenNLP langdetect-183)", workerId());
    }

    @Override
    protected void describeStatus(ObjectNode status) {
        status.put("classification_types", String.join(",", ClassificationType.wireNames()));
    }

    @Override
    protected void configure(Routes routes) {
        routes.capability(CAPABILITY, this::classify);
    }

    private CrankResponse classify(CrankRequest request) {
        long started = System.nanoTime();
        JsonNode body = request.json();
        Optional<String> subject = Optional.ofNullable(body.get("subject")).map(JsonNode::asText);
        EmailInput input = EmailInput.of(body.get("email_content").asText(), subject);
        List<ClassificationType> types = new ArrayList<>();
        if (body.has("classification_types")) {
            for (JsonNode type : body.get("classification_types")) {
                types.add(ClassificationType.of(type.asText()).orElseThrow()); // the schema's enum admits only known types
            }
        } else {
            types.addAll(List.of(ClassificationType.values()));
        }
        ObjectNode answer = CrankJson.object();
        ArrayNode results = answer.putArray("results");
        for (ClassificationType type : types) {
            Classification classification = switch (type) {
                case SPAM_DETECTION -> spamDetector.classify(input);
                case INTENT -> IntentClassifier.classify(input);
                case SENTIMENT -> SentimentAnalyzer.classify(input);
                case PRIORITY -> PriorityClassifier.classify(input);
                case LANGUAGE -> LanguageDetector.classify(input);
            };
            results.add(classification.toJson());
        }
        answer.put("input_kind", input.rfc5322() ? "rfc5322" : "plain_text");
        answer.put("processing_time_ms", (System.nanoTime() - started) / 1_000_000.0);
        return CrankResponse.json(answer);
    }
}
