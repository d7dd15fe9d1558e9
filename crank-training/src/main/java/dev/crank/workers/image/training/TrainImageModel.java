package dev.crank.workers.image.training;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.crank.workers.image.ImageFeatures;
import dev.crank.workers.image.ImageModel;
import dev.crank.workers.image.ModelSpec;
import dev.crank.workers.image.OfflineDjl;
import dev.crank.workers.tools.Progress;
import dev.crank.workers.tools.Terminal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the default image-category model with a fixed seed: generates labelled images
 * ({@link SyntheticImages}), computes their {@link ImageFeatures}, trains a small perceptron with
 * DJL's training API on the PyTorch engine, writes the model directory and evaluates it on freshly
 * generated images of another seed.
 *
 * <pre>
 * java -cp crank-runtime/target/crank-runtime.jar dev.crank.workers.image.training.TrainImageModel \
 *      --out crank-workers/src/main/resources/dev/crank/workers/image/model
 * </pre>
 *
 * Options (defaults): {@code --seed 42 --per-label 350 --epochs 100 --hidden 96,48 --threads 2
 * --eval-seed 20261 --eval-per-label 100 --version 1.0.0}.
 */
public final class TrainImageModel {

    private static final Logger logger = LoggerFactory.getLogger(TrainImageModel.class);

    private TrainImageModel() {}

    public static void main(String[] args) throws Exception {
        OfflineDjl.configure();
        Options options = Options.parse(args);
        Path out = Path.of(options.value("--out", "crank-workers/src/main/resources/dev/crank/workers/image/model"));
        long seed = Long.parseLong(options.value("--seed", "42"));
        int perLabel = Integer.parseInt(options.value("--per-label", "350"));
        int epochs = Integer.parseInt(options.value("--epochs", "100"));
        int threads = Integer.parseInt(options.value("--threads", "2"));
        List<Integer> hidden = java.util.Arrays.stream(options.value("--hidden", "96,48").split(","))
                .map(String::strip).map(Integer::parseInt).toList();
        String version = options.value("--version", "1.0.0");

        long started = System.nanoTime();
        ImageDataset data = ImageDataset.generate(seed, perLabel, threads, ImageFeatures::extract);
        long generated = System.nanoTime();
        Report.line("generated %d training images (%d per label, seed %d) in %.1f s", data.size(), perLabel, seed,
                (generated - started) / 1e9);

        float[] mean = new float[ImageFeatures.COUNT];
        float[] std = new float[ImageFeatures.COUNT];
        statistics(data.inputs(), mean, std);
        ModelSpec spec = new ModelSpec("crank-image-category", version, ModelSpec.Format.DJL, ModelSpec.Input.FEATURES,
                SyntheticImages.LABELS, hidden, ImageFeatures.VERSION, mean, std, 1, 1,
                new float[] {0, 0, 0}, new float[] {1, 1, 1}, true);

        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        try (Model model = Model.newInstance(spec.name(), "PyTorch")) {
            model.setBlock(ImageModel.perceptron(hidden, SyntheticImages.LABELS.size()));
            train(model, data, spec, epochs, seed);
            Files.createDirectories(out);
            model.setProperty("Epoch", "0");
            model.save(out, ModelSpec.PREFIX);
        }
        spec.write(out);
        Report.line("trained %d epochs in %.1f s; wrote %s", epochs, (System.nanoTime() - generated) / 1e9, out.toAbsolutePath());

        long evalSeed = Long.parseLong(options.value("--eval-seed", "20261"));
        int evalPerLabel = Integer.parseInt(options.value("--eval-per-label", "100"));
        EvaluateImageModel.evaluate(out, evalSeed, evalPerLabel, threads);
        Report.line("total %.1f s", (System.nanoTime() - started) / 1e9);
    }

    private static void train(Model model, ImageDataset data, ModelSpec spec, int epochs, long seed) throws Exception {
        NDManager manager = model.getNDManager();
        int n = data.size();
        int features = ImageFeatures.COUNT;
        float[] flat = new float[n * features];
        float[] targets = new float[n];
        for (int i = 0; i < n; i++) {
            float[] row = ImageModel.standardise(data.inputs()[i], spec.featureMean(), spec.featureStd());
            System.arraycopy(row, 0, flat, i * features, features);
            targets[i] = data.labels()[i];
        }
        NDArray x = manager.create(flat, new Shape(n, features));
        NDArray y = manager.create(targets, new Shape(n));
        ArrayDataset dataset = new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(64, true).build();

        int steps = epochs * ((n + 63) / 64);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optInitializer(new XavierInitializer(), "weight")
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.cosine().setBaseValue(0.003f).optFinalValue(0.0001f)
                                .setMaxUpdates(steps).build())
                        .optWeightDecays(0.0005f)
                        .build());
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(64, features));
            Progress progress = Progress.toStderr("training", epochs, "epochs");
            for (int epoch = 1; epoch <= epochs; epoch++) {
                for (Batch batch : trainer.iterateDataset(dataset)) {
                    EasyTrain.trainBatch(trainer, batch);
                    trainer.step();
                    batch.close();
                }
                if (epoch == 1 || epoch % 20 == 0 || epoch == epochs) {
                    try (NDManager scratch = manager.newSubManager()) {
                        NDArray logits = trainer.evaluate(new NDList(x)).singletonOrThrow();
                        float loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), new NDList(logits)).getFloat();
                        float accuracy = logits.argMax(1).toType(DataType.FLOAT32, false).eq(y).sum().getLong() / (float) n;
                        logits.attach(scratch);
                        Report.line("epoch %3d  loss %.4f  training accuracy %.4f", epoch, loss, accuracy);
                    }
                }
                progress.step();
            }
            progress.finish();
        }
        logger.debug("trained on {} samples with seed {}", n, seed);
    }

    private static void statistics(float[][] rows, float[] mean, float[] std) {
        int n = rows.length;
        for (float[] row : rows) {
            for (int f = 0; f < mean.length; f++) {
                mean[f] += row[f] / n;
            }
        }
        for (float[] row : rows) {
            for (int f = 0; f < std.length; f++) {
                std[f] += (row[f] - mean[f]) * (row[f] - mean[f]) / n;
            }
        }
        for (int f = 0; f < std.length; f++) {
            std[f] = (float) Math.sqrt(std[f]);
        }
    }

    /** {@code --name value} pairs. */
    record Options(java.util.Map<String, String> values) {
        static Options parse(String[] args) {
            java.util.Map<String, String> values = new java.util.HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
                }
                values.put(args[i], args[++i]);
            }
            return new Options(values);
        }

        String value(String name, String fallback) {
            return values.getOrDefault(name, fallback);
        }
    }

    /** The training and evaluation tools print their results for the operator who ran them. */
    static final class Report {
        private Report() {}

        @SuppressWarnings("java:S106")
        static void line(String format, Object... args) {
            Terminal.line(format, args);
        }
    }
}
