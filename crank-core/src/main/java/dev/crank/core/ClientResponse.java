package dev.crank.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A whole response a {@link CrankClient} received; header names are lower case. */
public record ClientResponse(int status, Map<String, List<String>> headers, byte[] body) {

    public ClientResponse {
        headers = Map.copyOf(headers);
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
        return CrankJson.parse(bodyText());
    }
}
