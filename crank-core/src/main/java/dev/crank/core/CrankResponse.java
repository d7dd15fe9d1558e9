package dev.crank.core;

import static java.util.Objects.requireNonNull;

import dev.crank.core.internal.Json;
import dev.crank.core.internal.Relay;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link Handler} answers: a status, headers and either a whole body or a {@link StreamBody}
 * that writes the body as it is produced.
 *
 * <pre>{@code
 * return CrankResponse.json(Map.of("greeting", "Hello, World!"));
 * }</pre>
 */
public final class CrankResponse {

    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";

    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Optional<StreamBody> stream;
    private final Optional<Relay> relay;

    private CrankResponse(int status, Map<String, String> headers, byte[] body, Optional<StreamBody> stream) {
        this(status, headers, body, stream, Optional.empty());
    }

    private CrankResponse(int status, Map<String, String> headers, byte[] body, Optional<StreamBody> stream, Optional<Relay> relay) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100-599)");
        }
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.stream = stream;
        this.relay = relay;
    }

    /** 200 with {@code value} serialised as JSON. */
    public static CrankResponse json(Object value) {
        return json(200, value);
    }

    public static CrankResponse json(int status, Object value) {
        return of(status, JSON, Json.bytes(requireNonNull(value, "value")));
    }

    public static CrankResponse text(int status, String contentType, String text) {
        return of(status, contentType, requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
    }

    public static CrankResponse of(int status, String contentType, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", requireNonNull(contentType, "contentType"));
        return new CrankResponse(status, headers, requireNonNull(body, "body"), Optional.empty());
    }

    /** A 200 whose body {@code producer} writes while the client reads it (chunked encoding). */
    public static CrankResponse stream(String contentType, StreamBody producer) {
        return stream(200, contentType, producer);
    }

    /** A response with {@code status} whose body {@code producer} writes while the client reads it. */
    public static CrankResponse stream(int status, String contentType, StreamBody producer) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", requireNonNull(contentType, "contentType"));
        return new CrankResponse(status, headers, new byte[0], Optional.of(requireNonNull(producer, "producer")));
    }

    /**
     * An answer produced on event loops by {@code relay} rather than by the handler thread (the controller's
     * gateway); the handler thread is free as soon as it returns this. Plumbing, not API.
     */
    public static CrankResponse relayed(Relay relay) {
        return new CrankResponse(200, new LinkedHashMap<>(), new byte[0], Optional.empty(), Optional.of(requireNonNull(relay, "relay")));
    }

    /** A copy with one more header (names are case-insensitive; a later value replaces an earlier one). */
    public CrankResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(requireNonNull(name, "name").toLowerCase(java.util.Locale.ROOT), requireNonNull(value, "value"));
        return new CrankResponse(status, copy, body, stream);
    }

    /** A copy whose stream body runs {@code after} once it has finished, however it finished. */
    public CrankResponse whenStreamDone(Runnable after) {
        requireNonNull(after, "after");
        if (stream.isEmpty()) {
            after.run();
            return this;
        }
        StreamBody inner = stream.get();
        StreamBody wrapped = out -> {
            try {
                inner.writeTo(out);
            } finally {
                after.run();
            }
        };
        return new CrankResponse(status, headers, body, Optional.of(wrapped));
    }

    public int status() {
        return status;
    }

    /** Headers with lower-case names. */
    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public byte[] body() {
        return body;
    }

    public Optional<StreamBody> stream() {
        return stream;
    }

    /** The relay of a {@link #relayed} answer. */
    public Optional<Relay> relay() {
        return relay;
    }
}
