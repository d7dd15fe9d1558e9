package dev.crank.workers.philosophy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import dev.crank.workers.philosophy.PhilosophicalAnalyzerWorker.AnalysisType;
import java.util.LinkedHashSet;
import java.util.Set;

/** Renders a {@link DnaAnalysis} as the answer of {@code analyze:philosophy}, trimmed to the analysis type. */
final class AnalysisJson {

    private AnalysisJson() {}

    static ObjectNode render(DnaAnalysis analysis, AnalysisType type, Lexicon lexicon) {
        boolean markers = type != AnalysisType.AUTHENTICITY;
        boolean authenticity = type != AnalysisType.DNA_MARKERS;
        Lexicon.Scoring scoring = lexicon.scoring();

        ObjectNode answer = CrankJson.object();
        answer.put("analysis_type", type.wire());
        answer.put("word_count", analysis.wordCount());
        answer.put("lexicon_version", lexicon.version());
        if (markers) {
            ObjectNode primary = answer.putObject("dna_markers");
            ObjectNode themes = answer.putObject("secondary_themes");
            analysis.categories().values().forEach(score ->
                    (score.category().primary() ? primary : themes).put(score.category().code(), score.score()));
        }
        if (authenticity) {
            answer.put("authenticity_score", analysis.authenticity());
            answer.put("analysis_summary", analysis.summary());
        }
        answer.put("confidence", analysis.confidence());
        if (markers) {
            answer.set("detected_patterns", detectedPatterns(analysis));
            ObjectNode counts = answer.putObject("match_counts");
            ObjectNode evidence = answer.putObject("evidence");
            analysis.categories().forEach((code, score) -> {
                counts.put(code, score.matches().size());
                ArrayNode list = evidence.putArray(code);
                score.matches().stream().limit(scoring.maxEvidencePerCategory()).forEach(match -> list.addObject()
                        .put("term", match.term())
                        .put("pattern", match.pattern())
                        .put("start", match.start())
                        .put("end", match.end()));
            });
        }
        if (authenticity) {
            ObjectNode readiness = answer.putObject("readiness_thresholds");
            readiness.put("marker_presence", scoring.presenceThreshold());
            readiness.put("authenticity", scoring.authenticityThreshold());
            readiness.put("confidence", scoring.confidenceThreshold());
            readiness.put("markers_required", scoring.markersRequired());
            readiness.put("markers_present", analysis.markersPresent());
            readiness.put("ready", analysis.ready());
        }
        return answer;
    }

    private static ArrayNode detectedPatterns(DnaAnalysis analysis) {
        ArrayNode patterns = CrankJson.array();
        analysis.categories().forEach((code, score) -> {
            Set<String> seen = new LinkedHashSet<>();
            score.matches().forEach(match -> seen.add(code + ": " + match.pattern()));
            seen.forEach(patterns::add);
        });
        return patterns;
    }
}
