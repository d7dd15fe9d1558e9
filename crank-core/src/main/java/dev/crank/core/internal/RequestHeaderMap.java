package dev.crank.core.internal;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request's decoded headers seen as the read-only {@code Map<String, List<String>>} of
 * {@link dev.crank.core.CrankRequest} (lower-case names, values in arrival order), without copying them:
 * a lookup reads the Netty headers (case-insensitive); the map of every header is built only if someone
 * iterates. The headers must not change once the request is handed to a handler (dispatch guarantees it:
 * the aggregator is done with the head by then). Plumbing, not API.
 */
public final class RequestHeaderMap extends AbstractMap<String, List<String>> {

    private final HttpHeaders headers;
    private Map<String, List<String>> copy; // built on first iteration

    RequestHeaderMap(HttpHeaders headers) {
        this.headers = headers;
    }

    @Override
    public List<String> get(Object key) {
        if (!(key instanceof String name)) {
            return null;
        }
        List<String> values = headers.getAll(name);
        return values.isEmpty() ? null : List.copyOf(values);
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String name && headers.contains(name);
    }

    @Override
    public int size() {
        return all().size();
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
        return all().entrySet();
    }

    private synchronized Map<String, List<String>> all() {
        if (copy == null) {
            Map<String, List<String>> grouped = new LinkedHashMap<>();
            headers.forEach(header -> grouped.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(header.getValue()));
            grouped.replaceAll((name, values) -> List.copyOf(values));
            copy = Map.copyOf(grouped);
        }
        return copy;
    }
}
