package dev.crank.workers.emailclassifier;

import dev.crank.workers.emailclassifier.SpamTraining.Example;
import dev.crank.workers.emailclassifier.SpamTraining.Pair;
import dev.crank.workers.mail.SpamAssassinCorpus;
import dev.crank.workers.tools.Progress;
import dev.crank.workers.tools.Terminal;
import java.nio.file.Path;
import java.util.List;

/**
 * Evaluates the shipped spam model on the {@code -2} folders of the SpamAssassin corpus (never used in
 * training) and prints accuracy, spam precision and recall and the confusion matrix. Exits 1 when the
 * bar of the issue (accuracy at least 96 %, spam precision at least 98 %) is not met.
 *
 * <pre>
 * tools/fetch-corpora.sh
 * mvn -B -q -pl crank-runtime -am package -DskipTests
 * java -cp crank-runtime/target/crank-runtime.jar dev.crank.workers.emailclassifier.SpamModelEvaluation [corpus-dir]
 * </pre>
 */
public final class SpamModelEvaluation {

    static final List<String> EVALUATION_FOLDERS = List.of("easy-ham-2", "spam-2");
    static final double MIN_ACCURACY = 0.96;
    static final double MIN_PRECISION = 0.98;

    private SpamModelEvaluation() {}

    public static void main(String[] args) {
        Path corpusDir = args.length > 0 ? Path.of(args[0]) : SpamAssassinCorpus.locate();
        SpamModel model = SpamModel.load();
        Metrics metrics = evaluate(model, SpamAssassinCorpus.at(corpusDir));
        Terminal.line("model: %s", model.description());
        Terminal.line("evaluation set: %s, %d messages", EVALUATION_FOLDERS, metrics.total());
        Terminal.line("threshold: %.2f", model.threshold());
        Terminal.line("accuracy:        %.4f", metrics.accuracy());
        Terminal.line("spam precision:  %.4f", metrics.precision());
        Terminal.line("spam recall:     %.4f", metrics.recall());
        Terminal.line("spam F1:         %.4f", metrics.f1());
        Terminal.text(metrics.confusionMatrix());
        Metrics bodiesOnly = evaluateBodiesOnly(model, SpamAssassinCorpus.at(corpusDir));
        Terminal.line("the same messages as subject + body text only (no headers, no HTML; not part of the bar):%n  %s",
                bodiesOnly.summary());
        boolean passed = meetsBar(metrics);
        Terminal.line("%s", passed ? "bar met (accuracy >= 0.96, precision >= 0.98)" : "BAR NOT MET (accuracy >= 0.96, precision >= 0.98)");
        if (!passed) {
            System.exit(1);
        }
    }

    static Metrics evaluate(SpamModel model, SpamAssassinCorpus corpus) {
        List<Example> examples = SpamTraining.examples(corpus.read(EVALUATION_FOLDERS));
        double[] scores = new double[examples.size()];
        Progress progress = Progress.toStderr("scoring", scores.length, "messages");
        for (int i = 0; i < scores.length; i++) {
            scores[i] = model.spamProbability(examples.get(i).features());
            progress.step();
        }
        return Metrics.of(examples, scores, model.threshold());
    }

    /** What a caller who sends only a subject and a plain body gets: the model sees no header features. */
    static Metrics evaluateBodiesOnly(SpamModel model, SpamAssassinCorpus corpus) {
        List<Example> examples = SpamTraining.pairs(corpus.read(EVALUATION_FOLDERS)).stream().map(Pair::bodyOnly).toList();
        double[] scores = new double[examples.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = model.spamProbability(examples.get(i).features());
        }
        return Metrics.of(examples, scores, model.threshold());
    }

    static boolean meetsBar(Metrics metrics) {
        return metrics.accuracy() >= MIN_ACCURACY && metrics.precision() >= MIN_PRECISION;
    }
}
