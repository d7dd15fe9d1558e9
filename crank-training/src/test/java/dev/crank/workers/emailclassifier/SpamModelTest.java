package dev.crank.workers.emailclassifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.crank.workers.emailclassifier.SpamTraining.Example;
import dev.crank.workers.emailclassifier.SpamTraining.Settings;
import dev.crank.workers.mail.Fixtures;
import dev.crank.workers.mail.SpamAssassinCorpus.Sample;
import java.util.List;
import java.util.Map;
import opennlp.tools.doccat.DoccatModel;
import org.junit.jupiter.api.Test;

class SpamModelTest {

    private static final List<String> FIXTURES = List.of("easy-ham-1-00004", "easy-ham-1-00775", "easy-ham-1-02434",
            "easy-ham-2-00001", "easy-ham-2-00002", "spam-1-00001", "spam-2-00001", "spam-2-00002");

    @Test
    void theShippedModelLoadsWithItsThreshold() {
        SpamModel model = SpamModel.load();

        assertThat(model.threshold()).isStrictlyBetween(0.0, 1.0);
        assertThat(model.description()).contains("easy-ham-1", "hard-ham-1", "spam-1").doesNotContain("-2");
        assertThat(model.adjustedProbability(model.threshold())).isCloseTo(0.5, within(1e-9));
        assertThat(model.adjustedProbability(0.99)).isGreaterThan(0.5);
        assertThat(model.adjustedProbability(0.01)).isLessThan(0.5);
    }

    @Test
    void trainingIsDeterministic() {
        List<Example> examples = SpamTraining.examples(FIXTURES.stream()
                .map(name -> new Sample(name.substring(0, name.lastIndexOf('-')), name, Fixtures.corpus(name))).toList());
        Settings settings = new Settings(0.1, 0.0, 1, 50);

        DoccatModel first = SpamTraining.fit(examples, settings, Map.of());
        DoccatModel second = SpamTraining.fit(examples, settings, Map.of());

        assertThat(first.getMaxentModel()).isEqualTo(second.getMaxentModel());
        assertThat(SpamTraining.probabilities(first, examples)).containsExactly(SpamTraining.probabilities(second, examples));
        double[] fitted = SpamTraining.probabilities(first, examples);
        for (int i = 0; i < examples.size(); i++) {
            assertThat(fitted[i] >= 0.5).as(examples.get(i).id()).isEqualTo(examples.get(i).spam());
        }
    }

    @Test
    void choosesTheThresholdThatWeighsFalsePositivesThreeTimes() {
        List<Example> examples = List.of(example(false), example(false), example(false), example(true), example(true));
        // a ham at 0.42 and a spam at 0.38: below 0.40 the ham is a false positive, from 0.40 the spam is missed
        double[] scores = {0.05, 0.10, 0.42, 0.38, 0.90};

        assertThat(SpamModelTrainer.chooseThreshold(examples, scores)).isEqualTo(0.45);
        Metrics metrics = Metrics.of(examples, scores, 0.45);
        assertThat(metrics).isEqualTo(new Metrics(1, 0, 3, 1));
        assertThat(metrics.accuracy()).isEqualTo(0.8);
        assertThat(metrics.precision()).isEqualTo(1.0);
        assertThat(metrics.recall()).isEqualTo(0.5);
    }

    private static Example example(boolean spam) {
        return new Example(spam ? "spam" : "ham", spam, List.of());
    }
}
