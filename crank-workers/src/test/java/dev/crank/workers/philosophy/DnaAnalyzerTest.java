package dev.crank.workers.philosophy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.workers.philosophy.PhilosophicalAnalyzerWorker.AnalysisType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DnaAnalyzerTest {

    static final List<String> MARKERS = List.of("SHM", "TUD", "IIP", "AID", "DHG");
    static final List<String> THEMES = List.of("BIZ", "TECH", "COG", "STRAT");

    private static DnaAnalyzer analyzer;

    @BeforeAll
    static void load() {
        analyzer = DnaAnalyzer.load();
    }

    @AfterAll
    static void close() {
        analyzer.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHM", "TUD", "IIP", "AID", "DHG"})
    void aTextAboutAMarkerScoresHighestOnThatMarker(String marker) {
        DnaAnalysis analysis = analyse(text(marker + ".txt"));

        double own = score(analysis, marker);
        assertThat(own).as(analysis.summary()).isGreaterThanOrEqualTo(0.6);
        for (String other : MARKERS) {
            if (!other.equals(marker)) {
                assertThat(score(analysis, other)).as(other + " in a text about " + marker + ": " + analysis.summary())
                        .isLessThan(own - 0.2);
            }
        }
    }

    @Test
    void aTextAboutNothingInParticularScoresLowEverywhere() {
        DnaAnalysis analysis = analyse(text("nothing.txt"));

        for (String code : analysis.categories().keySet()) {
            assertThat(score(analysis, code)).as(code + ": " + analysis.summary()).isLessThan(0.2);
        }
        assertThat(analysis.markersPresent()).isZero();
        assertThat(analysis.authenticity()).isLessThan(0.15);
        assertThat(analysis.ready()).isFalse();
        assertThat(analysis.summary()).contains("No DNA marker");
    }

    @Test
    void aTextCarryingEveryMarkerIsAuthenticAndReady() {
        DnaAnalysis all = analyse(text("all-markers.txt"));
        DnaAnalysis one = analyse(text("AID.txt"));

        assertThat(all.markersPresent()).as(all.summary()).isEqualTo(5);
        assertThat(all.authenticity()).isGreaterThanOrEqualTo(0.6).isGreaterThan(one.authenticity());
        assertThat(all.ready()).isTrue();
        assertThat(one.ready()).isFalse();
        assertThat(score(all, "STRAT")).isGreaterThanOrEqualTo(0.3);
    }

    @Test
    void evidenceOffsetsPointAtTheMatchedWordsOfTheOriginalText() {
        for (String name : List.of("SHM.txt", "TUD.txt", "IIP.txt", "AID.txt", "DHG.txt", "all-markers.txt")) {
            String text = text(name);
            DnaAnalysis analysis = analyse(text);
            analysis.categories().values().forEach(category -> category.matches().forEach(match -> {
                assertThat(text.substring(match.start(), match.end())).isEqualTo(match.term());
                assertThat(match.start() == 0 || !Character.isLetterOrDigit(text.charAt(match.start() - 1))).isTrue();
                assertThat(match.end() == text.length() || !Character.isLetterOrDigit(text.charAt(match.end()))).isTrue();
            }));
        }
    }

    @Test
    void matchesWholeWordsOnlyAfterNormalisationAndStemming() {
        String text = "\uD83D\uDE80 Management met the Agents\u2019 delegates; an agéncy of self-organizing AGENTS, agentic or not.";
        DnaAnalysis analysis = analyse(text);

        List<DnaAnalysis.Evidence> aid = analysis.categories().get("AID").matches();
        assertThat(aid).extracting(DnaAnalysis.Evidence::term)
                .containsExactly("Agents", "delegates", "agéncy", "self-organizing", "AGENTS", "agentic");
        assertThat(aid).extracting(DnaAnalysis.Evidence::pattern)
                .containsExactly("agent", "delegate", "agency", "self organizing", "agent", "agent");
        aid.forEach(match -> assertThat(text.substring(match.start(), match.end())).isEqualTo(match.term()));
        assertThat(aid.get(0).start()).isEqualTo(text.indexOf("Agents"));
        assertThat(aid).noneMatch(match -> match.term().contains("anagement"));
    }

    @Test
    void aPhraseIsCountedOnceNotAgainAsItsWords() {
        DnaAnalysis analysis = analyse("Data gravity is real: the data stays where it is, and we rely on data gravity every day.");

        assertThat(analysis.categories().get("DHG").matches()).extracting(DnaAnalysis.Evidence::pattern)
                .containsExactly("data gravity", "data", "data gravity");
        assertThat(analysis.categories().get("DHG").weightedHits()).isEqualTo(5.0);
    }

    @Test
    void scoresAreDeterministic() {
        String text = text("all-markers.txt");
        String first = AnalysisJson.render(analyse(text), AnalysisType.FULL_ANALYSIS, analyzer.lexicon()).toString();
        try (DnaAnalyzer fresh = DnaAnalyzer.load()) {
            String again = AnalysisJson.render(fresh.analyse(text, Optional.empty(), Optional.empty()),
                    AnalysisType.FULL_ANALYSIS, fresh.lexicon()).toString();
            assertThat(again).isEqualTo(first);
        }
    }

    @Test
    void everyLexiconWordBelongsToOneCategoryOnly() {
        Map<String, String> owner = new HashMap<>();
        for (Lexicon.Category category : analyzer.lexicon().categories()) {
            for (Lexicon.Pattern pattern : category.patterns()) {
                if (!pattern.phrase()) {
                    String previous = owner.putIfAbsent(pattern.stems()[0], category.code());
                    assertThat(previous == null || previous.equals(category.code()))
                            .as("'" + pattern.entry() + "' (stem " + pattern.stems()[0] + ") is in " + previous + " and " + category.code())
                            .isTrue();
                }
            }
        }
        assertThat(analyzer.lexicon().markers()).extracting(Lexicon.Category::code).containsExactlyElementsOf(MARKERS);
        assertThat(analyzer.lexicon().themes()).extracting(Lexicon.Category::code).containsExactlyElementsOf(THEMES);
        assertThat(analyzer.lexicon().markers()).extracting(Lexicon.Category::weight).containsExactly(1.2, 1.3, 1.1, 1.4, 1.15);
    }

    private static DnaAnalysis analyse(String text) {
        return analyzer.analyse(text, Optional.empty(), Optional.empty());
    }

    private static double score(DnaAnalysis analysis, String code) {
        return analysis.categories().get(code).score();
    }

    static String text(String name) {
        try (InputStream in = DnaAnalyzerTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
