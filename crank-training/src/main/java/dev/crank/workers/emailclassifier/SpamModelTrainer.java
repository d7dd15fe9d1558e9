package dev.crank.workers.emailclassifier;

import dev.crank.workers.emailclassifier.SpamTraining.Example;
import dev.crank.workers.emailclassifier.SpamTraining.Pair;
import dev.crank.workers.emailclassifier.SpamTraining.Settings;
import dev.crank.workers.mail.SpamAssassinCorpus;
import dev.crank.workers.tools.Progress;
import dev.crank.workers.tools.Terminal;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import opennlp.tools.doccat.DoccatModel;

/**
 * Trains the spam model on the {@code -1} folders of the SpamAssassin corpus only and writes it where
 * the worker loads it from. Deterministic: the same corpus gives the same weights (one training thread,
 * examples in file-name order, folds by position).
 *
 * <p>Each message is learnt twice, whole and as only its subject and body text (what a caller who sends a
 * bare body gives the worker), so the model does not lean on headers alone. The decision threshold comes
 * from 5-fold cross-validation on the {@code -1} folders: each whole message is scored by a model that did
 * not see it or its twin, and the threshold (0.05 to 0.95 in steps of 0.05) that
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
        List<Pair> pairs = SpamTraining.pairs(corpus.read(TRAINING_FOLDERS));
        List<Example> messages = pairs.stream().map(Pair::message).toList();
        long spam = messages.stream().filter(Example::spam).count();
        Terminal.line("training set: %s, %d messages (%d spam, %d ham), each also as subject + body only",
                TRAINING_FOLDERS, messages.size(), spam, messages.size() - spam);

        Settings settings = Settings.defaults();
        double[][] outOfFold = crossValidate(pairs, settings);
        double threshold = chooseThreshold(messages, outOfFold[0]);
        Terminal.line("%d-fold cross-validation on -1, threshold %.2f:%n  messages:          %s%n"
                + "  subject + body:    %s", FOLDS, threshold, Metrics.of(messages, outOfFold[0], threshold).summary(),
                Metrics.of(pairs.stream().map(Pair::bodyOnly).toList(), outOfFold[1], threshold).summary());

        Map<String, String> manifest = new LinkedHashMap<>();
        manifest.put(SpamModel.THRESHOLD_PROPERTY, Double.toString(threshold));
        manifest.put(SpamModel.DESCRIPTION_PROPERTY, settings.describe() + "; trained on " + TRAINING_FOLDERS + " ("
                + messages.size() + " messages, each also as subject + body only); threshold by " + FOLDS
                + "-fold CV on the same folders");
        DoccatModel model = SpamTraining.fit(SpamTraining.flatten(pairs), settings, manifest);
        Files.createDirectories(output.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(output)) {
            model.serialize(out);
        }
        Terminal.line("model written to %s (%d bytes) in %.0f s", output, Files.size(output),
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * Scores every message, and its body-only twin, with a model fitted on the other folds (fold = position
     * modulo {@link #FOLDS}; a message and its twin always share a fold). Returns {messages, bodies}.
     */
    static double[][] crossValidate(List<Pair> pairs, Settings settings) {
        double[][] scores = new double[2][pairs.size()];
        Progress progress = Progress.toStderr("cross-validation", FOLDS, "folds");
        for (int fold = 0; fold < FOLDS; fold++) {
            List<Pair> training = new ArrayList<>();
            List<Example> heldMessages = new ArrayList<>();
            List<Example> heldBodies = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                if (i % FOLDS == fold) {
                    heldMessages.add(pairs.get(i).message());
                    heldBodies.add(pairs.get(i).bodyOnly());
                } else {
                    training.add(pairs.get(i));
                }
            }
            DoccatModel model = SpamTraining.fit(SpamTraining.flatten(training), settings, Map.of());
            double[] messageScores = SpamTraining.probabilities(model, heldMessages);
            double[] bodyScores = SpamTraining.probabilities(model, heldBodies);
            for (int j = 0; j < messageScores.length; j++) {
                scores[0][j * FOLDS + fold] = messageScores[j];
                scores[1][j * FOLDS + fold] = bodyScores[j];
            }
            progress.step();
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
