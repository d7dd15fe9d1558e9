package com.example.textstats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.Routes;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import java.util.List;

/**
 * {@code analyze:text_stats}: word, sentence and paragraph counts and reading time of a text, sent as
 * JSON ({@code {"text": "...", "words_per_minute": 238}}) or as a raw {@code text/plain} body.
 */
public final class TextStatsWorker extends WorkerApplication {

    public static final String WORKER_ID = "text-stats";
    public static final String CAPABILITY = "analyze:text_stats";
    static final int MAX_CHARACTERS = 1_000_000;

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "required": ["text"],
              "additionalProperties": false,
              "properties": {
                "text": {"type": "string", "minLength": 1, "maxLength": 1000000},
                "words_per_minute": {"type": "integer", "minimum": 50, "maximum": 1000, "default": 238}
              }
            }
            """;
    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "required": ["word_count", "unique_word_count", "sentence_count", "paragraph_count", "character_count",
                           "average_word_length", "average_words_per_sentence", "words_per_minute", "reading_time_seconds"],
              "properties": {
                "word_count": {"type": "integer", "minimum": 0},
                "unique_word_count": {"type": "integer", "minimum": 0},
                "sentence_count": {"type": "integer", "minimum": 0},
                "paragraph_count": {"type": "integer", "minimum": 0},
                "character_count": {"type": "integer", "minimum": 1},
                "average_word_length": {"type": "number", "minimum": 0},
                "average_words_per_sentence": {"type": "number", "minimum": 0},
                "words_per_minute": {"type": "integer", "minimum": 50},
                "reading_time_seconds": {"type": "integer", "minimum": 0}
              }
            }
            """;

    public TextStatsWorker(WorkerConfig config) {
        super(config);
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of(CapabilitySchema.builder("analyze", "text_stats")
                .version("1.0.0")
                .description("Word, sentence and paragraph counts and reading time of a text (JSON or text/plain)")
                .inputSchema(INPUT_SCHEMA)
                .outputSchema(OUTPUT_SCHEMA)
                .idempotent(true)
                .maxConcurrency(32)
                .errorCodes("INVALID_INPUT", "MALFORMED_JSON", "EMPTY_TEXT", "TEXT_TOO_LONG", "INVALID_UTF8")
                .build());
    }

    @Override
    protected void configure(Routes routes) {
        routes.capability(CAPABILITY, this::analyze, "text/plain");
    }

    private CrankResponse analyze(CrankRequest request) {
        if (request.isJson()) {
            // Already validated against INPUT_SCHEMA by the framework.
            JsonNode input = request.json();
            return CrankResponse.json(TextStats.of(input.get("text").asText(),
                    input.path("words_per_minute").asInt(TextStats.DEFAULT_WORDS_PER_MINUTE)));
        }
        String text = request.bodyText();
        if (text.isEmpty()) {
            throw CrankException.badRequest("EMPTY_TEXT", "The text/plain body is empty");
        }
        int characters = text.codePointCount(0, text.length());
        if (characters > MAX_CHARACTERS) {
            throw CrankException.badRequest("TEXT_TOO_LONG", "text: " + characters + " characters (expected: at most " + MAX_CHARACTERS + ")");
        }
        return CrankResponse.json(TextStats.of(text, TextStats.DEFAULT_WORDS_PER_MINUTE));
    }
}
