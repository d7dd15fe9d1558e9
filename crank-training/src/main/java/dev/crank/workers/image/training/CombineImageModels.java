package dev.crank.workers.image.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import dev.crank.workers.image.ImageModel;
import dev.crank.workers.image.ModelSpec;
import dev.crank.workers.image.training.RealImageSet.Sample;
import dev.crank.workers.image.training.RealImageSet.Split;
import dev.crank.workers.image.training.TrainImageModel.Report;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes one model of several networks trained apart by {@link TrainImageModel} (the same network, other seeds): their
 * weights go into one {@code members=N} model whose answer is the mean of theirs ({@link ImageModel#network}), each
 * member's own fitted temperature folded into its last layer (that layer's weights and bias divided by it, so each
 * member answers as calibrated); the temperature of the mean is fitted on the calibration part (1 at least: the
 * mean is never sharpened), and the model is evaluated on the test part (or with {@code --split fresh} the fresh one).
 *
 * <pre>
 * tools/crank-training.sh dev.crank.workers.image.training.CombineImageModels \
 *     --set corpora/image-set --out DIR [--version V] [--split test|fresh|unseen|final] MEMBER_DIR MEMBER_DIR...
 * </pre>
 */
public final class CombineImageModels {

    private CombineImageModels() {}

    public static void main(String[] args) throws Exception {
        Path set = null;
        Path out = null;
        String version = null;
        Split evaluated = Split.TEST;
        List<Path> members = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--set" -> set = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--version" -> version = args[++i];
                case "--split" -> evaluated = Split.valueOf(args[++i].toUpperCase(java.util.Locale.ROOT));
                default -> members.add(Path.of(args[i]));
            }
        }
        if (set == null || out == null) {
            throw new IllegalArgumentException("usage: CombineImageModels --set DIR --out DIR [--version V] [--split test|fresh|unseen|final] MEMBER_DIR...");
        }
        ModelSpec spec = combine(members, out, version);
        StringBuilder comment = new StringBuilder("Written by dev.crank.workers.image.training.CombineImageModels"
                + " (crank-training) of " + members.size() + " networks, each written by:");
        for (Path member : members) { // the first comment line of each member's properties: the command that trained it
            String first = java.nio.file.Files.readAllLines(member.resolve(ModelSpec.PROPERTIES)).get(0);
            comment.append('\n').append(first.replaceFirst("^#\\s*Written by dev\\.crank\\.workers\\.image\\.training\\.", ""));
        }
        comment.append("\non the set of tools/build-image-set.sh; see docs/workers/image-classifier.md");

        List<Sample> calibration = RealImageSet.read(set, Split.CALIBRATION);
        int[] labels = calibration.stream().mapToInt(sample -> TrainImageModel.LABELS.indexOf(sample.label())).toArray();
        float[][] logits = new float[calibration.size()][];
        try (ImageModel model = ImageModel.load(out, Device.cpu())) {
            float[][] inputs = SetInputs.of(calibration, spec, 2);
            for (int i = 0; i < inputs.length; i++) {
                logits[i] = new float[spec.labels().size()];
                for (ImageModel.Prediction prediction : model.classify(List.of(inputs[i])).get(0)) {
                    logits[i][spec.labels().indexOf(prediction.label())] = (float) Math.log(Math.max(1e-30, prediction.confidence()));
                }
            }
        }
        // Never under 1: averaging leaves the members' answers softer where they agree, and sharpening the mean
        // would undo what it says where they disagree (pictures none of them was shown).
        float temperature = TrainImageModel.fitTemperature(logits, labels, 1f);
        Report.line("combined %d members; calibration nll %.4f at temperature 1, %.4f at %.2f", members.size(),
                TrainImageModel.nll(logits, labels, 1f), TrainImageModel.nll(logits, labels, temperature), temperature);
        spec.withTemperature(temperature).write(out, comment.toString());
        EvaluateImageModel.report(out, set, evaluated, 2);
    }

    /**
     * Writes into {@code out} the model of these member directories (2 to {@link ModelSpec#MAX_MEMBERS}, each one
     * network of the same kind) at temperature 1, named as the first, of {@code version} or the first's; returns its spec.
     */
    static ModelSpec combine(List<Path> members, Path out, String version) throws IOException {
        if (members.size() < 2 || members.size() > ModelSpec.MAX_MEMBERS) {
            throw new IllegalArgumentException(members.size() + " members (expected 2-" + ModelSpec.MAX_MEMBERS + ")");
        }
        ModelSpec first = ModelSpec.read(members.get(0));
        ModelSpec spec = new ModelSpec(first.name(), version == null ? first.version() : version, first.format(),
                first.labels(), first.conv(), first.convStride(), members.size(), first.hidden(), first.imageWidth(),
                first.imageHeight(), first.imageMean(), first.imageStd(), first.aspectChannel(), first.logits(), 1f);
        List<float[][]> values = new ArrayList<>(); // per member, each parameter's values, in the block's order
        for (Path member : members) {
            values.add(parameters(member, first));
        }
        try (Model combined = Model.newInstance(spec.name(), Device.cpu(), "PyTorch")) {
            Block block = ImageModel.network(spec);
            combined.setBlock(block);
            block.initialize(combined.getNDManager(), DataType.FLOAT32,
                    new Shape(1, spec.channels(), spec.imageHeight(), spec.imageWidth()));
            PairList<String, Parameter> target = block.getParameters();
            for (int p = 0; p < target.size(); p++) {
                String key = target.get(p).getKey();
                NDArray array = target.get(p).getValue().getArray();
                float[][] parts = new float[members.size()][];
                for (int m = 0; m < parts.length; m++) {
                    if (values.get(m).length != target.size()) {
                        throw new IllegalStateException(members.get(m) + ": " + values.get(m).length + " parameters, expected "
                                + target.size());
                    }
                    parts[m] = values.get(m)[p];
                }
                float[] joined = key.contains("Linear") && key.endsWith("weight")
                        ? blockDiagonal(parts, array.getShape()) : concatenated(parts);
                if (joined.length != array.size()) {
                    throw new IllegalStateException("parameter " + key + ": the members' shapes do not fit " + array.getShape());
                }
                array.set(joined);
            }
            combined.setProperty("Epoch", "0");
            combined.save(out, ModelSpec.PREFIX);
        }
        spec.write(out, "Written by dev.crank.workers.image.training.CombineImageModels (crank-training)");
        return spec;
    }

    /**
     * The parameters of the one network in {@code dir} in inference form, each as its values: each convolution's
     * batch normalisation folded into its weights and a bias, the last linear layer's weight and bias divided by the
     * network's temperature (so that its logits come out calibrated).
     */
    private static float[][] parameters(Path dir, ModelSpec first) throws IOException {
        ModelSpec own = ModelSpec.read(dir);
        if (own.members() != 1 || !own.format().equals(ModelSpec.Format.DJL) || !sameNetwork(own, first)) {
            throw new IllegalArgumentException(dir + ": not one network of the same kind as the first member");
        }
        try (Model member = Model.newInstance(own.name(), Device.cpu(), "PyTorch")) {
            member.setBlock(ImageModel.network(own));
            member.load(dir, ModelSpec.PREFIX);
            PairList<String, Parameter> source = member.getBlock().getParameters();
            int n = source.size();
            if (!source.get(n - 2).getKey().contains("Linear") || !source.get(n - 1).getKey().endsWith("bias")) {
                throw new IllegalStateException(dir + ": the last parameters are not a linear layer's");
            }
            List<float[]> values = new ArrayList<>();
            for (int p = 0; p < n; p++) {
                String key = source.get(p).getKey();
                float[] value = source.get(p).getValue().getArray().toFloatArray();
                if (key.contains("Conv2d") && key.endsWith("weight")) {
                    if (p + 4 >= n || !source.get(p + 1).getKey().endsWith("gamma") || !source.get(p + 2).getKey().endsWith("beta")
                            || !source.get(p + 3).getKey().endsWith("runningMean") || !source.get(p + 4).getKey().endsWith("runningVar")) {
                        throw new IllegalStateException(dir + ": " + key + " is not followed by a batch normalisation");
                    }
                    // y = gamma (conv(x) - mean) / sqrt(var + eps) + beta = conv'(x) + bias, per output channel.
                    float[] gamma = source.get(p + 1).getValue().getArray().toFloatArray();
                    float[] beta = source.get(p + 2).getValue().getArray().toFloatArray();
                    float[] mean = source.get(p + 3).getValue().getArray().toFloatArray();
                    float[] variance = source.get(p + 4).getValue().getArray().toFloatArray();
                    int perChannel = value.length / gamma.length;
                    float[] bias = new float[gamma.length];
                    for (int c = 0; c < gamma.length; c++) {
                        double scale = gamma[c] / Math.sqrt(variance[c] + ImageModel.BATCH_NORM_EPSILON);
                        for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                            value[i] = (float) (value[i] * scale);
                        }
                        bias[c] = (float) (beta[c] - mean[c] * scale);
                    }
                    values.add(value);
                    values.add(bias);
                    p += 4;
                } else {
                    if (p >= n - 2) { // the last layer: its logits over the member's own temperature
                        for (int v = 0; v < value.length; v++) {
                            value[v] /= own.temperature();
                        }
                    }
                    values.add(value);
                }
            }
            return values.toArray(new float[0][]);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException(dir + ": " + e.getMessage(), e);
        }
    }

    /** The members' values one after the other: channels, biases and batch-norm statistics side by side. */
    private static float[] concatenated(float[][] parts) {
        int length = 0;
        for (float[] part : parts) {
            length += part.length;
        }
        float[] out = new float[length];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /** A linear layer's (units, inputs) weights with each member's own block on the diagonal and zeros elsewhere. */
    private static float[] blockDiagonal(float[][] parts, Shape shape) {
        int rows = (int) shape.get(0) / parts.length;
        int columns = (int) shape.get(1) / parts.length;
        int width = (int) shape.get(1);
        float[] out = new float[(int) shape.size()];
        for (int m = 0; m < parts.length; m++) {
            if (parts[m].length != rows * columns) {
                throw new IllegalStateException("a member's linear layer is not " + rows + " x " + columns);
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(parts[m], r * columns, out, (m * rows + r) * width + m * columns, columns);
            }
        }
        return out;
    }

    private static boolean sameNetwork(ModelSpec a, ModelSpec b) {
        return a.conv().equals(b.conv()) && a.convStride() == b.convStride() && a.hidden().equals(b.hidden())
                && a.imageWidth() == b.imageWidth() && a.imageHeight() == b.imageHeight() && a.channels() == b.channels()
                && a.labels().equals(b.labels()) && a.logits() == b.logits();
    }
}
