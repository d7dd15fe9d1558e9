package dev.crank.workers.documentconversion;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The bounds of one conversion. Defaults: documents up to 2 MiB (UTF-8), 30 s of rendering, embedded
 * images up to 25 megapixels.
 *
 * @param maxDocumentBytes the largest document accepted, in UTF-8 bytes (413 {@code DOCUMENT_TOO_LARGE} above)
 * @param renderTimeout how long layout and rendering may take (422 {@code RENDER_TIMEOUT} beyond)
 * @param maxImagePixels the largest embedded image, width × height, decoded (larger ones are skipped with a warning)
 */
public record ConversionLimits(int maxDocumentBytes, Duration renderTimeout, long maxImagePixels) {

    public static final int DEFAULT_MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;
    public static final Duration DEFAULT_RENDER_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 25_000_000L;

    public ConversionLimits {
        if (maxDocumentBytes <= 0) {
            throw new IllegalArgumentException("maxDocumentBytes: " + maxDocumentBytes + " (expected: > 0)");
        }
        requireNonNull(renderTimeout, "renderTimeout");
        if (renderTimeout.isNegative() || renderTimeout.isZero()) {
            throw new IllegalArgumentException("renderTimeout: " + renderTimeout + " (expected: > 0)");
        }
        if (maxImagePixels <= 0) {
            throw new IllegalArgumentException("maxImagePixels: " + maxImagePixels + " (expected: > 0)");
        }
    }

    public static ConversionLimits defaults() {
        return new ConversionLimits(DEFAULT_MAX_DOCUMENT_BYTES, DEFAULT_RENDER_TIMEOUT, DEFAULT_MAX_IMAGE_PIXELS);
    }

    public ConversionLimits withMaxDocumentBytes(int bytes) {
        return new ConversionLimits(bytes, renderTimeout, maxImagePixels);
    }

    public ConversionLimits withRenderTimeout(Duration timeout) {
        return new ConversionLimits(maxDocumentBytes, timeout, maxImagePixels);
    }

    public ConversionLimits withMaxImagePixels(long pixels) {
        return new ConversionLimits(maxDocumentBytes, renderTimeout, pixels);
    }
}
