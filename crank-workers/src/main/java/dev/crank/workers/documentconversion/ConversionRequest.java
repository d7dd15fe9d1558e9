package dev.crank.workers.documentconversion;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankException;
import dev.crank.core.CrankRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One document to convert, read either from the JSON form ({@code document} or
 * {@code document_base64}, {@code source_format}, {@code title}, {@code page_size}) or from a raw
 * {@code text/markdown}, {@code text/html} or {@code text/plain} body (with {@code title} and
 * {@code page_size} as query parameters).
 *
 * @param formatDetected whether {@code format} was guessed rather than given
 */
public record ConversionRequest(String document, SourceFormat format, boolean formatDetected,
                                Optional<String> title, PageSize pageSize) {

    private static final Pattern CHARSET = Pattern.compile(";\\s*charset\\s*=\\s*\"?([^\";\\s]+)\"?", Pattern.CASE_INSENSITIVE);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    public ConversionRequest {
        requireNonNull(document, "document");
        requireNonNull(format, "format");
        requireNonNull(title, "title");
        requireNonNull(pageSize, "pageSize");
    }

    /** Reads and checks the request; bad input is a 4xx {@link CrankException}. */
    public static ConversionRequest read(CrankRequest request, ConversionLimits limits) {
        return request.isJson() ? fromJson(request.json(), limits) : fromRawBody(request, limits);
    }

    static ConversionRequest fromJson(JsonNode input, ConversionLimits limits) {
        if (!input.isObject()) {
            throw CrankException.badRequest("INVALID_INPUT", "The input must be a JSON object");
        }
        String document;
        if (input.hasNonNull("document_base64")) {
            document = decodeBase64(text(input, "document_base64"), limits);
        } else if (input.hasNonNull("document")) {
            document = text(input, "document");
            checkSize(document.getBytes(StandardCharsets.UTF_8).length, limits);
        } else {
            throw CrankException.badRequest("MISSING_DOCUMENT", "Give the document as 'document' or 'document_base64'");
        }
        document = checkNotBlank(stripBom(document));
        boolean detected = !input.hasNonNull("source_format");
        SourceFormat format = detected ? SourceFormat.detect(document) : SourceFormat.parse(text(input, "source_format"));
        Optional<String> title = input.hasNonNull("title") ? cleanTitle(text(input, "title")) : Optional.empty();
        PageSize pageSize = input.hasNonNull("page_size") ? PageSize.parse(text(input, "page_size")) : PageSize.A4;
        return new ConversionRequest(document, format, detected, title, pageSize);
    }

    static ConversionRequest fromRawBody(CrankRequest request, ConversionLimits limits) {
        SourceFormat format = SourceFormat.ofMediaType(request.contentType()).orElseThrow(() -> new CrankException(415,
                "UNSUPPORTED_MEDIA_TYPE", "Content-Type " + request.contentType() + " (expected: application/json, "
                        + "text/markdown, text/html or text/plain)"));
        checkSize(request.body().length, limits);
        String document = checkNotBlank(stripBom(decode(request.body(), charset(request))));
        Optional<String> title = request.queryParam("title").flatMap(ConversionRequest::cleanTitle);
        PageSize pageSize = request.queryParam("page_size").map(PageSize::parse).orElse(PageSize.A4);
        return new ConversionRequest(document, format, false, title, pageSize);
    }

    private static String text(JsonNode input, String field) {
        JsonNode value = input.get(field);
        if (!value.isTextual()) {
            throw CrankException.badRequest("INVALID_INPUT", field + ": " + value.getNodeType().name().toLowerCase(Locale.ROOT)
                    + " (expected: a string)");
        }
        return value.asText();
    }

    private static String decodeBase64(String encoded, ConversionLimits limits) {
        String compact = WHITESPACE.matcher(encoded).replaceAll("");
        // Refuse before decoding: 4 base64 characters carry 3 bytes.
        checkSize((long) compact.length() / 4 * 3 - 2, limits);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw CrankException.badRequest("INVALID_BASE64", "document_base64 is not valid base64: " + e.getMessage());
        }
        checkSize(bytes.length, limits);
        return decode(bytes, StandardCharsets.UTF_8);
    }

    private static Charset charset(CrankRequest request) {
        Matcher matcher = CHARSET.matcher(request.header("content-type").orElse(""));
        if (!matcher.find()) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(matcher.group(1));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new CrankException(415, "UNSUPPORTED_CHARSET", "charset " + matcher.group(1) + " is not supported");
        }
    }

    private static String decode(byte[] bytes, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            String code = charset.equals(StandardCharsets.UTF_8) ? "INVALID_UTF8" : "INVALID_ENCODING";
            throw CrankException.badRequest(code, "The document is not valid " + charset.name());
        }
    }

    private static void checkSize(long bytes, ConversionLimits limits) {
        if (bytes > limits.maxDocumentBytes()) {
            throw new CrankException(413, "DOCUMENT_TOO_LARGE", "The document has " + bytes + " bytes (expected: at most "
                    + limits.maxDocumentBytes() + ")");
        }
    }

    private static String stripBom(String document) {
        return document.startsWith("\uFEFF") ? document.substring(1) : document;
    }

    private static String checkNotBlank(String document) {
        if (document.isBlank()) {
            throw CrankException.badRequest("EMPTY_DOCUMENT", "The document is empty");
        }
        return document;
    }

    private static Optional<String> cleanTitle(String title) {
        String clean = WHITESPACE.matcher(title).replaceAll(" ").strip();
        return clean.isEmpty() ? Optional.empty() : Optional.of(clean);
    }
}
