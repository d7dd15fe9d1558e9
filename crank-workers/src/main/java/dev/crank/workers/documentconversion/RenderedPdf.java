package dev.crank.workers.documentconversion;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A finished PDF.
 *
 * @param refusedFetches how many times openhtmltopdf asked a network or file stream for bytes; the
 *                       access controller refuses such URIs first, so this stays 0 unless that guard
 *                       were bypassed, and then the stream refuses too
 */
public record RenderedPdf(byte[] bytes, int pages, Optional<String> title, List<ConversionWarning> warnings,
                          int refusedFetches, Duration renderTime) {

    public RenderedPdf {
        requireNonNull(bytes, "bytes");
        requireNonNull(title, "title");
        warnings = List.copyOf(warnings);
        requireNonNull(renderTime, "renderTime");
    }
}
