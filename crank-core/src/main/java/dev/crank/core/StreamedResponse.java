package dev.crank.core;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A response whose body is still arriving ({@link CrankClient#stream}); read {@link #body()} to the end or close it. */
public record StreamedResponse(int status, Map<String, List<String>> headers, BodyReader body) {

    public StreamedResponse {
        headers = Map.copyOf(headers);
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
