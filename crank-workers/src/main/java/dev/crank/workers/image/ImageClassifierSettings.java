package dev.crank.workers.image;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Options of the image classifiers, from the environment in production
 * ({@link #fromEnvironment(Map)}) and built directly in tests.
 *
 * <table>
 * <caption>Environment</caption>
 * <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code CRANK_IMAGE_MODEL_DIR}</td><td>unset: the model in the jar</td><td>a model directory, see {@link ModelSpec}</td></tr>
 * <tr><td>{@code CRANK_GPU_FALLBACK}</td><td>{@code none}</td><td>{@code cpu}: the GPU worker runs on the CPU when no GPU is found</td></tr>
 * <tr><td>{@code CRANK_GPU_BATCH_MAX}</td><td>32</td><td>most images per forward pass (GPU worker)</td></tr>
 * <tr><td>{@code CRANK_GPU_BATCH_WAIT}</td><td>{@code 5ms}</td><td>longest wait for a batch to fill (GPU worker)</td></tr>
 * </table>
 *
 * @param maxPixels images with more pixels (width times height, read from the header) are refused with 413
 * @param maxImageBytes encoded images larger than this are refused with 413
 */
public record ImageClassifierSettings(Optional<Path> modelDir, boolean cpuFallback, int batchMax, Duration batchWait,
                                      long maxPixels, int maxImageBytes) {

    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    public static final int DEFAULT_MAX_IMAGE_BYTES = 20 * 1024 * 1024;
    public static final int DEFAULT_BATCH_MAX = 32;
    public static final Duration DEFAULT_BATCH_WAIT = Duration.ofMillis(5);

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)?");

    public ImageClassifierSettings {
        requireNonNull(modelDir, "modelDir");
        if (batchMax < 1 || batchMax > 1024) {
            throw new IllegalArgumentException("CRANK_GPU_BATCH_MAX: " + batchMax + " (expected: 1-1024)");
        }
        requireNonNull(batchWait, "batchWait");
        if (batchWait.isNegative() || batchWait.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("CRANK_GPU_BATCH_WAIT: " + batchWait + " (expected: 0ms-10s)");
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels: " + maxPixels + " (expected: >= 1)");
        }
        if (maxImageBytes < 1) {
            throw new IllegalArgumentException("maxImageBytes: " + maxImageBytes + " (expected: >= 1)");
        }
    }

    /** The defaults: the model in the jar, no CPU fallback, batches of 32 or 5 ms, 40 MP, 20 MiB. */
    public static ImageClassifierSettings defaults() {
        return new ImageClassifierSettings(Optional.empty(), false, DEFAULT_BATCH_MAX, DEFAULT_BATCH_WAIT,
                DEFAULT_MAX_PIXELS, DEFAULT_MAX_IMAGE_BYTES);
    }

    /** Reads the variables in the table above; a malformed value is an {@link IllegalArgumentException}. */
    public static ImageClassifierSettings fromEnvironment(Map<String, String> env) {
        ImageClassifierSettings defaults = defaults();
        Optional<Path> modelDir = value(env, "CRANK_IMAGE_MODEL_DIR").map(Path::of);
        boolean fallback = value(env, "CRANK_GPU_FALLBACK").map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "cpu" -> true;
            case "none", "off", "false" -> false;
            default -> throw new IllegalArgumentException("CRANK_GPU_FALLBACK: '" + v + "' (expected: cpu or none)");
        }).orElse(false);
        int batchMax = value(env, "CRANK_GPU_BATCH_MAX").map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("CRANK_GPU_BATCH_MAX: '" + v + "' (expected: an integer 1-1024)", e);
            }
        }).orElse(defaults.batchMax());
        Duration batchWait = value(env, "CRANK_GPU_BATCH_WAIT").map(ImageClassifierSettings::duration).orElse(defaults.batchWait());
        return new ImageClassifierSettings(modelDir, fallback, batchMax, batchWait, defaults.maxPixels(), defaults.maxImageBytes());
    }

    public ImageClassifierSettings withModelDir(Path dir) {
        return new ImageClassifierSettings(Optional.of(dir), cpuFallback, batchMax, batchWait, maxPixels, maxImageBytes);
    }

    public ImageClassifierSettings withCpuFallback(boolean fallback) {
        return new ImageClassifierSettings(modelDir, fallback, batchMax, batchWait, maxPixels, maxImageBytes);
    }

    public ImageClassifierSettings withBatching(int max, Duration wait) {
        return new ImageClassifierSettings(modelDir, cpuFallback, max, wait, maxPixels, maxImageBytes);
    }

    public ImageClassifierSettings withLimits(long pixels, int bytes) {
        return new ImageClassifierSettings(modelDir, cpuFallback, batchMax, batchWait, pixels, bytes);
    }

    /** {@code 5ms}, {@code 1s}, {@code 2m}, or a bare number of milliseconds. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("CRANK_GPU_BATCH_WAIT: '" + text + "' (expected: a duration such as 5ms or 1s)");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofMillis(amount);
        };
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }
}
