package dev.crank.workers.philosophy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.Routes;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code analyze:philosophy}: scores a text on five philosophical DNA markers (SHM, TUD, IIP, AID, DHG)
 * and four secondary themes (BIZ, TECH, COG, STRAT) by matching a stemmed lexicon on word boundaries,
 * and reports the evidence with offsets into the original text. See
 * {@code docs/workers/philosophical-analyzer.md}.
 */
public final class PhilosophicalAnalyzerWorker extends WorkerApplication {

    public static final String WORKER_ID = "crank-philosophical-analyzer";
    public static final int DEFAULT_PORT = 8507;
    public static final String CAPABILITY = "analyze:philosophy";
    /** Shortest text analysed, in characters (code points) after trimming. */
    public static final int MIN_TEXT_CHARACTERS = 50;
    /** Longest text analysed, in bytes of UTF-8. */
    public static final int MAX_TEXT_BYTES = 1024 * 1024;

    private static final Logger logger = LoggerFactory.getLogger(PhilosophicalAnalyzerWorker.class);

    private final AtomicLong analyses = new AtomicLong();
    private volatile DnaAnalyzer analyzer;

    public PhilosophicalAnalyzerWorker(WorkerConfig config) {
        super(config);
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of(CapabilitySchema.builder("analyze", "philosophy")
                .version("1.0.0")
                .description("Scores a text on the philosophical DNA markers SHM, TUD, IIP, AID, DHG and the themes "
                        + "BIZ, TECH, COG, STRAT, with evidence offsets, authenticity and confidence")
                .inputSchema(Schemas.INPUT)
                .outputSchema(Schemas.OUTPUT)
                .maxConcurrency(16)
                .idempotent(true)
                .tags("nlp", "analysis")
                .errorCodes("TEXT_TOO_SHORT", "TEXT_TOO_LARGE")
                .build());
    }

    @Override
    protected void configure(Routes routes) {
        routes.capability(CAPABILITY, this::analyze);
    }

    @Override
    protected void onStartup() {
        analyzer = DnaAnalyzer.load();
        logger.info("{} loaded lexicon {}", workerId(), analyzer.lexicon());
    }

    @Override
    protected void onShutdown() {
        if (analyzer != null) {
            analyzer.close();
        }
    }

    @Override
    protected void describeStatus(ObjectNode status) {
        status.put("analyses", analyses.get());
        if (analyzer != null) {
            status.put("lexicon_version", analyzer.lexicon().version());
        }
    }

    private CrankResponse analyze(CrankRequest request) {
        JsonNode input = request.json();
        String text = input.get("text").asText();
        String stripped = text.strip();
        int characters = stripped.codePointCount(0, stripped.length());
        if (characters < MIN_TEXT_CHARACTERS) {
            throw CrankException.badRequest("TEXT_TOO_SHORT",
                    "text: " + characters + " characters after trimming (expected: at least " + MIN_TEXT_CHARACTERS + ")");
        }
        int bytes = utf8Length(text);
        if (bytes > MAX_TEXT_BYTES) {
            throw new CrankException(413, "TEXT_TOO_LARGE",
                    "text: " + bytes + " bytes of UTF-8 (expected: at most " + MAX_TEXT_BYTES + ")");
        }
        AnalysisType type = AnalysisType.of(input.path("analysis_type").asText("full_analysis"));
        JsonNode context = input.path("context");
        DnaAnalysis analysis = analyzer.analyse(text, textField(context, "author"), textField(context, "domain"));
        analyses.incrementAndGet();
        return CrankResponse.json(AnalysisJson.render(analysis, type, analyzer.lexicon()));
    }

    private static Optional<String> textField(JsonNode context, String name) {
        JsonNode value = context.path(name);
        return value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText().strip()) : Optional.empty();
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** What to return; {@code analysis_type} in the request. */
    enum AnalysisType {
        DNA_MARKERS("dna_markers"), AUTHENTICITY("authenticity"), FULL_ANALYSIS("full_analysis");

        private final String wire;

        AnalysisType(String wire) {
            this.wire = wire;
        }

        String wire() {
            return wire;
        }

        static AnalysisType of(String wire) {
            for (AnalysisType type : values()) {
                if (type.wire.equals(wire)) {
                    return type;
                }
            }
            // The input schema allows only the three names; this is a guard, not a path.
            throw CrankException.badRequest("INVALID_INPUT", "analysis_type: '" + wire + "' (expected: dna_markers, authenticity or full_analysis)");
        }
    }
}
