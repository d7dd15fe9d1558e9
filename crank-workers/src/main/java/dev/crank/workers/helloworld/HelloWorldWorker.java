package dev.crank.workers.helloworld;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code greet:hello_world}: greets a message, optionally reversed (by user-perceived characters,
 * so an emoji keeps its skin tone), upper-cased and with 0-10 exclamation marks.
 */
public final class HelloWorldWorker extends WorkerApplication {

    public static final String WORKER_ID = "crank-hello-world";
    public static final int DEFAULT_PORT = 8500;
    public static final String CAPABILITY = "greet:hello_world";

    private static final Pattern GRAPHEME = Pattern.compile("\\X");
    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "required": ["message"],
              "additionalProperties": false,
              "properties": {
                "message": {"type": "string", "minLength": 1, "maxLength": 10000, "pattern": "\\\\S",
                            "description": "Text to greet; not blank after trimming"},
                "options": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "uppercase": {"type": "boolean", "default": false},
                    "reverse": {"type": "boolean", "default": false},
                    "exclamations": {"type": "integer", "minimum": 0, "maximum": 10, "default": 1}
                  }
                }
              }
            }
            """;
    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "required": ["greeting", "metadata", "processing_time_ms"],
              "properties": {
                "greeting": {"type": "string"},
                "metadata": {
                  "type": "object",
                  "required": ["total_greetings", "options_applied", "character_count"],
                  "properties": {
                    "total_greetings": {"type": "integer", "minimum": 1},
                    "options_applied": {"type": "array", "items": {"type": "string"}},
                    "character_count": {"type": "integer", "minimum": 1}
                  }
                },
                "processing_time_ms": {"type": "number", "minimum": 0}
              }
            }
            """;

    private final AtomicLong totalGreetings = new AtomicLong();

    public HelloWorldWorker(WorkerConfig config) {
        super(config);
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of(CapabilitySchema.builder("greet", "hello_world")
                .version("1.0.0")
                .description("Greets a message, optionally reversed, upper-cased and with exclamation marks")
                .inputSchema(INPUT_SCHEMA)
                .outputSchema(OUTPUT_SCHEMA)
                .idempotent(true)
                .maxConcurrency(64)
                .tags("demo")
                .errorCodes("INVALID_INPUT", "MALFORMED_JSON")
                .build());
    }

    @Override
    protected void configure(Routes routes) {
        routes.capability(CAPABILITY, this::greet)
                .get("/stats", request -> CrankResponse.json(CrankJson.object()
                        .put("total_greetings", totalGreetings.get())
                        .put("worker_id", workerId())));
    }

    private CrankResponse greet(CrankRequest request) {
        long started = System.nanoTime();
        JsonNode input = request.json();
        String message = input.get("message").asText().strip();
        JsonNode options = input.path("options");
        boolean reverse = options.path("reverse").asBoolean(false);
        boolean uppercase = options.path("uppercase").asBoolean(false);
        int exclamations = options.path("exclamations").asInt(1);

        List<String> applied = new ArrayList<>();
        String processed = message;
        if (reverse) {
            processed = reverseGraphemes(processed);
            applied.add("reverse");
        }
        if (uppercase) {
            processed = processed.toUpperCase(Locale.ROOT);
            applied.add("uppercase");
        }
        applied.add("exclamations:" + exclamations);
        String greeting = "Hello, " + processed + "!".repeat(exclamations);

        ObjectNode answer = CrankJson.object().put("greeting", greeting);
        ObjectNode metadata = answer.putObject("metadata");
        metadata.put("total_greetings", totalGreetings.incrementAndGet());
        applied.forEach(metadata.putArray("options_applied")::add);
        metadata.put("character_count", graphemes(message).size());
        answer.put("processing_time_ms", (System.nanoTime() - started) / 1_000_000.0);
        return CrankResponse.json(answer);
    }

    /** Reverses by extended grapheme clusters: "héllo👋🏽" becomes "👋🏽olléh". */
    static String reverseGraphemes(String text) {
        List<String> clusters = graphemes(text);
        StringBuilder reversed = new StringBuilder(text.length());
        for (int i = clusters.size() - 1; i >= 0; i--) {
            reversed.append(clusters.get(i));
        }
        return reversed.toString();
    }

    private static List<String> graphemes(String text) {
        List<String> clusters = new ArrayList<>();
        Matcher matcher = GRAPHEME.matcher(text);
        while (matcher.find()) {
            clusters.add(matcher.group());
        }
        return clusters;
    }
}
