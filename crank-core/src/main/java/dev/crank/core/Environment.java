package dev.crank.core;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings an operator passes as environment variables, read with one set of checks: a bad value
 * is an {@link IllegalArgumentException} naming the variable, the value and what was expected. Blank
 * values count as unset. Take it from a map so tests need no real variables; a command line lays its
 * flags over it with {@link #with(String, Object)}.
 *
 * <pre>{@code
 * Environment env = Environment.of(System.getenv()).with("CRANK_HTTPS_PORT", portFlag);
 * Duration interval = env.duration("CRANK_HEARTBEAT_INTERVAL").orElse(Duration.ofSeconds(30));
 * }</pre>
 */
public final class Environment {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private final Map<String, String> variables;

    private Environment(Map<String, String> variables) {
        this.variables = variables;
    }

    public static Environment of(Map<String, String> variables) {
        return new Environment(Map.copyOf(requireNonNull(variables, "variables")));
    }

    /** This environment with {@code name} set to {@code value}; a {@code null} value (an unset flag) changes nothing. */
    public Environment with(String name, Object value) {
        requireNonNull(name, "name");
        if (value == null) {
            return this;
        }
        Map<String, String> copy = new HashMap<>(variables);
        copy.put(name, value.toString());
        return new Environment(Map.copyOf(copy));
    }

    /** The trimmed value; empty when unset or blank. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(variables.get(requireNonNull(name, "name"))).map(String::trim).filter(value -> !value.isEmpty());
    }

    public Optional<Path> path(String name) {
        return get(name).map(Path::of);
    }

    /** A port, {@code 0-65535}. */
    public Optional<Integer> port(String name) {
        return get(name).map(value -> integer(name, value, 0, 65535, "a port 0-65535"));
    }

    /** A whole number above zero. */
    public Optional<Integer> positiveInt(String name) {
        return get(name).map(value -> integer(name, value, 1, Integer.MAX_VALUE, "a positive integer"));
    }

    /** A duration above zero: {@code 500ms}, {@code 30s}, {@code 2m} or {@code 1h}. */
    public Optional<Duration> duration(String name) {
        return get(name).map(value -> parseDuration(name, value));
    }

    /** One {@code https://} URL. */
    public Optional<URI> httpsUrl(String name) {
        return get(name).map(value -> url(name, value));
    }

    /** A comma-separated list of {@code https://} URLs, in order; empty entries are skipped. */
    public List<URI> httpsUrls(String name) {
        return get(name).stream().flatMap(value -> Arrays.stream(value.split(","))).map(String::trim)
                .filter(value -> !value.isEmpty()).map(value -> url(name, value)).toList();
    }

    /**
     * The PEM files of {@code <prefix>_CERT}, {@code <prefix>_KEY} and {@code <prefix>_CA}: all three, checked
     * readable, or none (empty). One or two of them is an error that names the missing ones.
     */
    public Optional<TlsMaterial> tls(String prefix) {
        List<String> names = List.of(prefix + "_CERT", prefix + "_KEY", prefix + "_CA");
        List<String> missing = names.stream().filter(name -> get(name).isEmpty()).toList();
        if (missing.size() == names.size()) {
            return Optional.empty();
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are")
                    + " not set: " + String.join(", ", names) + " go together (or set none of them)");
        }
        return Optional.of(new TlsMaterial(path(names.get(0)).orElseThrow(), path(names.get(1)).orElseThrow(),
                path(names.get(2)).orElseThrow()).verifyReadable());
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 2m} or {@code 1h}; {@code setting} names the value in the message. */
    public static Duration parseDuration(String setting, String text) {
        Matcher matcher = DURATION.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(setting + ": '" + text + "' (expected: a duration such as 500ms, 30s, 2m or 1h)");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration duration = switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        if (duration.isZero()) {
            throw new IllegalArgumentException(setting + ": '" + text + "' (expected: more than zero)");
        }
        return duration;
    }

    private static int integer(String name, String value, int min, int max, String expected) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message
        }
        throw new IllegalArgumentException(name + ": '" + value + "' (expected: " + expected + ")");
    }

    private static URI url(String name, String value) {
        try {
            return WorkerConfig.requireHttps(name, new URI(value));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a URL (expected: https://host:port)");
        }
    }
}
