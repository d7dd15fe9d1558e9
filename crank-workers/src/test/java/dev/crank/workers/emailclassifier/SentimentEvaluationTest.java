package dev.crank.workers.emailclassifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** VADER's rules and lexicon: the compound scores of VADER's own README examples, and a labelled set. */
class SentimentEvaluationTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "VADER is smart, handsome, and funny. | 0.8316",
        "VADER is smart, handsome, and funny! | 0.8439",
        "VADER is very smart, handsome, and funny. | 0.8545",
        "VADER is VERY SMART, handsome, and FUNNY. | 0.9227",
        "VADER is VERY SMART, handsome, and FUNNY!!! | 0.9342",
        "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!! | 0.9469",
        "VADER is not smart, handsome, nor funny. | -0.7424",
        "The book was good. | 0.4404",
        "At least it isn't a horrible book. | 0.431",
        "The book was only kind of good. | 0.3832",
        "'The plot was good, but the characters are uncompelling and the dialog is not great.' | -0.7042",
        "Today SUX! | -0.5461",
        "'Today only kinda sux! But I''ll get by, lol' | 0.5249",
        "Make sure you :) or :D today! | 0.8633",
        "Not bad at all | 0.431"
    })
    void scoresVadersReadmeExamples(String sentence, double compound) {
        assertThat(SentimentAnalyzer.score(sentence).compound()).isCloseTo(compound, within(0.005));
    }

    @Test
    void readsEmojiByTheirNames() {
        assertThat(SentimentAnalyzer.score("Catch utf-8 emoji such as \uD83D\uDC98 and \uD83D\uDC8B and \uD83D\uDE01").compound())
                .isGreaterThan(0.5); // kiss mark, grinning face with smiling eyes (VADER's README: 0.70 with its newer lexicon)
        assertThat(SentimentAnalyzer.classify("\uD83D\uDE00").prediction()).isEqualTo("positive");
        assertThat(SentimentAnalyzer.classify("Exam results are out \uD83D\uDE22").prediction()).isEqualTo("negative");
        assertThat(SentimentAnalyzer.classify("Thumbs up \uD83D\uDC4D\uD83C\uDFFD").details().get("tokens").asInt())
                .isGreaterThan(2); // the skin-tone modifier is dropped, the name read
        assertThat(Emoji.describe("ok \uD83D\uDE00!")).contains("grinning face");
    }

    @Test
    void loadsVadersWholeLexicon() {
        assertThat(VaderLexicon.size()).isGreaterThan(7_500);
        assertThat(VaderLexicon.valence("good")).isEqualTo(1.9);
        assertThat(VaderLexicon.valence(":)")).isEqualTo(2.0);
    }

    @Test
    void classifiesAtLeast90PercentOfTheLabelledSet() {
        List<LabelledText> set = LabelledText.read("sentiment/labelled.tsv");
        assertThat(set).hasSizeGreaterThanOrEqualTo(100);
        assertThat(set).extracting(LabelledText::label).contains("positive", "negative", "neutral");
        List<String> wrong = new ArrayList<>();
        for (LabelledText sentence : set) {
            Classification result = SentimentAnalyzer.classify(sentence.text());
            if (!result.prediction().equals(sentence.label())) {
                wrong.add(sentence.label() + " -> " + result.prediction() + ": " + sentence.text());
            }
        }
        double accuracy = 1 - wrong.size() / (double) set.size();
        assertThat(accuracy).as("wrong: %s", wrong).isGreaterThanOrEqualTo(0.90);
    }
}
