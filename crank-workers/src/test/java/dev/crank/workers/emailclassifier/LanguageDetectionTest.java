package dev.crank.workers.emailclassifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The language detector on a test set written for it (21 languages x 5 sentences) and on short inputs. */
class LanguageDetectionTest {

    @Test
    void detectsAtLeast95PercentOfTheTestSet() {
        List<LabelledText> set = LabelledText.read("language/test-set.tsv");
        Map<String, Long> perLanguage = set.stream().collect(Collectors.groupingBy(LabelledText::label, TreeMap::new,
                Collectors.counting()));
        assertThat(perLanguage).hasSizeGreaterThanOrEqualTo(20).containsKeys("bg", "sr", "uk", "ru", "el", "ar", "he",
                "hi", "ja", "zh", "ko");
        assertThat(perLanguage.values()).allMatch(n -> n >= 5);

        List<String> wrong = new ArrayList<>();
        for (LabelledText sentence : set) {
            Classification result = LanguageDetector.classify(sentence.text());
            if (!result.prediction().equals(sentence.label())) {
                wrong.add(sentence.label() + " -> " + result.prediction() + ": " + sentence.text());
            }
        }
        double accuracy = 1 - wrong.size() / (double) set.size();
        assertThat(accuracy).as("wrong: %s", wrong).isGreaterThanOrEqualTo(0.95);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "thank you | en", "hello there | en", "ok | en", "merci beaucoup | fr", "vielen Dank | de", "gracias amigo | es",
        "ciao bella | it", "obrigado | pt", "tot ziens | nl", "hej då | sv", "Спасибо большое | ru", "Дякую | uk",
        "Благодаря | bg", "Хвала лепо | sr", "Ευχαριστώ πολύ | el", "شكرا جزيلا | ar", "תודה רבה | he", "धन्यवाद | hi",
        "see you soon | en", "bis bald | de"
    })
    void shortInputsAreUndeterminedOrRightOrUnsure(String text, String language) {
        Classification result = LanguageDetector.classify(text);

        assertThat(text.split(" ")).hasSizeLessThanOrEqualTo(3);
        if (!result.prediction().equals(language)) {
            assertThat(result.prediction()).as("%s: %s", text, result.details()).isEqualTo(LanguageDetector.UNDETERMINED);
        }
        if (result.prediction().equals(LanguageDetector.UNDETERMINED)) {
            assertThat(result.confidence()).isZero();
        }
    }

    @Test
    void answersTopThreeAlternativesWithCalibratedConfidences() {
        Classification result = LanguageDetector.classify("Ich bin bis Montag im Urlaub und lese meine E-Mails nicht, "
                + "in dringenden Fällen wenden Sie sich bitte an das Sekretariat.");

        assertThat(result.prediction()).isEqualTo("de");
        assertThat(result.confidence()).isGreaterThan(0.9);
        JsonNode alternatives = result.details().get("alternatives");
        assertThat(alternatives).hasSize(3);
        assertThat(alternatives.get(0).get("language").asText()).isEqualTo("de");
        double sum = 0;
        for (JsonNode alternative : alternatives) {
            sum += alternative.get("confidence").asDouble();
        }
        assertThat(sum).isLessThanOrEqualTo(1.0001);
        assertThat(result.details().get("algorithm").asText()).isEqualTo("opennlp_langdetect");
    }

    @Test
    void keepsTheScriptRuleForCjk() {
        assertThat(LanguageDetector.classify("漢字").prediction()).isEqualTo("zh");
        assertThat(LanguageDetector.classify("ありがとう").prediction()).isEqualTo("ja");
        assertThat(LanguageDetector.classify("감사합니다").prediction()).isEqualTo("ko");
        assertThat(LanguageDetector.classify("감사합니다").details().get("algorithm").asText()).isEqualTo("unicode_script");
    }

    @Test
    void mapsTheModelsCodesToIso6391WhereOneExists() {
        assertThat(LanguageDetector.iso6391("eng")).isEqualTo("en");
        assertThat(LanguageDetector.iso6391("heb")).isEqualTo("he");
        assertThat(LanguageDetector.iso6391("ind")).isEqualTo("id");
        assertThat(LanguageDetector.iso6391("cmn")).isEqualTo("zh");
        assertThat(LanguageDetector.iso6391("pes")).isEqualTo("fa");
        assertThat(LanguageDetector.iso6391("nob")).isEqualTo("nb");
        assertThat(LanguageDetector.iso6391("nan")).isEqualTo("nan"); // Min Nan has no ISO 639-1 code
        assertThat(LanguageDetector.iso6391("war")).isEqualTo("war");
    }
}
