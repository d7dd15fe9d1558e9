package dev.crank.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.internal.Json;
import dev.crank.core.internal.RequestHeaderMap;
import dev.crank.core.internal.Utf8;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as a handler sees it: already read whole, with the caller's verified
 * {@link PeerIdentity}, the path parameters of the matched route and the query parameters.
 */
public final class CrankRequest {

    /** The header in which the controller forwards a caller's identity to a worker. */
    public static final String CALLER_HEADER = "x-crank-caller";

    private final String method;
    private final String path;
    private final Map<String, String> pathParams;
    private final Map<String, List<String>> queryParams;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final Optional<PeerIdentity> peer;
    private volatile JsonNode json;

    /**
     * @param headers header names in lower case
     */
    public CrankRequest(String method, String path, Map<String, String> pathParams,
                        Map<String, List<String>> queryParams, Map<String, List<String>> headers,
                        byte[] body, Optional<PeerIdentity> peer) {
        this.method = requireNonNull(method, "method");
        this.path = requireNonNull(path, "path");
        this.pathParams = Map.copyOf(pathParams);
        this.queryParams = Map.copyOf(queryParams);
        // The server's own view of the decoded headers is read-only already: no copy per request.
        this.headers = headers instanceof RequestHeaderMap ? headers : Map.copyOf(headers);
        this.body = requireNonNull(body, "body");
        this.peer = requireNonNull(peer, "peer");
    }

    /** A copy carrying the path parameters of the route that matched. */
    public CrankRequest withPathParams(Map<String, String> params) {
        CrankRequest copy = new CrankRequest(method, path, params, queryParams, headers, body, peer);
        copy.json = json;
        return copy;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no path parameter named " + name);
        }
        return value;
    }

    public Optional<String> queryParam(String name) {
        List<String> values = queryParams.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The media type of the body, lower case and without parameters; empty when not given. */
    public String contentType() {
        return header("content-type")
                .map(value -> value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .orElse("");
    }

    /** Whether the body is JSON or has no declared type (and so is read as JSON). */
    public boolean isJson() {
        String type = contentType();
        return type.isEmpty() || type.equals("application/json") || type.endsWith("+json");
    }

    /** Whether the {@code Accept} header names {@code mediaType} explicitly. */
    public boolean accepts(String mediaType) {
        return header("accept").map(accept -> accept.toLowerCase(Locale.ROOT).contains(mediaType)).orElse(false);
    }

    public byte[] body() {
        return body;
    }

    /** The body decoded as strict UTF-8; invalid bytes are a 400 {@code INVALID_UTF8}. */
    public String bodyText() {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw CrankException.badRequest("INVALID_UTF8", "The request body is not valid UTF-8");
        }
    }

    /** The body parsed as JSON (once); malformed JSON is a 400 {@code MALFORMED_JSON}. */
    public JsonNode json() {
        JsonNode parsed = json;
        if (parsed == null) {
            if (!Utf8.isValid(body)) { // a clear code before the parser guesses; checked without decoding
                bodyText(); // throws INVALID_UTF8
            }
            parsed = Json.parse(body);
            json = parsed;
        }
        return parsed;
    }

    /**
     * The body bound to {@code type}, usually a record whose components name the input's fields in
     * camelCase ({@code wordsPerMinute} reads {@code words_per_minute}). The framework has checked the
     * body against the capability's input schema already; a body that still does not fit {@code type}
     * is a 400 {@code INVALID_INPUT}.
     */
    public <T> T json(Class<T> type) {
        requireNonNull(type, "type");
        JsonNode node = json();
        try {
            return CrankJson.convert(node, type);
        } catch (IllegalArgumentException e) {
            throw CrankException.badRequest("INVALID_INPUT", "The request body does not fit " + type.getSimpleName());
        }
    }

    /**
     * Who the call is for: the peer itself, or, when the peer is the controller acting as a gateway,
     * the identity the controller forwards in {@value #CALLER_HEADER}. The header is ignored from anyone else.
     */
    public Optional<PeerIdentity> caller() {
        if (peer.isPresent() && peer.get().isController()) {
            Optional<String> forwarded = header(CALLER_HEADER);
            if (forwarded.isPresent()) {
                return PeerIdentity.parse(forwarded.get()).or(() -> peer);
            }
        }
        return peer;
    }

    /** The verified identity of the certificate on the other end of the connection. */
    public Optional<PeerIdentity> peer() {
        return peer;
    }
}
