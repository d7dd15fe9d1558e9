package dev.crank.workers.emailclassifier;

import dev.crank.workers.emailclassifier.SpamTraining.Example;
import dev.crank.workers.emailclassifier.SpamTraining.Settings;
import dev.crank.workers.emailparser.SpamAssassinCorpus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import opennlp.tools.doccat.DoccatModel;

/**
 * Trains the spam model on the {@code -1} folders of the SpamAssassin corpus only and writes it where
 * the worker loads it from. Deterministic: the same corpus gives the same weights (one training thread,
 * examples in file-name order, folds by position).
 *
 * <p>The decision threshold comes from 5-fold cross-validation on the {@code -1} folders: each message
 * is scored by a model that did not see it, and the threshold (0.05 to 0.95 in steps of 0.05) that
 * minimises {@code 3 x false-positive rate + false-negative rate} wins — a ham marked spam costs three
 * missed spams, and the two rates weigh the classes equally whatever their share of the training set.
 * The {@code -2} folders are never read here.
 *
 * <pre>
 * tools/fetch-corpora.sh
 * mvn -B -q -pl crank-runtime -am package -DskipTests
 * java -cp crank-runtime/target/crank-runtime.jar dev.crank.workers.emailclassifier.SpamModelTrainer \
 *     [corpus-dir] [output-file]
 * </pre>
 */
public final class SpamModelTrainer {

    static final List<String> TRAINING_FOLDERS = List.of("easy-ham-1", "hard-ham-1", "spam-1");
    static final Path DEFAULT_OUTPUT = Path.of("crank-workers", "src", "main", "resources", "dev", "crank", "workers",
            "emailclassifier", "spam-model.bin");
    static final int FOLDS = 5;
    static final double FALSE_POSITIVE_COST = 3.0;

    private SpamModelTrainer() {}

    public static void main(String[] args) throws IOException {
        Path corpusDir = args.length > 0 ? Path.of(args[0]) : SpamAssassinCorpus.locate();
        Path output = args.length > 1 ? Path.of(args[1]) : DEFAULT_OUTPUT;
        SpamAssassinCorpus corpus = SpamAssassinCorpus.at(corpusDir);
        long started = System.nanoTime();
        List<Example> examples = SpamTraining.examples(corpus.read(TRAINING_FOLDERS));
        long spam = examples.stream().filter(Example::spam).count();
        System.out.printf(Locale.ROOT, "training set: %s, %d messages (%d spam, %d ham)%n", TRAINING_FOLDERS,
                examples.size(), spam, examples.size() - spam);

        Settings settings = Settings.defaults();
        double[] outOfFold = crossValidate(examples, settings);
        double threshold = chooseThreshold(examples, outOfFold);
        Metrics cv = Metrics.of(examples, outOfFold, threshold);
        System.out.printf(Locale.ROOT, "%d-fold cross-validation on -1, threshold %.2f: %s%n", FOLDS, threshold, cv.summary());

        Map<String, String> manifest = new LinkedHashMap<>();
        manifest.put(SpamModel.THRESHOLD_PROPERTY, Double.toString(threshold));
        manifest.put(SpamModel.DESCRIPTION_PROPERTY, settings.describe() + "; trained on " + TRAINING_FOLDERS + " ("
                + examples.size() + " messages); threshold by " + FOLDS + "-fold CV on the same folders");
        DoccatModel model = SpamTraining.fit(examples, settings, manifest);
        Files.createDirectories(output.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(output)) {
            model.serialize(out);
        }
        System.out.printf(Locale.ROOT, "model written to %s (%d bytes) in %.0f s%n", output, Files.size(output),
                (System.nanoTime() - started) / 1e9);
    }

    /** Scores every example with a model fitted on the other folds (fold = position modulo {@link #FOLDS}). */
    static double[] crossValidate(List<Example> examples, Settings settings) {
        double[] scores = new double[examples.size()];
        for (int fold = 0; fold < FOLDS; fold++) {
            List<Example> training = new ArrayList<>();
            List<Example> held = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                (i % FOLDS == fold ? held : training).add(examples.get(i));
            }
            double[] heldScores = SpamTraining.probabilities(SpamTraining.fit(training, settings, Map.of()), held);
            for (int j = 0; j < heldScores.length; j++) {
                scores[j * FOLDS + fold] = heldScores[j];
            }
        }
        return scores;
    }

    static double chooseThreshold(List<Example> examples, double[] scores) {
        double best = 0.5;
        double bestCost = Double.MAX_VALUE;
        for (int step = 1; step <= 19; step++) {
            double threshold = step * 0.05;
            Metrics metrics = Metrics.of(examples, scores, threshold);
            double cost = FALSE_POSITIVE_COST * metrics.falsePositiveRate() + metrics.falseNegativeRate();
            if (cost < bestCost - 1e-12) {
                bestCost = cost;
                best = threshold;
            }
        }
        return Math.round(best * 100) / 100.0;
    }
}
