package dev.crank.core;

import static java.util.Objects.requireNonNull;

import dev.crank.core.internal.WorkerRoutes;
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

    /**
     * Binds a typed handler to capability {@code key}: the body, validated against the input schema,
     * is bound to {@code inputType} (see {@link CrankRequest#json(Class)}) and the value the handler returns
     * is the JSON answer. Generate the schemas from the same records with
     * {@link CapabilitySchema.Builder#inputSchema(Class)} and {@link CapabilitySchema.Builder#outputSchema(Class)}.
     *
     * <pre>{@code
     * routes.capability("greet:hello", Hello.class, (hello, request) -> new Greeting("Hello, " + hello.name()));
     * }</pre>
     */
    public <I> Routes capability(String key, Class<I> inputType, CapabilityHandler<I, ?> handler) {
        requireNonNull(inputType, "inputType");
        requireNonNull(handler, "handler");
        return capability(key, request -> CrankResponse.json(handler.handle(request.json(inputType), request)));
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

    /** Hands every binding to the worker's router. */
    void bindTo(WorkerRoutes table) {
        capabilities.forEach((key, binding) -> table.capability(key, binding.handler(), binding.rawMediaTypes()));
        routes.forEach(route -> table.route(route.method(), route.path(), route.handler()));
    }

    List<Route> routes() {
        return routes;
    }
}
