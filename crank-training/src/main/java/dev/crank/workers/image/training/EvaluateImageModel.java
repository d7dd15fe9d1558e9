package dev.crank.workers.image.training;

import ai.djl.Device;
import dev.crank.workers.image.ImageClassification;
import dev.crank.workers.image.ImageModel;
import dev.crank.workers.image.OfflineDjl;
import dev.crank.workers.image.Pixels;
import dev.crank.workers.image.training.RealImageSet.Sample;
import dev.crank.workers.image.training.RealImageSet.Split;
import dev.crank.workers.image.training.TrainImageModel.Report;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates an image-category model on a held-out part of the set {@link BuildImageSet} made: per-label
 * precision and recall, the confusion matrix, recall of documents rendered at 30-150 dpi and of photographs,
 * the expected calibration error (15 equal-width confidence bins), the most confident wrong answers, and the answers
 * on pictures of none of the labels ({@link OutOfDistribution}). Exits
 * with status 1 when a target of docs/workers/image-classifier.md is missed.
 *
 * <pre>
 * tools/crank-training.sh dev.crank.workers.image.training.EvaluateImageModel [--set corpora/image-set]
 *     [--model-dir DIR] [--split test|fresh|unseen|final]
 * </pre>
 * Without {@code --model-dir} the model in the jar is evaluated. {@code --split fresh} judges it on sources that
 * nothing chose it by ({@link Split#FRESH}).
 */
public final class EvaluateImageModel {

    static final double MIN_RECALL = 0.95;
    static final double MIN_DOCUMENT_RECALL = 0.98;
    static final double MIN_PHOTO_RECALL = 0.97;
    static final double MAX_ECE = 0.05;
    /** The most a picture of {@link OutOfDistribution} may get: the bound of the worker's {@code RealImagesTest}. */
    static final double MAX_OUT_OF_DISTRIBUTION = 0.97;
    private static final Pattern DPI = Pattern.compile("(\\d+)dpi");

    private EvaluateImageModel() {}

    public static void main(String[] args) throws Exception {
        OfflineDjl.configure();
        TrainImageModel.Options options = TrainImageModel.Options.parse(args);
        Path set = Path.of(options.value("--set", "corpora/image-set"));
        Split split = Split.valueOf(options.value("--split", "test").toUpperCase(Locale.ROOT));
        String dir = options.value("--model-dir", "");
        boolean met = report(dir.isEmpty() ? null : Path.of(dir), set, split, Integer.parseInt(options.value("--threads", "2")));
        System.exit(met ? 0 : 1);
    }

    /** Prints the evaluation of the model in {@code dir} (the jar's when null); whether every target is met. */
    static boolean report(Path dir, Path set, Split split, int threads) throws Exception {
        List<Sample> samples = RealImageSet.read(set, split);
        List<String> labels;
        List<ImageModel.Prediction> top = new ArrayList<>();
        List<ImageModel.Prediction> outliers = new ArrayList<>();
        long started = System.nanoTime();
        try (ImageModel model = dir == null ? ImageModel.loadDefault(Device.cpu()) : ImageModel.load(dir, Device.cpu())) {
            labels = model.spec().labels();
            float[][] inputs = SetInputs.of(samples, model.spec(), threads);
            for (int start = 0; start < inputs.length; start += 64) {
                List<float[]> batch = List.of(inputs).subList(start, Math.min(inputs.length, start + 64));
                model.classify(batch).forEach(ranked -> top.add(ranked.get(0)));
            }
            for (OutOfDistribution.Picture picture : OutOfDistribution.PICTURES) {
                Pixels working = Pixels.of(picture.image().get(), ImageClassification.WORKING_SIZE);
                outliers.add(model.classify(List.of(model.prepare(working))).get(0).get(0));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int k = labels.size();
        int[][] confusion = new int[k][k];
        int documents = 0;
        int documentsRight = 0;
        double[] binConfidence = new double[15];
        double[] binRight = new double[15];
        int[] binCount = new int[15];
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            ImageModel.Prediction prediction = top.get(i);
            int truth = labels.indexOf(sample.label());
            int predicted = labels.indexOf(prediction.label());
            confusion[truth][predicted]++;
            boolean right = truth == predicted;
            Matcher dpi = DPI.matcher(sample.variant());
            if (sample.label().equals("document") && dpi.find()) {
                int value = Integer.parseInt(dpi.group(1));
                if (value >= 30 && value <= 150) {
                    documents++;
                    documentsRight += right ? 1 : 0;
                }
            }
            int bin = Math.min(14, (int) (prediction.confidence() * 15));
            binConfidence[bin] += prediction.confidence();
            binRight[bin] += right ? 1 : 0;
            binCount[bin]++;
            if (!right) {
                wrong.add(String.format(Locale.ROOT, "  %.3f %-10s for %-10s %s", prediction.confidence(), prediction.label(),
                        sample.label(), set.relativize(sample.file())));
            }
        }
        double ece = 0;
        for (int b = 0; b < 15; b++) {
            if (binCount[b] > 0) {
                ece += Math.abs(binConfidence[b] / binCount[b] - binRight[b] / binCount[b]) * binCount[b] / samples.size();
            }
        }

        Report.line("%s part of %s: %d images, %.1f s (%.0f images/s decoding + inference on %d threads)", split.dir(), set,
                samples.size(), seconds, samples.size() / seconds, threads);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-12s", "true \\ said"));
        labels.forEach(label -> header.append(String.format(Locale.ROOT, "%11s", label)));
        header.append("     recall  precision");
        Report.line("%s", header);
        boolean met = true;
        for (int t = 0; t < k; t++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-12s", labels.get(t)));
            int total = 0;
            int column = 0;
            for (int p = 0; p < k; p++) {
                row.append(String.format(Locale.ROOT, "%11d", confusion[t][p]));
                total += confusion[t][p];
                column += confusion[p][t];
            }
            double recall = total == 0 ? Double.NaN : confusion[t][t] / (double) total;
            double precision = column == 0 ? Double.NaN : confusion[t][t] / (double) column;
            row.append(String.format(Locale.ROOT, "   %8.4f   %8.4f", recall, precision));
            Report.line("%s", row);
            met &= total > 0 && recall >= MIN_RECALL;
            if (labels.get(t).equals("photo")) {
                met &= recall >= MIN_PHOTO_RECALL;
            }
        }
        double documentRecall = documents == 0 ? Double.NaN : documentsRight / (double) documents;
        Report.line("documents rendered at 30-150 dpi: recall %.4f (%d of %d)   target >= %.2f", documentRecall,
                documentsRight, documents, MIN_DOCUMENT_RECALL);
        Report.line("expected calibration error (15 bins): %.4f   target <= %.2f", ece, MAX_ECE);
        for (double level : new double[] {0.9, 0.95, 0.97, 0.99}) {
            int sure = 0;
            int sureRight = 0;
            for (int i = 0; i < samples.size(); i++) {
                if (top.get(i).confidence() >= level) {
                    sure++;
                    sureRight += top.get(i).label().equals(samples.get(i).label()) ? 1 : 0;
                }
            }
            Report.line("answers at confidence >= %.2f: %d of %d, right %d (%.4f)", level, sure, samples.size(), sureRight,
                    sure == 0 ? Double.NaN : sureRight / (double) sure);
        }
        met &= documents > 0 && documentRecall >= MIN_DOCUMENT_RECALL && ece <= MAX_ECE;
        StringBuilder off = new StringBuilder();
        double surestExposed = 0;
        double surestHeldOut = 0;
        for (int i = 0; i < outliers.size(); i++) {
            ImageModel.Prediction answer = outliers.get(i);
            OutOfDistribution.Picture picture = OutOfDistribution.PICTURES.get(i);
            off.append(String.format(Locale.ROOT, "%s%s %s %.3f", i == 0 ? "" : ", ", picture.name(), answer.label(),
                    answer.confidence()));
            if (picture.exposed()) {
                surestExposed = Math.max(surestExposed, answer.confidence());
            } else {
                surestHeldOut = Math.max(surestHeldOut, answer.confidence());
            }
        }
        double surest = Math.max(surestExposed, surestHeldOut);
        Report.line("pictures of none of the labels: %s", off);
        Report.line("most sure of them: %.3f on kinds outlier exposure paints, %.3f on kinds held out   target < %.2f",
                surestExposed, surestHeldOut, MAX_OUT_OF_DISTRIBUTION);
        met &= surest < MAX_OUT_OF_DISTRIBUTION;
        wrong.sort(java.util.Comparator.reverseOrder());
        Report.line("wrong answers (%d), most confident first:", wrong.size());
        wrong.stream().limit(25).forEach(line -> Report.line("%s", line));
        Report.line("targets (every label >= %.2f recall, photo >= %.2f, documents >= %.2f, ECE <= %.2f, none of the labels"
                + " < %.2f): %s", MIN_RECALL, MIN_PHOTO_RECALL, MIN_DOCUMENT_RECALL, MAX_ECE, MAX_OUT_OF_DISTRIBUTION,
                met ? "met" : "NOT met");
        return met;
    }
}
