package dev.crank.workers.image;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * What a model directory holds and how to feed it: {@code model.properties} (optional for a
 * TorchScript model), {@code synset.txt} (one label per line, in output order) and either
 * {@code model.pt} (TorchScript) or {@code model-0000.params} (DJL parameters of the
 * {@link #hidden()}-layer perceptron over {@link ImageFeatures}).
 *
 * <pre>
 * # model.properties of an operator's TorchScript ResNet (all keys optional, defaults shown)
 * name=&lt;directory name&gt;
 * version=0.0.0
 * format=torchscript         # or djl
 * input=image                # or features
 * image.size=224x224
 * image.mean=0.485,0.456,0.406
 * image.std=0.229,0.224,0.225
 * output=logits              # or probabilities
 * </pre>
 */
public record ModelSpec(String name, String version, Format format, Input input, List<String> labels,
                        List<Integer> hidden, int featureVersion, float[] featureMean, float[] featureStd,
                        int imageWidth, int imageHeight, float[] imageMean, float[] imageStd, boolean logits) {

    public static final String PROPERTIES = "model.properties";
    public static final String SYNSET = "synset.txt";
    public static final String PREFIX = "model";

    /** How the weights are stored. */
    public enum Format { TORCHSCRIPT, DJL }

    /** What the network reads: an image tensor (N, 3, H, W) or a feature vector (N, F). */
    public enum Input { IMAGE, FEATURES }

    public ModelSpec {
        requireNonNull(name, "name");
        requireNonNull(version, "version");
        requireNonNull(format, "format");
        requireNonNull(input, "input");
        labels = List.copyOf(labels);
        hidden = List.copyOf(hidden);
        if (labels.size() < 2) {
            throw new IllegalArgumentException("labels: " + labels.size() + " (expected: at least 2 lines in " + SYNSET + ")");
        }
        if (format == Format.DJL && input != Input.FEATURES) {
            throw new IllegalArgumentException("format=djl: input=" + input.name().toLowerCase(Locale.ROOT)
                    + " (expected: features; DJL parameters are read into the feature perceptron)");
        }
        if (input == Input.FEATURES) {
            if (featureVersion != ImageFeatures.VERSION) {
                throw new IllegalArgumentException("features.version: " + featureVersion + " (expected: "
                        + ImageFeatures.VERSION + "; retrain the model)");
            }
            if (featureMean.length != ImageFeatures.COUNT || featureStd.length != ImageFeatures.COUNT) {
                throw new IllegalArgumentException("features.mean/std: " + featureMean.length + "/" + featureStd.length
                        + " values (expected: " + ImageFeatures.COUNT + " each)");
            }
        }
        if (imageWidth < 1 || imageHeight < 1 || imageWidth > 4096 || imageHeight > 4096) {
            throw new IllegalArgumentException("image.size: " + imageWidth + "x" + imageHeight + " (expected: 1x1 to 4096x4096)");
        }
        if (imageMean.length != 3 || imageStd.length != 3) {
            throw new IllegalArgumentException("image.mean/std: expected 3 values each (R, G, B)");
        }
    }

    /** Reads the spec of the model in {@code dir}. */
    public static ModelSpec read(Path dir) throws IOException {
        Properties properties = new Properties();
        Path file = dir.resolve(PROPERTIES);
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        }
        Path synset = dir.resolve(SYNSET);
        if (!Files.exists(synset)) {
            throw new IllegalArgumentException(dir + ": no " + SYNSET + " (expected: one label per line)");
        }
        List<String> labels = new ArrayList<>();
        for (String line : Files.readAllLines(synset, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                labels.add(line.strip());
            }
        }
        Path fileName = dir.toAbsolutePath().getFileName();
        return parse(properties, labels, fileName == null ? "model" : fileName.toString());
    }

    static ModelSpec parse(Properties p, List<String> labels, String defaultName) {
        Format format = enumValue(Format.class, "format", p.getProperty("format", "torchscript"));
        Input input = enumValue(Input.class, "input", p.getProperty("input", format == Format.DJL ? "features" : "image"));
        String[] size = p.getProperty("image.size", "224x224").toLowerCase(Locale.ROOT).split("x");
        if (size.length != 2) {
            throw new IllegalArgumentException("image.size: '" + p.getProperty("image.size") + "' (expected: WIDTHxHEIGHT)");
        }
        String output = p.getProperty("output", "logits").strip().toLowerCase(Locale.ROOT);
        if (!output.equals("logits") && !output.equals("probabilities")) {
            throw new IllegalArgumentException("output: '" + output + "' (expected: logits or probabilities)");
        }
        List<Integer> hidden = new ArrayList<>();
        for (float v : floats(p, "hidden", "")) {
            hidden.add((int) v);
        }
        return new ModelSpec(p.getProperty("name", defaultName).strip(), p.getProperty("version", "0.0.0").strip(),
                format, input, labels, hidden,
                (int) number(p, "features.version", "0"), floats(p, "features.mean", ""), floats(p, "features.std", ""),
                (int) number(p, "image.width", size[0]), (int) number(p, "image.height", size[1]),
                floats(p, "image.mean", "0.485,0.456,0.406"), floats(p, "image.std", "0.229,0.224,0.225"),
                output.equals("logits"));
    }

    /** Writes {@code model.properties} and {@code synset.txt} into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(SYNSET), labels, StandardCharsets.UTF_8);
        StringBuilder text = new StringBuilder();
        text.append("# Written by dev.crank.workers.image.training.TrainImageModel; see docs/workers/image-classifier.md\n");
        text.append("name=").append(name).append('\n');
        text.append("version=").append(version).append('\n');
        text.append("format=").append(format.name().toLowerCase(Locale.ROOT)).append('\n');
        text.append("input=").append(input.name().toLowerCase(Locale.ROOT)).append('\n');
        text.append("output=").append(logits ? "logits" : "probabilities").append('\n');
        text.append("hidden=").append(join(hidden.stream().mapToDouble(Integer::doubleValue).toArray(), true)).append('\n');
        text.append("features.version=").append(featureVersion).append('\n');
        text.append("features.mean=").append(join(toDoubles(featureMean), false)).append('\n');
        text.append("features.std=").append(join(toDoubles(featureStd), false)).append('\n');
        try (Writer writer = Files.newBufferedWriter(dir.resolve(PROPERTIES), StandardCharsets.UTF_8)) {
            writer.write(text.toString());
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String key, String value) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' (expected one of: "
                    + String.join(", ", java.util.Arrays.stream(type.getEnumConstants())
                            .map(c -> c.name().toLowerCase(Locale.ROOT)).toList()) + ")", e);
        }
    }

    private static double number(Properties p, String key, String fallback) {
        String value = p.getProperty(key, fallback).strip();
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' (expected: a number)", e);
        }
    }

    private static float[] floats(Properties p, String key, String fallback) {
        String value = p.getProperty(key, fallback).strip();
        if (value.isEmpty()) {
            return new float[0];
        }
        String[] parts = value.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Float.parseFloat(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": '" + parts[i] + "' (expected: comma-separated numbers)", e);
            }
        }
        return out;
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static String join(double[] values, boolean integers) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            out.append(i == 0 ? "" : ",");
            out.append(integers ? Long.toString((long) values[i]) : Float.toString((float) values[i]));
        }
        return out.toString();
    }
}
