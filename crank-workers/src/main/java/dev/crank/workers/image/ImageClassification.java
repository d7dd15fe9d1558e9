package dev.crank.workers.image;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankJson;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.ServerLimits;
import dev.crank.core.WorkerConfig;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * {@code classify:image_category} as both image workers serve it: reads the image (JSON with
 * {@code image_base64}, or a raw PNG/JPEG/WebP/GIF/BMP body with {@code ?top_k=}), checks its limits,
 * decodes it subsampled ({@link ImageDecoder}), measures a copy of at most {@link #WORKING_SIZE} pixels
 * on the longer side ({@link ImageAnalysis}) and asks a model for its category. Only the last
 * step differs between the workers: a direct forward pass, or one through a {@link MicroBatcher}.
 */
public final class ImageClassification {

    public static final String CAPABILITY = "classify:image_category";
    /** Raw bodies the capability reads itself. */
    public static final String[] RAW_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp"};
    /** Body limit that lets a 20 MiB image through as base64 inside JSON (4/3 of it, plus room). */
    public static final int BODY_LIMIT = 28 * 1024 * 1024;
    public static final int MAX_TOP_K = 10;
    /** Longer side of the copy that is measured and handed to the model (which squashes it to its own size). */
    public static final int WORKING_SIZE = 256;
    private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(30);

    static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "required": ["image_base64"],
              "additionalProperties": false,
              "properties": {
                "image_base64": {"type": "string", "minLength": 1,
                                 "description": "A PNG, JPEG, WebP, GIF or BMP image in base64 (a data: URL prefix is allowed); at most 20 MiB and 40 megapixels"},
                "top_k": {"type": "integer", "minimum": 1, "maximum": 10, "default": 3,
                          "description": "How many labels to return, most likely first (at most as many as the model has)"}
              }
            }
            """;
    static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "required": ["predictions", "analysis", "model", "processing_time_ms"],
              "properties": {
                "predictions": {
                  "type": "array", "minItems": 1, "maxItems": 10,
                  "items": {
                    "type": "object",
                    "required": ["label", "confidence"],
                    "properties": {
                      "label": {"type": "string"},
                      "confidence": {"type": "number", "minimum": 0, "maximum": 1}
                    }
                  }
                },
                "analysis": {
                  "type": "object",
                  "required": ["width", "height", "format", "brightness", "contrast", "scene", "dominant_colors", "edge_density"],
                  "properties": {
                    "width": {"type": "integer", "minimum": 1},
                    "height": {"type": "integer", "minimum": 1},
                    "format": {"enum": ["png", "jpeg", "webp", "gif", "bmp"]},
                    "brightness": {"type": "number", "minimum": 0, "maximum": 1},
                    "contrast": {"type": "number", "minimum": 0, "maximum": 1},
                    "scene": {"enum": ["bright", "dark", "mixed"]},
                    "dominant_colors": {
                      "type": "array", "maxItems": 5,
                      "items": {
                        "type": "object",
                        "required": ["hex", "share"],
                        "properties": {
                          "hex": {"type": "string", "pattern": "^#[0-9a-f]{6}$"},
                          "share": {"type": "number", "minimum": 0, "maximum": 1}
                        }
                      }
                    },
                    "edge_density": {"type": "number", "minimum": 0, "maximum": 1}
                  }
                },
                "model": {
                  "type": "object",
                  "required": ["name", "version", "device"],
                  "properties": {
                    "name": {"type": "string"},
                    "version": {"type": "string"},
                    "device": {"type": "string", "pattern": "^(cpu|cuda:[0-9]+)$"}
                  }
                },
                "processing_time_ms": {"type": "number", "minimum": 0}
              }
            }
            """;

    private final ImageClassifierSettings settings;
    private final ImageDecoder decoder;
    private final AtomicLong classified = new AtomicLong();

    public ImageClassification(ImageClassifierSettings settings) {
        this.settings = requireNonNull(settings, "settings");
        this.decoder = new ImageDecoder(settings.maxPixels());
    }

    /** The capability, for the CPU worker or the GPU one. */
    public static CapabilitySchema capability(boolean requiresGpu, int maxConcurrency) {
        return CapabilitySchema.builder("classify", "image_category")
                .version("1.0.0")
                .description("Classifies an image as document, diagram, chart, screenshot, photo or blank (default model; "
                        + "an operator's model brings its own labels) and measures brightness, contrast, colours and edges")
                .inputSchema(INPUT_SCHEMA)
                .outputSchema(OUTPUT_SCHEMA)
                .requiresGpu(requiresGpu)
                .maxConcurrency(maxConcurrency)
                .idempotent(true)
                .tags("image", "classification", requiresGpu ? "gpu" : "cpu")
                .errorCodes("INVALID_INPUT", "MALFORMED_JSON", "INVALID_BASE64", "INVALID_IMAGE", "INVALID_TOP_K",
                        "PAYLOAD_TOO_LARGE", "IMAGE_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "TOO_MANY_REQUESTS")
                .build();
    }

    /** {@code config} with a body limit of at least {@link #BODY_LIMIT}; used by the catalog factories. */
    public static WorkerConfig withImageBodyLimit(WorkerConfig config) {
        ServerLimits limits = config.limits();
        if (limits.maxContentLength() >= BODY_LIMIT) {
            return config;
        }
        return config.withLimits(limits.withMaxContentLength(BODY_LIMIT));
    }

    /**
     * Serves one request; {@code infer} turns a prepared model input into ranked predictions.
     */
    public CrankResponse classify(CrankRequest request, ImageModel model, String device,
                                  Function<float[], List<ImageModel.Prediction>> infer) {
        long started = System.nanoTime();
        int topK;
        byte[] bytes;
        if (request.isJson()) {
            JsonNode input = request.json();
            topK = input.path("top_k").asInt(3);
            bytes = decodeBase64(input.get("image_base64").asText());
        } else {
            topK = topK(request);
            bytes = request.body();
            checkSize(bytes.length);
        }
        ImageDecoder.Decoded decoded = decoder.decode(bytes);
        Pixels working = Pixels.of(decoded.image(), WORKING_SIZE);
        ImageAnalysis analysis = ImageAnalysis.of(working, decoded.width(), decoded.height(), decoded.format());
        List<ImageModel.Prediction> predictions = infer.apply(model.prepare(working));
        classified.incrementAndGet();

        ObjectNode answer = CrankJson.object();
        ArrayNode ranked = answer.putArray("predictions");
        for (ImageModel.Prediction prediction : predictions.subList(0, Math.min(topK, predictions.size()))) {
            ranked.addObject().put("label", prediction.label())
                    .put("confidence", Math.round(prediction.confidence() * 1_000_000) / 1_000_000.0);
        }
        answer.set("analysis", analysis.toJson());
        answer.putObject("model").put("name", model.name()).put("version", model.version()).put("device", device);
        answer.put("processing_time_ms", (System.nanoTime() - started) / 1_000_000.0);
        return CrankResponse.json(answer);
    }

    /**
     * The predictions for one prepared input, through {@code batcher}: 503 {@code MODEL_BUSY} when its queue is
     * full or closed, 503 {@code MODEL_TIMEOUT} when it does not answer within 30 s.
     */
    static List<ImageModel.Prediction> infer(MicroBatcher<float[], List<ImageModel.Prediction>> batcher, float[] input) {
        try {
            return batcher.submit(input).get(RESULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CrankException.unavailable("INTERRUPTED", "The worker is shutting down");
        } catch (TimeoutException e) {
            throw CrankException.unavailable("MODEL_TIMEOUT", "The model did not answer within " + RESULT_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RejectedExecutionException) {
                throw CrankException.unavailable("MODEL_BUSY", "The batch queue is full or closed: " + e.getCause().getMessage());
            }
            throw new IllegalStateException("the image model failed", e.getCause());
        }
    }

    /** Images classified since start. */
    public long classified() {
        return classified.get();
    }

    private byte[] decodeBase64(String text) {
        String data = text;
        if (data.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = data.indexOf(',');
            if (comma < 0 || !data.substring(0, comma).toLowerCase(java.util.Locale.ROOT).endsWith(";base64")) {
                throw CrankException.badRequest("INVALID_BASE64", "image_base64: a data: URL must be of the form data:<type>;base64,<data>");
            }
            data = data.substring(comma + 1);
        }
        if (data.chars().anyMatch(Character::isWhitespace)) {
            data = data.replaceAll("\\s+", "");
        }
        int padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
        checkSize((long) data.length() * 3 / 4 - padding);
        boolean urlSafe = data.indexOf('-') >= 0 || data.indexOf('_') >= 0;
        try {
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(data);
        } catch (IllegalArgumentException e) {
            throw CrankException.badRequest("INVALID_BASE64", "image_base64 is not valid base64: " + e.getMessage());
        }
    }

    private void checkSize(long bytes) {
        if (bytes > settings.maxImageBytes()) {
            throw new CrankException(413, "PAYLOAD_TOO_LARGE", "The image is " + bytes + " bytes (expected: at most "
                    + settings.maxImageBytes() + ")");
        }
    }

    private static int topK(CrankRequest request) {
        return request.queryParam("top_k").map(value -> {
            try {
                int k = Integer.parseInt(value.strip());
                if (k >= 1 && k <= MAX_TOP_K) {
                    return k;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw CrankException.badRequest("INVALID_TOP_K", "top_k: '" + value + "' (expected: an integer 1-" + MAX_TOP_K + ")");
        }).orElse(3);
    }
}
