package com.example.textstats;

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
 * JSON ({@link TextStatsInput}) or as a raw {@code text/plain} body. The schemas it publishes are
 * generated from the records {@link TextStatsInput} and {@link TextStats}.
 */
public final class TextStatsWorker extends WorkerApplication {

    public static final String WORKER_ID = "text-stats";
    public static final String CAPABILITY = "analyze:text_stats";
    static final int MAX_CHARACTERS = 1_000_000;

    public TextStatsWorker(WorkerConfig config) {
        super(config);
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of(CapabilitySchema.builder("analyze", "text_stats")
                .version("1.0.0")
                .description("Word, sentence and paragraph counts and reading time of a text (JSON or text/plain)")
                .inputSchema(TextStatsInput.class)
                .outputSchema(TextStats.class)
                .idempotent(true)
                .maxConcurrency(32)
                .errorCodes("EMPTY_TEXT", "TEXT_TOO_LONG")
                .build());
    }

    @Override
    protected void configure(Routes routes) {
        routes.capability(CAPABILITY, this::analyze, "text/plain");
    }

    private CrankResponse analyze(CrankRequest request) {
        if (request.isJson()) {
            // Already validated by the framework against the schema generated from TextStatsInput.
            TextStatsInput input = request.json(TextStatsInput.class);
            return CrankResponse.json(TextStats.of(input.text(), input.wordsPerMinute()));
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
