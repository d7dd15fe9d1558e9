package dev.crank.workers.image.training;

import ai.djl.Device;
import dev.crank.workers.tools.Progress;
import dev.crank.workers.image.ImageDecoder;
import dev.crank.workers.image.ImageFeatures;
import dev.crank.workers.image.ImageModel;
import dev.crank.workers.image.OfflineDjl;
import dev.crank.workers.image.Pixels;
import dev.crank.workers.image.training.TrainImageModel.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Evaluates an image-category model on freshly generated images (a seed the model was not
 * trained on) and prints accuracy, the confusion matrix and throughput; or, with
 * {@code --files DIR}, classifies the PNG/JPEG/GIF/BMP files in a directory.
 *
 * <pre>
 * java -cp crank-runtime/target/crank-runtime.jar dev.crank.workers.image.training.EvaluateImageModel \
 *      [--model-dir DIR] [--seed 777] [--per-label 150] [--threads 2] [--files DIR]
 * </pre>
 * Without {@code --model-dir} the model in the jar is evaluated.
 */
public final class EvaluateImageModel {

    private EvaluateImageModel() {}

    public static void main(String[] args) throws Exception {
        OfflineDjl.configure();
        TrainImageModel.Options options = TrainImageModel.Options.parse(args);
        Path dir = options.values().containsKey("--model-dir") ? Path.of(options.value("--model-dir", "")) : null;
        if (options.values().containsKey("--files")) {
            try (ImageModel model = dir == null ? ImageModel.loadDefault(Device.cpu()) : ImageModel.load(dir, Device.cpu())) {
                classifyFiles(model, Path.of(options.value("--files", ".")));
            }
            return;
        }
        evaluate(dir, Long.parseLong(options.value("--seed", "777")), Integer.parseInt(options.value("--per-label", "150")),
                Integer.parseInt(options.value("--threads", "2")));
    }

    /** Prints accuracy and the confusion matrix of the model in {@code dir} (null: the one in the jar). */
    static double evaluate(Path dir, long seed, int perLabel, int threads) throws Exception {
        try (ImageModel model = dir == null ? ImageModel.loadDefault(Device.cpu()) : ImageModel.load(dir, Device.cpu())) {
            List<String> labels = SyntheticImages.LABELS;
            if (!model.spec().labels().equals(labels)) {
                throw new IllegalArgumentException("the model's labels " + model.spec().labels() + " are not " + labels);
            }
            long started = System.nanoTime();
            ImageDataset data = ImageDataset.generate(seed, perLabel, threads, model::prepare);
            long prepared = System.nanoTime();
            List<float[]> inputs = List.of(data.inputs());
            List<List<ImageModel.Prediction>> predictions = new ArrayList<>();
            Progress progress = Progress.toStderr("classifying", inputs.size(), "images");
            for (int i = 0; i < inputs.size(); i += 32) {
                predictions.addAll(model.classify(inputs.subList(i, Math.min(inputs.size(), i + 32))));
                progress.advance(Math.min(32, inputs.size() - i));
            }
            long classified = System.nanoTime();
            int[][] confusion = new int[labels.size()][labels.size()];
            int correct = 0;
            for (int i = 0; i < data.size(); i++) {
                int predicted = labels.indexOf(predictions.get(i).get(0).label());
                confusion[data.labels()[i]][predicted]++;
                correct += predicted == data.labels()[i] ? 1 : 0;
            }
            double accuracy = (double) correct / data.size();
            Report.line("held-out evaluation: %d fresh images (seed %d, %d per label)", data.size(), seed, perLabel);
            Report.line("accuracy %.4f (%d/%d)", accuracy, correct, data.size());
            StringBuilder header = new StringBuilder(String.format("%-12s", "true\\pred"));
            labels.forEach(label -> header.append(String.format("%11s", label)));
            Report.line("%s", header);
            for (int t = 0; t < labels.size(); t++) {
                StringBuilder row = new StringBuilder(String.format("%-12s", labels.get(t)));
                for (int p = 0; p < labels.size(); p++) {
                    row.append(String.format("%11d", confusion[t][p]));
                }
                Report.line("%s", row);
            }
            Report.line("generation + features: %.1f ms/image on %d threads; forward passes (batches of 32): %.3f ms/image",
                    (prepared - started) / 1e6 / data.size(), threads, (classified - prepared) / 1e6 / data.size());
            return accuracy;
        }
    }

    private static void classifyFiles(ImageModel model, Path folder) throws Exception {
        ImageDecoder decoder = new ImageDecoder(40_000_000L);
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            try {
                ImageDecoder.Decoded decoded = decoder.decode(Files.readAllBytes(file));
                Pixels working = Pixels.of(decoded.image(), ImageFeatures.WORKING_SIZE);
                List<ImageModel.Prediction> ranked = model.classify(List.of(model.prepare(working))).get(0);
                Report.line("%-44s %-11s %.3f   (then %s %.3f)", file.getFileName(), ranked.get(0).label(), ranked.get(0).confidence(),
                        ranked.get(1).label(), ranked.get(1).confidence());
            } catch (RuntimeException e) {
                Report.line("%-44s not classified: %s", file.getFileName(), e.getMessage());
            }
        }
    }
}
