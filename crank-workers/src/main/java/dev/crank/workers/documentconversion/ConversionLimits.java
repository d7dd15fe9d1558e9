package dev.crank.workers.documentconversion;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The bounds of one conversion. Defaults: documents up to 2 MiB (UTF-8), 30 s of rendering, embedded
 * images up to 25 megapixels, 500 pages.
 *
 * @param maxDocumentBytes the largest document accepted, in UTF-8 bytes (413 {@code DOCUMENT_TOO_LARGE} above)
 * @param renderTimeout how long layout and rendering may take (422 {@code RENDER_TIMEOUT} beyond)
 * @param maxImagePixels the largest embedded image, width × height, decoded (larger ones are skipped with a warning)
 * @param maxPages the most pages one PDF may have (422 {@code TOO_MANY_PAGES} beyond; counted while layout
 *                 creates pages, so a page bomb stops at the limit instead of after it)
 */
public record ConversionLimits(int maxDocumentBytes, Duration renderTimeout, long maxImagePixels, int maxPages) {

    public static final int DEFAULT_MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;
    public static final Duration DEFAULT_RENDER_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 25_000_000L;
    public static final int DEFAULT_MAX_PAGES = 500;

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
        if (maxPages <= 0) {
            throw new IllegalArgumentException("maxPages: " + maxPages + " (expected: > 0)");
        }
    }

    public static ConversionLimits defaults() {
        return new ConversionLimits(DEFAULT_MAX_DOCUMENT_BYTES, DEFAULT_RENDER_TIMEOUT, DEFAULT_MAX_IMAGE_PIXELS, DEFAULT_MAX_PAGES);
    }

    public ConversionLimits withMaxDocumentBytes(int bytes) {
        return new ConversionLimits(bytes, renderTimeout, maxImagePixels, maxPages);
    }

    public ConversionLimits withRenderTimeout(Duration timeout) {
        return new ConversionLimits(maxDocumentBytes, timeout, maxImagePixels, maxPages);
    }

    public ConversionLimits withMaxImagePixels(long pixels) {
        return new ConversionLimits(maxDocumentBytes, renderTimeout, pixels, maxPages);
    }

    public ConversionLimits withMaxPages(int pages) {
        return new ConversionLimits(maxDocumentBytes, renderTimeout, maxImagePixels, pages);
    }
}
