package dev.crank.workers.image;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An image-category model run by DJL on the PyTorch engine: either the default model shipped in
 * the jar (a small convolutional network on a 64x64 copy of the image, trained by crank-training's
 * {@code dev.crank.workers.image.training.TrainImageModel} on real renders) or any model an operator points
 * {@code CRANK_IMAGE_MODEL_DIR} at (see {@link ModelSpec}). Thread-safe: each call to
 * {@link #classify(List)} runs one forward pass over the whole list, as one batch, on its own
 * predictor.
 */
public final class ImageModel implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(ImageModel.class);

    /** Where the default model lives on the class path. */
    public static final String DEFAULT_RESOURCE = "/dev/crank/workers/image/model/";
    private static final List<String> DEFAULT_FILES = List.of(ModelSpec.PROPERTIES, ModelSpec.SYNSET,
            ModelSpec.PREFIX + "-0000.params");

    /** One label and the model's confidence in it, 0 to 1. */
    public record Prediction(String label, double confidence) {}

    private final ModelSpec spec;
    private final Model model;
    private final Device device;
    private final Translator<float[], List<Prediction>> translator = new BatchTranslator();

    private ImageModel(ModelSpec spec, Model model, Device device) {
        this.spec = spec;
        this.model = model;
        this.device = device;
    }

    /** Loads the model in {@code dir} onto {@code device}. */
    public static ImageModel load(Path dir, Device device) throws IOException {
        OfflineDjl.configure();
        ModelSpec spec = ModelSpec.read(dir);
        Model model = Model.newInstance(spec.name(), device, "PyTorch");
        try {
            if (spec.format() == ModelSpec.Format.DJL) {
                model.setBlock(network(spec));
            }
            model.load(dir, ModelSpec.PREFIX);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new IOException("cannot load the model in " + dir + ": " + e.getMessage(), e);
        }
        ImageModel loaded = new ImageModel(spec, model, device);
        loaded.checkOutputs();
        logger.info("Loaded image model {} {} ({}, {}x{}x{} input, {} labels, temperature {}) on {}", spec.name(),
                spec.version(), spec.format().name().toLowerCase(java.util.Locale.ROOT), spec.channels(), spec.imageHeight(),
                spec.imageWidth(), spec.labels().size(), spec.temperature(), loaded.device());
        return loaded;
    }

    /** Loads the default model shipped in the jar. */
    public static ImageModel loadDefault(Device device) throws IOException {
        Path dir = Files.createTempDirectory("crank-image-model");
        try {
            for (String file : DEFAULT_FILES) {
                try (InputStream in = ImageModel.class.getResourceAsStream(DEFAULT_RESOURCE + file)) {
                    if (in == null) {
                        throw new IOException("the default image model is missing " + DEFAULT_RESOURCE + file
                                + " (train it: see docs/workers/image-classifier.md)");
                    }
                    Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return load(dir, device);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * The network of a {@code format=djl} model: for each entry of {@link ModelSpec#conv()} a 3x3 convolution with
     * that many channels (the first one of stride {@link ModelSpec#convStride()}), batch normalisation, ReLU and 2x2
     * max pooling; then for each entry of {@link ModelSpec#hidden()} a ReLU layer (dropout while training) and a
     * linear layer of one logit per label.
     *
     * <p>With {@link ModelSpec#members()} N above 1, N such networks side by side in one pass, in inference form:
     * every layer holds the N members' channels one member after the other, the convolutions after the first are
     * grouped (N groups, so a member sees only its own channels), each member's batch normalisation is folded into
     * its convolution's weights and a bias (crank-training's {@code CombineImageModels} writes them so: {@link
     * #BATCH_NORM_EPSILON}), the linear layers' weights are block-diagonal, and the output is the log of the
     * members' mean softmax, so that the temperature applies to the ensemble's answer as to one network's. One
     * pass of N members costs about the operations of one network, not N times their overhead.
     */
    public static Block network(ModelSpec spec) {
        int members = spec.members();
        SequentialBlock block = new SequentialBlock();
        int stride = spec.convStride();
        int groups = 1;
        boolean folded = members > 1;
        for (int channels : spec.conv()) {
            block.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(stride, stride))
                    .optPadding(new Shape(1, 1)).setFilters(members * channels).optGroups(groups).optBias(folded).build());
            stride = 1;
            groups = members;
            if (!folded) {
                block.add(BatchNorm.builder().optEpsilon(BATCH_NORM_EPSILON).build());
            }
            block.add(Activation.reluBlock());
            block.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        block.add(Blocks.batchFlattenBlock());
        for (int units : spec.hidden()) {
            block.add(Linear.builder().setUnits(members * units).build());
            block.add(Activation.reluBlock());
            block.add(Dropout.builder().optRate(0.3f).build());
        }
        int labels = spec.labels().size();
        block.add(Linear.builder().setUnits(members * labels).build());
        if (members > 1) {
            block.add(new LambdaBlock(list -> meanProbabilities(list, members, labels), "meanProbabilities"));
        }
        return block;
    }

    /** The log of the mean of {@code members} softmax answers, each {@code labels} wide, side by side in a row. */
    private static NDList meanProbabilities(NDList logits, int members, int labels) {
        NDArray all = logits.singletonOrThrow();
        if (all.getShape().dimension() != 2 || all.getShape().get(1) != (long) members * labels) {
            throw new IllegalStateException("the members gave " + all.getShape() + " outputs (expected: " + members
                    + " x " + labels + ", one per label and member)");
        }
        NDArray probabilities = all.reshape(-1, members, labels).softmax(-1);
        return new NDList(probabilities.mean(new int[] {1}).maximum(MIN_PROBABILITY).log());
    }

    /** The epsilon of the networks' batch normalisation: {@code (x - mean) / sqrt(variance + epsilon)}. */
    public static final float BATCH_NORM_EPSILON = 1e-5f;

    /** Keeps the log finite where every member is sure a label is wrong. */
    private static final float MIN_PROBABILITY = 1e-30f;

    /**
     * The input this model wants for {@code working}, an image scaled without changing its aspect ratio:
     * the planes (C, H, W) of {@link ModelSpec#channels()}, squashed to the model's size and normalised.
     */
    public float[] prepare(Pixels working) {
        return prepare(working, spec);
    }

    /** {@link #prepare(Pixels)} for a model of {@code spec}; the trainer feeds its network the same way. */
    public static float[] prepare(Pixels working, ModelSpec spec) {
        Pixels sized = working.resized(spec.imageWidth(), spec.imageHeight());
        int plane = sized.size();
        float[] chw = new float[spec.channels() * plane];
        int[] rgb = sized.rgb();
        float[] mean = spec.imageMean();
        float[] std = spec.imageStd();
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            chw[i] = ((p >> 16 & 0xFF) / 255f - mean[0]) / std[0];
            chw[plane + i] = ((p >> 8 & 0xFF) / 255f - mean[1]) / std[1];
            chw[2 * plane + i] = ((p & 0xFF) / 255f - mean[2]) / std[2];
        }
        if (spec.aspectChannel()) {
            java.util.Arrays.fill(chw, 3 * plane, 4 * plane, (float) Math.log(working.width() / (double) working.height()));
        }
        return chw;
    }

    /**
     * Classifies prepared inputs in one forward pass; for each input, every label with its
     * confidence, most confident first.
     */
    public List<List<Prediction>> classify(List<float[]> inputs) {
        requireNonNull(inputs, "inputs");
        if (inputs.isEmpty()) {
            return List.of();
        }
        try (Predictor<float[], List<Prediction>> predictor = model.newPredictor(translator)) {
            return predictor.batchPredict(inputs);
        } catch (TranslateException e) {
            throw new IllegalStateException("the image model failed: " + e.getMessage(), e);
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public String version() {
        return spec.version();
    }

    /** {@code cpu} or {@code cuda:N}. */
    public String device() {
        return describe(device);
    }

    public static String describe(Device device) {
        return device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu";
    }

    @Override
    public void close() {
        model.close();
    }

    /** One forward pass on a blank input: the output must have one value per label. */
    private void checkOutputs() throws IOException {
        Pixels blank = Pixels.wrap(spec.imageWidth(), spec.imageHeight(), filled(spec.imageWidth() * spec.imageHeight(), 0xFFFFFF));
        try {
            classify(List.of(prepare(blank)));
        } catch (RuntimeException e) {
            close();
            throw new IOException("the model " + spec.name() + " does not accept its declared input or does not give "
                    + spec.labels().size() + " outputs (one per line of " + ModelSpec.SYNSET + "): " + e.getMessage(), e);
        }
    }

    private static int[] filled(int size, int value) {
        int[] out = new int[size];
        java.util.Arrays.fill(out, value);
        return out;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            logger.debug("Could not delete {}", dir, e);
        }
    }

    /** Stacks prepared inputs into one tensor and turns each row of outputs into ranked labels. */
    private final class BatchTranslator implements Translator<float[], List<Prediction>> {

        @Override
        public NDList processInput(TranslatorContext ctx, float[] input) {
            return new NDList(ctx.getNDManager().create(input, new Shape(spec.channels(), spec.imageHeight(), spec.imageWidth())));
        }

        @Override
        public List<Prediction> processOutput(TranslatorContext ctx, NDList list) {
            NDArray output = list.get(0).flatten();
            if (output.size() != spec.labels().size()) {
                throw new IllegalStateException("the model gave " + output.size() + " outputs (expected: "
                        + spec.labels().size() + ", one per label)");
            }
            float[] scores = (spec.logits() ? output.div(spec.temperature()).softmax(0) : output).toFloatArray();
            List<Prediction> predictions = new ArrayList<>(scores.length);
            for (int i = 0; i < scores.length; i++) {
                predictions.add(new Prediction(spec.labels().get(i), scores[i]));
            }
            predictions.sort(Comparator.comparingDouble(Prediction::confidence).reversed());
            return predictions;
        }
    }
}
