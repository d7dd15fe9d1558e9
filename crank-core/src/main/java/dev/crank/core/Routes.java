package dev.crank.core;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a worker binds in {@link WorkerApplication#configure(Routes)}: a handler per capability,
 * served at {@code POST /invoke/{verb}/{name}}, and any extra routes of its own.
 *
 * <pre>{@code
 * routes.capability("greet:hello_world", request -> CrankResponse.json(greet(request.json())));
 * routes.get("/stats", request -> CrankResponse.json(stats()));
 * }</pre>
 */
public final class Routes {

    /** A handler bound to a capability, with the non-JSON media types it reads itself. */
    record CapabilityBinding(Handler handler, Set<String> rawMediaTypes) {}

    /** An extra route. */
    record Route(String method, String path, Handler handler) {}

    private final Map<String, CapabilityBinding> capabilities = new LinkedHashMap<>();
    private final List<Route> routes = new java.util.ArrayList<>();

    /**
     * Binds {@code handler} to capability {@code key} ({@code verb:name}). JSON bodies are validated
     * against the capability's input schema before the handler runs; bodies of the listed
     * {@code rawMediaTypes} reach the handler unvalidated; any other type is a 415.
     */
    public Routes capability(String key, Handler handler, String... rawMediaTypes) {
        requireNonNull(key, "key");
        requireNonNull(handler, "handler");
        if (capabilities.putIfAbsent(key, new CapabilityBinding(handler, Set.of(rawMediaTypes))) != null) {
            throw new IllegalArgumentException("capability " + key + " is bound twice");
        }
        return this;
    }

    public Routes get(String path, Handler handler) {
        return route("GET", path, handler);
    }

    public Routes post(String path, Handler handler) {
        return route("POST", path, handler);
    }

    public Routes put(String path, Handler handler) {
        return route("PUT", path, handler);
    }

    public Routes delete(String path, Handler handler) {
        return route("DELETE", path, handler);
    }

    public Routes route(String method, String path, Handler handler) {
        routes.add(new Route(requireNonNull(method, "method"), requireNonNull(path, "path"), requireNonNull(handler, "handler")));
        return this;
    }

    Map<String, CapabilityBinding> capabilities() {
        return capabilities;
    }

    List<Route> routes() {
        return routes;
    }
}
