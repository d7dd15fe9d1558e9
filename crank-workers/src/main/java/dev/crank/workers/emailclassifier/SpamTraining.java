package dev.crank.workers.emailclassifier;

import dev.crank.workers.emailparser.EmailParser;
import dev.crank.workers.emailparser.ParseOptions;
import dev.crank.workers.emailparser.SpamAssassinCorpus.Sample;
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
        List<Example> examples = new ArrayList<>(samples.size());
        for (Sample sample : samples) {
            examples.add(new Example(sample.folder() + "/" + sample.file(), sample.isSpam(),
                    SpamFeatures.of(EmailParser.parse(sample.raw(), ParseOptions.defaults()), Optional.empty())));
        }
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
