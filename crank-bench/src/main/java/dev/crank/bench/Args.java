package dev.crank.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code --name value} options and {@code --flag} switches of a bench command; every read names its default. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    Args(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (expected: --name value)");
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(name, args[++i]);
            } else {
                values.put(name, "true");
            }
        }
    }

    Optional<String> optional(String name) {
        return Optional.ofNullable(values.get(name));
    }

    String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    int integer(String name, int defaultValue) {
        return optional(name).map(Integer::parseInt).orElse(defaultValue);
    }

    double number(String name, double defaultValue) {
        return optional(name).map(Double::parseDouble).orElse(defaultValue);
    }

    boolean flag(String name) {
        return optional(name).map(Boolean::parseBoolean).orElse(false);
    }

    Duration duration(String name, Duration defaultValue) {
        return optional(name).map(Args::parseDuration).orElse(defaultValue);
    }

    List<Integer> integers(String name, String defaultValue) {
        List<Integer> list = new ArrayList<>();
        for (String part : string(name, defaultValue).split(",")) {
            list.add(Integer.parseInt(part.trim()));
        }
        return list;
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}. */
    static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        if (value.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
        }
        if (value.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)) * 60);
        }
        throw new IllegalArgumentException("duration: '" + text + "' (expected: 500ms, 30s or 2m)");
    }
}
