package dev.crank.workers.image.training;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.crank.workers.image.ImageClassification;
import dev.crank.workers.image.ImageModel;
import dev.crank.workers.image.ModelSpec;
import dev.crank.workers.image.OfflineDjl;
import dev.crank.workers.image.Pixels;
import dev.crank.workers.image.training.RealImageSet.Sample;
import dev.crank.workers.image.training.RealImageSet.Split;
import dev.crank.workers.tools.Progress;
import dev.crank.workers.tools.Terminal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Trains the default image-category model with fixed seeds: a small convolutional network
 * ({@link ImageModel#network}) on the {@code train} part of the set {@link BuildImageSet} made (plus a few
 * synthetic paintings per label), classes balanced by oversampling, with {@code --augment true} each image
 * freshly cropped, mirrored and toned each time it is shown ({@link Augment}); then fits the softmax
 * temperature on the {@code calibration} part (least negative log-likelihood) and evaluates on {@code test}.
 * With {@code --smoothing 0.1} the loss's targets are smoothed (0.9 on the true label, the rest shared), which keeps
 * the network from growing sure of itself as it fits; with {@code --keep best} the weights of the epoch whose
 * calibration-part log-likelihood (at its own fitted temperature) is least are kept instead of the last epoch's.
 *
 * <pre>
 * tools/crank-training.sh dev.crank.workers.image.training.TrainImageModel \
 *     --set corpora/image-set --out crank-workers/src/main/resources/dev/crank/workers/image/model
 * </pre>
 *
 * Options (defaults): {@code --seed 42 --epochs 24 --synthetic 40 --augment false --crop-min 0.75 --boost ""
 * --smoothing 0 --mixup 0 --outliers 0 --keep last --train-on train --threads 2 --version 2.0.1 --size 64 --conv 16,32,64,64 --conv-stride 1}:
 * {@code --size} is the side of the network's square input, {@code --conv} its convolutions' channels, {@code --conv-stride}
 * the first convolution's stride (2: a 128 x 128 input at about the cost of a 64 x 64 one). {@code --outliers 0.15} adds to each
 * batch that share of pictures of none of the labels ({@link OutlierPainter}) with an even target over the labels
 * (outlier exposure: the network learns to say little about what it was never shown). {@code --mixup 0.2} blends each training
 * image and its target with another's ({@link Mixup}, α = 0.2). {@code --crop-min} is the least share of each side an augmenting crop keeps;
 * {@code --boost screenshot=1.5,photo=1.5} shows those labels' images that many times as often as the others
 * (class weights by oversampling; the temperature is still fitted on the calibration part as it comes).
 * {@code --train-on train,test} also trains on the test part (a recipe chosen on it, retrained on more sources); the model is
 * then evaluated on the fresh part instead; {@code --train-on train,test,fresh} trains on that too and is evaluated on the
 * unseen part, and so on ({@link RealImageSet#HELD_OUT}).
 */
public final class TrainImageModel {

    static final List<String> LABELS = SyntheticImages.LABELS;

    private TrainImageModel() {}

    /** The network the default model uses: 64x64 RGB plus the aspect plane, four convolutions, one hidden layer. */
    static ModelSpec spec(String version) {
        return spec(version, 64, List.of(16, 32, 64, 64), 1);
    }

    /** The default network's kind on a {@code size} x {@code size} input with these convolutions, the first of that stride. */
    static ModelSpec spec(String version, int size, List<Integer> conv, int convStride) {
        return new ModelSpec("crank-image-category", version, ModelSpec.Format.DJL, LABELS, conv, convStride, 1,
                List.of(64), size, size, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}, true, true, 1f);
    }

    public static void main(String[] args) throws Exception {
        OfflineDjl.configure();
        Options options = Options.parse(args);
        Path set = Path.of(options.value("--set", "corpora/image-set"));
        Path out = Path.of(options.value("--out", "crank-workers/src/main/resources/dev/crank/workers/image/model"));
        long seed = Long.parseLong(options.value("--seed", "42"));
        int epochs = Integer.parseInt(options.value("--epochs", "24"));
        int synthetic = Integer.parseInt(options.value("--synthetic", "40"));
        int threads = Integer.parseInt(options.value("--threads", "2"));
        boolean augment = Boolean.parseBoolean(options.value("--augment", "false"));
        double cropMin = Double.parseDouble(options.value("--crop-min", String.valueOf(Augment.DEFAULT_MIN_CROP)));
        String boostOption = options.value("--boost", "");
        float smoothing = Float.parseFloat(options.value("--smoothing", "0"));
        if (!(smoothing >= 0 && smoothing < 0.5f)) {
            throw new IllegalArgumentException("--smoothing: " + smoothing + " (expected 0 to under 0.5)");
        }
        double mixup = Double.parseDouble(options.value("--mixup", "0"));
        if (!(mixup >= 0 && mixup <= 2)) {
            throw new IllegalArgumentException("--mixup: " + mixup + " (expected an α of 0 (off) to 2)");
        }
        double outliers = Double.parseDouble(options.value("--outliers", "0"));
        if (outliers < 0 || outliers > 0.5) {
            throw new IllegalArgumentException("--outliers: " + outliers + " (expected a share of each batch of 0 (off) to 0.5)");
        }
        String keep = options.value("--keep", "last");
        if (!keep.equals("last") && !keep.equals("best")) {
            throw new IllegalArgumentException("--keep: '" + keep + "' (expected last or best)");
        }
        double[] boost = boosts(boostOption);
        int size = Integer.parseInt(options.value("--size", "64"));
        if (size < 32 || size > 256) {
            throw new IllegalArgumentException("--size: " + size + " (expected 32-256 pixels)");
        }
        String convOption = options.value("--conv", "16,32,64,64");
        List<Integer> conv = java.util.Arrays.stream(convOption.split(",")).map(String::strip).map(Integer::valueOf).toList();
        int convStride = Integer.parseInt(options.value("--conv-stride", "1"));
        if (convStride != 1 && convStride != 2) {
            throw new IllegalArgumentException("--conv-stride: " + convStride + " (expected 1 or 2)");
        }
        if (conv.isEmpty() || conv.stream().anyMatch(channels -> channels < 1 || channels > 512)
                || size / convStride >> conv.size() < 1) {
            throw new IllegalArgumentException("--conv: '" + convOption + "' (expected 1-512 channels per convolution, one 2x2"
                    + " pooling each, no more of them than the input size halves)");
        }
        ModelSpec spec = spec(options.value("--version", "2.0.1"), size, conv, convStride);
        String trainOnOption = options.value("--train-on", "train");
        EnumSet<Split> trainOn = EnumSet.noneOf(Split.class);
        for (String part : trainOnOption.split(",")) {
            trainOn.add(Split.valueOf(part.strip().toUpperCase(Locale.ROOT)));
        }
        // The held-out parts in the order they were built: training takes a prefix of them, the next one judges it.
        List<Split> heldOut = RealImageSet.HELD_OUT;
        int taken = 0;
        while (taken < heldOut.size() && trainOn.contains(heldOut.get(taken))) {
            taken++;
        }
        if (!trainOn.contains(Split.TRAIN) || trainOn.contains(Split.CALIBRATION) || taken == heldOut.size()
                || trainOn.size() != taken + 1) {
            throw new IllegalArgumentException("--train-on: '" + trainOnOption + "' (expected train, then held-out parts"
                    + " in the order they were built, " + heldOut + ", leaving the last: the calibration part fits the"
                    + " temperature and the next held-out part is the unbiased check)");
        }
        Split evaluated = heldOut.get(taken);

        long started = System.nanoTime();
        List<Sample> train = new ArrayList<>();
        for (Split part : trainOn) {
            train.addAll(RealImageSet.read(set, part));
        }
        List<Sample> calibration = RealImageSet.read(set, Split.CALIBRATION);
        List<Pixels> x = new ArrayList<>(List.of(SetInputs.workings(train, threads)));
        List<Integer> y = new ArrayList<>();
        train.forEach(sample -> y.add(LABELS.indexOf(sample.label())));
        for (String label : LABELS) {
            for (int i = 0; i < synthetic; i++) {
                x.add(Pixels.of(SyntheticImages.generate(label, seed, i), ImageClassification.WORKING_SIZE));
                y.add(LABELS.indexOf(label));
            }
        }
        float[][] calibrationInputs = SetInputs.of(calibration, spec, threads);
        int[] calibrationLabels = calibration.stream().mapToInt(sample -> LABELS.indexOf(sample.label())).toArray();
        Report.line("prepared %d training inputs (%d real, %d synthetic) and %d calibration inputs in %.1f s", x.size(),
                train.size(), x.size() - train.size(), calibration.size(), (System.nanoTime() - started) / 1e9);

        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        java.nio.file.Files.createDirectories(out);
        Kept kept;
        try (Model model = Model.newInstance(spec.name(), "PyTorch")) {
            model.setBlock(ImageModel.network(spec));
            kept = train(model, spec, x, y, new Schedule(epochs, seed, augment, cropMin, boost, smoothing, mixup,
                    outliers, keep.equals("best")),
                    calibrationInputs, calibrationLabels, out);
        }
        spec.withTemperature(kept.temperature()).write(out, "Written by dev.crank.workers.image.training.TrainImageModel (crank-training)"
                + " --version " + spec.version() + " --size " + size + " --conv " + convOption + " --conv-stride " + convStride
                + (trainOn.size() > 1 ? " --train-on " + trainOnOption.replace(" ", "") : "") + " --seed " + seed + " --epochs " + epochs + " --synthetic " + synthetic + " --augment " + augment
                + (augment ? " --crop-min " + cropMin : "") + (boostOption.isEmpty() ? "" : " --boost " + boostOption)
                + (smoothing > 0 ? " --smoothing " + smoothing : "") + (mixup > 0 ? " --mixup " + mixup : "")
                + (outliers > 0 ? " --outliers " + outliers : "") + " --keep " + keep
                + "\non the set of tools/build-image-set.sh (weights of epoch " + kept.epoch() + " of " + epochs
                + "); see docs/workers/image-classifier.md");
        Report.line("trained in %.1f s; kept epoch %d (calibration nll %.4f); temperature %.2f; wrote %s",
                (System.nanoTime() - started) / 1e9, kept.epoch(), kept.nll(), kept.temperature(), out.toAbsolutePath());
        if (java.nio.file.Files.isDirectory(set.resolve(evaluated.dir()))) {
            EvaluateImageModel.report(out, set, evaluated, threads);
        } else {
            Report.line("no %s part in %s: not evaluated (tools/build-image-set.sh builds it)", evaluated.dir(), set);
        }
    }

    /**
     * How the network is shown its training images: epochs, seed, augmentation, per-label oversampling, the
     * label smoothing of the loss's targets, and whether the best epoch (calibration part) is kept or the last.
     */
    record Schedule(int epochs, long seed, boolean augment, double cropMin, double[] boost, float smoothing, double mixup,
                    double outliers, boolean keepBest) {}

    /** How many outlier pictures ({@link OutlierPainter}) are painted once and drawn from for every batch. */
    static final int OUTLIER_POOL = 600;

    /** The epoch whose weights were written, with its fitted temperature and calibration-part log-likelihood. */
    record Kept(int epoch, float temperature, double nll) {}

    /** Per label (in {@link #LABELS} order) how many times as often its images are shown; {@code label=factor,...}. */
    static double[] boosts(String option) {
        double[] boost = new double[LABELS.size()];
        java.util.Arrays.fill(boost, 1);
        for (String entry : option.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split("=", 2);
            int label = LABELS.indexOf(parts[0].strip());
            if (label < 0 || parts.length != 2) {
                throw new IllegalArgumentException("--boost: '" + entry + "' (expected: label=factor, labels " + LABELS + ")");
            }
            boost[label] = Double.parseDouble(parts[1].strip());
            if (!(boost[label] >= 1 && boost[label] <= 4)) {
                throw new IllegalArgumentException("--boost: '" + entry + "' (expected: a factor of 1-4)");
            }
        }
        return boost;
    }

    private static Kept train(Model model, ModelSpec spec, List<Pixels> x, List<Integer> y, Schedule schedule,
                              float[][] calibration, int[] calibrationLabels, Path out) throws Exception {
        int epochs = schedule.epochs();
        boolean augment = schedule.augment();
        int batchSize = 32;
        List<List<Integer>> byLabel = new ArrayList<>();
        LABELS.forEach(label -> byLabel.add(new ArrayList<>()));
        for (int i = 0; i < y.size(); i++) {
            byLabel.get(y.get(i)).add(i);
        }
        int perLabel = byLabel.stream().mapToInt(List::size).max().orElseThrow();
        int[] shown = new int[LABELS.size()];
        int perEpoch = 0;
        for (int label = 0; label < shown.length; label++) {
            shown[label] = (int) Math.round(perLabel * schedule.boost()[label]);
            perEpoch += shown[label];
        }
        int stepsPerEpoch = (perEpoch + batchSize - 1) / batchSize;
        // Dense targets (one row of label probabilities per image), so that they can be smoothed.
        DefaultTrainingConfig config = new DefaultTrainingConfig(
                        new SoftmaxCrossEntropyLoss("SoftmaxCrossEntropyLoss", 1, -1, false, true))
                .optInitializer(new XavierInitializer(), "weight")
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.cosine().setBaseValue(0.002f).optFinalValue(0.00005f)
                                .setMaxUpdates(epochs * stepsPerEpoch).build())
                        .optWeightDecays(0.0001f)
                        .build());
        Random random = new Random(schedule.seed());
        int plane = spec.channels() * spec.imageHeight() * spec.imageWidth();
        Shape one = new Shape(spec.channels(), spec.imageHeight(), spec.imageWidth());
        int classes = LABELS.size();
        float off = schedule.smoothing() / classes;
        float on = 1 - schedule.smoothing() + off;
        // Outlier exposure: a share of each batch are pictures of none of the labels, with an even target.
        int outliersPerBatch = (int) Math.round(batchSize * schedule.outliers());
        List<Pixels> outliers = new ArrayList<>();
        if (outliersPerBatch > 0) {
            Random painter = new Random(schedule.seed() ^ 0x0DDBA11L);
            for (int i = 0; i < OUTLIER_POOL; i++) {
                outliers.add(Pixels.of(OutlierPainter.paint(painter), ImageClassification.WORKING_SIZE));
            }
        }
        Kept kept = null;
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(batchSize).addAll(one));
            NDManager manager = trainer.getManager();
            Progress progress = Progress.toStderr("training", epochs, "epochs");
            for (int epoch = 1; epoch <= epochs; epoch++) {
                // Every label equally often (times its boost): each label's samples, shuffled, repeated up to the
                // largest label's count.
                List<Integer> order = new ArrayList<>();
                for (int label = 0; label < byLabel.size(); label++) {
                    List<Integer> shuffled = new ArrayList<>(byLabel.get(label));
                    Collections.shuffle(shuffled, random);
                    for (int i = 0; i < shown[label]; i++) {
                        order.add(shuffled.get(i % shuffled.size()));
                    }
                }
                Collections.shuffle(order, random);
                double lossSum = 0;
                int batches = 0;
                for (int start = 0; start < order.size(); start += batchSize) {
                    int real = Math.min(batchSize, order.size() - start);
                    int n = real + outliersPerBatch;
                    float[] data = new float[n * plane];
                    float[] labels = new float[n * classes];
                    java.util.Arrays.fill(labels, 0, real * classes, off);
                    java.util.Arrays.fill(labels, real * classes, n * classes, 1f / classes);
                    for (int i = 0; i < real; i++) {
                        int index = order.get(start + i);
                        Pixels working = augment ? Augment.of(x.get(index), random, schedule.cropMin()) : x.get(index);
                        System.arraycopy(ImageModel.prepare(working, spec), 0, data, i * plane, plane);
                        labels[i * classes + y.get(index)] = on;
                    }
                    if (schedule.mixup() > 0) {
                        Mixup.mix(data, labels, real, plane, classes, schedule.mixup(), random);
                    }
                    for (int i = real; i < n; i++) {
                        Pixels outlier = outliers.get(random.nextInt(outliers.size()));
                        Pixels working = augment ? Augment.of(outlier, random, schedule.cropMin()) : outlier;
                        System.arraycopy(ImageModel.prepare(working, spec), 0, data, i * plane, plane);
                    }
                    try (NDManager scratch = manager.newSubManager()) {
                        NDArray input = scratch.create(data, new Shape(n).addAll(one));
                        NDArray target = scratch.create(labels, new Shape(n, classes));
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(new NDList(input)).singletonOrThrow();
                            NDArray loss = trainer.getLoss().evaluate(new NDList(target), new NDList(logits));
                            collector.backward(loss);
                            lossSum += loss.getFloat();
                        }
                        trainer.step();
                    }
                    batches++;
                }
                float[][] logits = logits(trainer, calibration, one);
                float temperature = fitTemperature(logits, calibrationLabels);
                double fitted = nll(logits, calibrationLabels, temperature);
                boolean better = kept == null || fitted < kept.nll();
                if (schedule.keepBest() ? better : epoch == epochs) {
                    kept = new Kept(epoch, temperature, fitted);
                    model.setProperty("Epoch", "0");
                    model.save(out, ModelSpec.PREFIX);
                }
                Report.line("epoch %2d  training loss %.4f  calibration accuracy %.4f  nll %.4f (%.4f at temperature %.2f)%s",
                        epoch, lossSum / batches, accuracy(logits, calibrationLabels), nll(logits, calibrationLabels, 1f), fitted,
                        temperature, kept != null && kept.epoch() == epoch ? "  written" : "");
                progress.step();
            }
            progress.finish();
            return kept;
        }
    }

    /** The network's logits (inference mode: running batch-norm statistics, no dropout). */
    private static float[][] logits(Trainer trainer, float[][] inputs, Shape one) {
        float[][] out = new float[inputs.length][];
        int plane = (int) one.size();
        for (int start = 0; start < inputs.length; start += 64) {
            int n = Math.min(64, inputs.length - start);
            float[] data = new float[n * plane];
            for (int i = 0; i < n; i++) {
                System.arraycopy(inputs[start + i], 0, data, i * plane, plane);
            }
            try (NDManager scratch = trainer.getManager().newSubManager()) {
                NDArray result = trainer.evaluate(new NDList(scratch.create(data, new Shape(n).addAll(one)))).singletonOrThrow();
                float[] flat = result.toFloatArray();
                int classes = flat.length / n;
                for (int i = 0; i < n; i++) {
                    out[start + i] = java.util.Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
                }
                result.close();
            }
        }
        return out;
    }

    /**
     * The temperature in 0.25-8 (steps of 0.05) with the least negative log-likelihood (under 1 when the
     * loss's targets were smoothed: the network then learned to say less than it knows).
     */
    static float fitTemperature(float[][] logits, int[] labels) {
        return fitTemperature(logits, labels, 0.25f);
    }

    /** {@link #fitTemperature(float[][], int[])} of at least {@code least}. */
    static float fitTemperature(float[][] logits, int[] labels, float least) {
        float best = Math.max(1f, least);
        double bestNll = Double.MAX_VALUE;
        for (int step = Math.round(least / 0.05f); step <= 160; step++) {
            float t = step * 0.05f;
            double nll = nll(logits, labels, t);
            if (nll < bestNll) {
                bestNll = nll;
                best = t;
            }
        }
        return best;
    }

    static double nll(float[][] logits, int[] labels, float t) {
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (float v : logits[i]) {
                max = Math.max(max, v / t);
            }
            double z = 0;
            for (float v : logits[i]) {
                z += Math.exp(v / t - max);
            }
            sum -= logits[i][labels[i]] / t - max - Math.log(z);
        }
        return sum / Math.max(1, logits.length);
    }

    private static double accuracy(float[][] logits, int[] labels) {
        int right = 0;
        for (int i = 0; i < logits.length; i++) {
            int best = 0;
            for (int c = 1; c < logits[i].length; c++) {
                best = logits[i][c] > logits[i][best] ? c : best;
            }
            right += best == labels[i] ? 1 : 0;
        }
        return right / (double) Math.max(1, logits.length);
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

        static void line(String format, Object... args) {
            Terminal.line(format, args);
        }
    }
}
