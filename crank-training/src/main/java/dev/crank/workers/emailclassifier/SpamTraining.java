package dev.crank.workers.emailclassifier;

import dev.crank.workers.mail.EmailParser;
import dev.crank.workers.mail.ParseOptions;
import dev.crank.workers.mail.ParsedEmail;
import dev.crank.workers.mail.SpamAssassinCorpus.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import opennlp.tools.doccat.BagOfWordsFeatureGenerator;
import opennlp.tools.doccat.DoccatFactory;
import opennlp.tools.doccat.DoccatModel;
import opennlp.tools.doccat.DocumentCategorizerME;
import opennlp.tools.doccat.DocumentCategorizerEventStream;
import opennlp.tools.doccat.DocumentSample;
import opennlp.tools.doccat.FeatureGenerator;
import opennlp.tools.ml.EventTrainer;
import opennlp.tools.ml.TrainerFactory;
import opennlp.tools.ml.maxent.quasinewton.QNTrainer;
import opennlp.tools.ml.model.MaxentModel;
import opennlp.tools.util.CollectionObjectStream;
import opennlp.tools.util.TrainingParameters;

/** Fitting the spam model: features of corpus samples, one deterministic OpenNLP training run. */
final class SpamTraining {

    /** One labelled message as the model sees it. */
    record Example(String id, boolean spam, List<String> features) {}

    /**
     * A message twice: whole, and as only its subject and body text, the way a caller who sends a bare
     * body presents it. Training on both keeps the model from leaning on headers alone.
     */
    record Pair(Example message, Example bodyOnly) {}

    /** The hyper-parameters of one fit. */
    record Settings(double l2Cost, double l1Cost, int cutoff, int iterations) {
        static Settings defaults() {
            return new Settings(0.1, 0.0, 2, 300);
        }

        TrainingParameters parameters() {
            TrainingParameters parameters = new TrainingParameters();
            parameters.put(TrainingParameters.ALGORITHM_PARAM, QNTrainer.MAXENT_QN_VALUE);
            parameters.put(QNTrainer.L2COST_PARAM, l2Cost);
            parameters.put(QNTrainer.L1COST_PARAM, l1Cost);
            parameters.put(TrainingParameters.CUTOFF_PARAM, cutoff);
            parameters.put(TrainingParameters.ITERATIONS_PARAM, iterations);
            parameters.put(QNTrainer.THREADS_PARAM, 1); // one thread: the same fit on every run
            return parameters;
        }

        String describe() {
            return "OpenNLP MAXENT_QN L2Cost=" + l2Cost + " L1Cost=" + l1Cost + " Cutoff=" + cutoff + " Iterations=" + iterations;
        }
    }

    private SpamTraining() {}

    static List<Example> examples(List<Sample> samples) {
        return pairs(samples).stream().map(Pair::message).toList();
    }

    static List<Pair> pairs(List<Sample> samples) {
        List<Pair> pairs = new ArrayList<>(samples.size());
        for (Sample sample : samples) {
            String id = sample.folder() + "/" + sample.file();
            ParsedEmail email = EmailParser.parse(sample.raw(), ParseOptions.defaults());
            pairs.add(new Pair(new Example(id, sample.isSpam(), SpamFeatures.of(email, Optional.empty())),
                    new Example(id + "#body", sample.isSpam(), SpamFeatures.of(bodyOnly(email), Optional.empty()))));
        }
        return pairs;
    }

    /** The message as a caller would send it without headers: its subject and body text. */
    static ParsedEmail bodyOnly(ParsedEmail email) {
        return ParsedEmail.ofPlainText(email.subject(), email.bodyText());
    }

    /** Both members of every pair, message first. */
    static List<Example> flatten(List<Pair> pairs) {
        List<Example> examples = new ArrayList<>(pairs.size() * 2);
        pairs.forEach(pair -> {
            examples.add(pair.message());
            examples.add(pair.bodyOnly());
        });
        return examples;
    }

    static DoccatModel fit(List<Example> examples, Settings settings, Map<String, String> manifest) {
        List<DocumentSample> samples = examples.stream()
                .map(e -> new DocumentSample(e.spam() ? SpamModel.SPAM : SpamModel.HAM, e.features().toArray(String[]::new)))
                .toList();
        DoccatFactory factory = new DoccatFactory(new FeatureGenerator[] {new BagOfWordsFeatureGenerator()});
        Map<String, String> entries = new HashMap<>(manifest);
        try {
            EventTrainer trainer = TrainerFactory.getEventTrainer(settings.parameters(), entries);
            MaxentModel maxent = trainer.train(new DocumentCategorizerEventStream(new CollectionObjectStream<>(samples),
                    factory.getFeatureGenerators()));
            return new DoccatModel("en", maxent, entries, factory);
        } catch (IOException e) { // the samples are in memory
            throw new UncheckedIOException(e);
        }
    }

    static double[] probabilities(DoccatModel model, List<Example> examples) {
        DocumentCategorizerME categorizer = new DocumentCategorizerME(model);
        int spam = categorizer.getIndex(SpamModel.SPAM);
        double[] probabilities = new double[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            probabilities[i] = categorizer.categorize(examples.get(i).features().toArray(String[]::new))[spam];
        }
        return probabilities;
    }
}
