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
 * {@code model.pt} (TorchScript) or {@code model-0000.params} (DJL parameters of the small
 * convolutional network {@link ImageModel#network(ModelSpec)} builds from {@link #conv()}, {@link #convStride()}
 * (the first convolution's stride: 2 reads an input twice the size at the cost of one of its size) and
 * {@link #hidden()}; with {@code members=N} the model is N such networks trained apart whose answers are averaged
 * (an ensemble: they agree where they were taught and disagree, so say less, where they were not).
 * The input is the image squashed to {@code image.size}, normalised per channel; with
 * {@code image.aspect=true} a fourth plane holds {@code ln(width / height)} of the image, which squashing hides.
 * Logits are divided by {@code temperature} before the softmax (calibration; 1 leaves them as they are).
 *
 * <pre>
 * # model.properties of an operator's TorchScript ResNet (all keys optional, defaults shown)
 * name=&lt;directory name&gt;
 * version=0.0.0
 * format=torchscript         # or djl
 * image.size=224x224
 * image.mean=0.485,0.456,0.406
 * image.std=0.229,0.224,0.225
 * image.aspect=false
 * output=logits              # or probabilities
 * temperature=1
 * </pre>
 */
public record ModelSpec(String name, String version, Format format, List<String> labels, List<Integer> conv,
                        int convStride, int members, List<Integer> hidden, int imageWidth, int imageHeight, float[] imageMean, float[] imageStd,
                        boolean aspectChannel, boolean logits, float temperature) {

    public static final String PROPERTIES = "model.properties";
    public static final String SYNSET = "synset.txt";
    public static final String PREFIX = "model";
    /** The most networks one {@code format=djl} model may average. */
    public static final int MAX_MEMBERS = 8;

    /** How the weights are stored. */
    public enum Format { TORCHSCRIPT, DJL }

    public ModelSpec {
        requireNonNull(name, "name");
        requireNonNull(version, "version");
        requireNonNull(format, "format");
        labels = List.copyOf(labels);
        conv = List.copyOf(conv);
        hidden = List.copyOf(hidden);
        if (labels.size() < 2) {
            throw new IllegalArgumentException("labels: " + labels.size() + " (expected: at least 2 lines in " + SYNSET + ")");
        }
        if (format == Format.DJL && conv.isEmpty()) {
            throw new IllegalArgumentException("format=djl: no conv= layers (expected: the channels of each convolution)");
        }
        if (convStride != 1 && convStride != 2) {
            throw new IllegalArgumentException("conv.stride: " + convStride + " (expected: 1 or 2)");
        }
        if (members < 1 || members > MAX_MEMBERS || (members > 1 && format != Format.DJL)) {
            throw new IllegalArgumentException("members: " + members + " (expected: 1, or up to " + MAX_MEMBERS
                    + " networks of a format=djl model)");
        }
        if (imageWidth < 1 || imageHeight < 1 || imageWidth > 4096 || imageHeight > 4096) {
            throw new IllegalArgumentException("image.size: " + imageWidth + "x" + imageHeight + " (expected: 1x1 to 4096x4096)");
        }
        if (imageMean.length != 3 || imageStd.length != 3) {
            throw new IllegalArgumentException("image.mean/std: expected 3 values each (R, G, B)");
        }
        if (!(temperature > 0) || temperature > 100) {
            throw new IllegalArgumentException("temperature: " + temperature + " (expected: above 0, at most 100)");
        }
    }

    /** Input planes: R, G, B and, with {@link #aspectChannel()}, the log aspect ratio. */
    public int channels() {
        return aspectChannel ? 4 : 3;
    }

    /** This spec with another temperature. */
    public ModelSpec withTemperature(float value) {
        return new ModelSpec(name, version, format, labels, conv, convStride, members, hidden, imageWidth, imageHeight, imageMean, imageStd,
                aspectChannel, logits, value);
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
        String[] size = p.getProperty("image.size", "224x224").toLowerCase(Locale.ROOT).split("x");
        if (size.length != 2) {
            throw new IllegalArgumentException("image.size: '" + p.getProperty("image.size") + "' (expected: WIDTHxHEIGHT)");
        }
        String output = p.getProperty("output", "logits").strip().toLowerCase(Locale.ROOT);
        if (!output.equals("logits") && !output.equals("probabilities")) {
            throw new IllegalArgumentException("output: '" + output + "' (expected: logits or probabilities)");
        }
        String aspect = p.getProperty("image.aspect", "false").strip().toLowerCase(Locale.ROOT);
        if (!aspect.equals("true") && !aspect.equals("false")) {
            throw new IllegalArgumentException("image.aspect: '" + aspect + "' (expected: true or false)");
        }
        return new ModelSpec(p.getProperty("name", defaultName).strip(), p.getProperty("version", "0.0.0").strip(),
                format, labels, integers(p, "conv"), (int) number(p, "conv.stride", "1"),
                (int) number(p, "members", "1"), integers(p, "hidden"),
                (int) number(p, "image.width", size[0]), (int) number(p, "image.height", size[1]),
                floats(p, "image.mean", "0.485,0.456,0.406"), floats(p, "image.std", "0.229,0.224,0.225"),
                aspect.equals("true"), output.equals("logits"), (float) number(p, "temperature", "1"));
    }

    /** Writes {@code model.properties} and {@code synset.txt} into {@code dir}. */
    public void write(Path dir, String comment) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(SYNSET), labels, StandardCharsets.UTF_8);
        StringBuilder text = new StringBuilder();
        for (String line : comment.split("\n")) {
            text.append("# ").append(line).append('\n');
        }
        text.append("name=").append(name).append('\n');
        text.append("version=").append(version).append('\n');
        text.append("format=").append(format.name().toLowerCase(Locale.ROOT)).append('\n');
        text.append("conv=").append(join(conv)).append('\n');
        text.append("conv.stride=").append(convStride).append('\n');
        text.append("members=").append(members).append('\n');
        text.append("hidden=").append(join(hidden)).append('\n');
        text.append("image.size=").append(imageWidth).append('x').append(imageHeight).append('\n');
        text.append("image.mean=").append(join(imageMean)).append('\n');
        text.append("image.std=").append(join(imageStd)).append('\n');
        text.append("image.aspect=").append(aspectChannel).append('\n');
        text.append("output=").append(logits ? "logits" : "probabilities").append('\n');
        text.append("temperature=").append(temperature).append('\n');
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

    private static List<Integer> integers(Properties p, String key) {
        List<Integer> out = new ArrayList<>();
        for (float v : floats(p, key, "")) {
            if (v < 1 || v != Math.rint(v)) {
                throw new IllegalArgumentException(key + ": " + v + " (expected: positive integers)");
            }
            out.add((int) v);
        }
        return out;
    }

    private static String join(List<Integer> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    private static String join(float[] values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            out.append(i == 0 ? "" : ",").append(values[i]);
        }
        return out.toString();
    }
}
