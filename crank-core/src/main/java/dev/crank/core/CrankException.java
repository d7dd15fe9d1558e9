package dev.crank.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The root of Crank's unchecked exceptions. One that reaches the server becomes an
 * {@code application/problem+json} response with its {@link #status()} and {@link #code()}.
 *
 * <pre>{@code
 * throw CrankException.badRequest("TEXT_TOO_SHORT", "text: 12 characters (expected: at least 50)");
 * }</pre>
 */
public class CrankException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final List<String> errors;
    private final transient Optional<Duration> retryAfter;

    public CrankException(int status, String code, String detail) {
        this(status, code, detail, List.of(), Optional.empty(), null);
    }

    public CrankException(int status, String code, String detail, Throwable cause) {
        this(status, code, detail, List.of(), Optional.empty(), cause);
    }

    private CrankException(int status, String code, String detail, List<String> errors,
                           Optional<Duration> retryAfter, Throwable cause) {
        super(requireNonNull(detail, "detail"), cause);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 400-599)");
        }
        this.status = status;
        this.code = requireNonNull(code, "code");
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    public static CrankException badRequest(String code, String detail) {
        return new CrankException(400, code, detail);
    }

    /** A 400 listing every schema violation. */
    public static CrankException invalid(String code, String detail, List<String> errors) {
        return new CrankException(400, code, detail, errors, Optional.empty(), null);
    }

    public static CrankException forbidden(String detail) {
        return new CrankException(403, "FORBIDDEN", detail);
    }

    public static CrankException notFound(String code, String detail) {
        return new CrankException(404, code, detail);
    }

    public static CrankException conflict(String code, String detail) {
        return new CrankException(409, code, detail);
    }

    public static CrankException tooManyRequests(String detail, Duration retryAfter) {
        return new CrankException(429, "TOO_MANY_REQUESTS", detail, List.of(),
                Optional.of(requireNonNull(retryAfter, "retryAfter")), null);
    }

    public static CrankException unavailable(String code, String detail) {
        return new CrankException(503, code, detail);
    }

    /** A 503 that tells the caller when to try again ({@code Retry-After}). */
    public static CrankException unavailable(String code, String detail, Duration retryAfter) {
        return new CrankException(503, code, detail, List.of(), Optional.of(requireNonNull(retryAfter, "retryAfter")), null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    public List<String> errors() {
        return errors;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
