package dev.crank.workers.documentconversion;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import java.util.Optional;

/**
 * Something the conversion left out, reported beside the PDF: an external resource that was refused,
 * an image too large to embed, a data: URI that could not be decoded, characters no bundled font has.
 *
 * @param code {@code EXTERNAL_RESOURCE_REFUSED}, {@code IMAGE_TOO_LARGE}, {@code INVALID_DATA_URI},
 *             {@code GLYPHS_MISSING} or {@code WARNINGS_TRUNCATED}
 */
public record ConversionWarning(String code, String message, Optional<String> uri) {

    /** URIs longer than this are cut in warnings (a data: URI can be megabytes long). */
    static final int MAX_URI_CHARS = 300;

    public ConversionWarning {
        requireNonNull(code, "code");
        requireNonNull(message, "message");
        requireNonNull(uri, "uri");
        uri = uri.map(ConversionWarning::shorten);
    }

    public ObjectNode toJson() {
        ObjectNode json = CrankJson.object().put("code", code).put("message", message);
        uri.ifPresent(value -> json.put("uri", value));
        return json;
    }

    private static String shorten(String uri) {
        return uri.length() <= MAX_URI_CHARS ? uri : uri.substring(0, MAX_URI_CHARS) + "…";
    }
}
