package dev.crank.core.internal;

import static java.util.Objects.requireNonNull;

import dev.crank.core.CrankException;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.Handler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Maps method and path templates ({@code /zettels/{id}}) to handlers. The first route added wins,
 * so routes a worker adds shadow the framework's. No match is a 404; a path that matches under
 * another method is a 405 with {@code Allow}.
 */
public final class Router implements Handler {

    /** {@code params[i]} is the name of the parameter at segment {@code i}, or null where the segment is literal. */
    private record Route(String method, String[] segments, String[] params, Handler handler) {}

    private final List<Route> routes = new CopyOnWriteArrayList<>();

    public void add(String method, String template, Handler handler) {
        requireNonNull(method, "method");
        requireNonNull(handler, "handler");
        if (!requireNonNull(template, "template").startsWith("/")) {
            throw new IllegalArgumentException("template: " + template + " (expected: a path starting with /)");
        }
        String[] segments = split(template);
        String[] params = new String[segments.length];
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.startsWith("{") && segment.endsWith("}")) {
                params[i] = segment.substring(1, segment.length() - 1);
            }
        }
        routes.add(new Route(method, segments, params, handler));
    }

    @Override
    public CrankResponse handle(CrankRequest request) throws Exception {
        String[] path = split(request.path());
        TreeSet<String> allowed = null; // only a 405 needs it
        for (Route route : routes) {
            Optional<Map<String, String>> params = match(route, path);
            if (params.isEmpty()) {
                continue;
            }
            if (route.method.equals(request.method())) {
                return route.handler.handle(request.withPathParams(params.get()));
            }
            if (allowed == null) {
                allowed = new TreeSet<>();
            }
            allowed.add(route.method);
        }
        if (allowed != null) {
            throw new MethodNotAllowed(request.method(), request.path(), String.join(", ", allowed));
        }
        throw CrankException.notFound("NOT_FOUND", "No route for " + request.method() + " " + request.path());
    }

    /** The path parameters when {@code path} matches the route: literal segments are compared before any map is made. */
    private static Optional<Map<String, String>> match(Route route, String[] path) {
        String[] template = route.segments;
        if (template.length != path.length) {
            return Optional.empty();
        }
        for (int i = 0; i < template.length; i++) {
            if (route.params[i] == null ? !template[i].equals(path[i]) : path[i].isEmpty()) {
                return Optional.empty();
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            if (route.params[i] != null) {
                params.put(route.params[i], path[i]);
            }
        }
        return Optional.of(params);
    }

    /** The non-empty segments between slashes, counted first so that nothing but the segments is allocated. */
    private static String[] split(String path) {
        int count = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) != '/' && (i == 0 || path.charAt(i - 1) == '/')) {
                count++;
            }
        }
        String[] segments = new String[count];
        int n = 0;
        int start = -1;
        for (int i = 0; i <= path.length(); i++) {
            boolean slash = i == path.length() || path.charAt(i) == '/';
            if (slash && start >= 0) {
                segments[n++] = path.substring(start, i);
                start = -1;
            } else if (!slash && start < 0) {
                start = i;
            }
        }
        return segments;
    }

    /** A 405 that carries the methods the path does allow. */
    public static final class MethodNotAllowed extends CrankException {
        private static final long serialVersionUID = 1L;
        private final String allow;

        MethodNotAllowed(String method, String path, String allow) {
            super(405, "METHOD_NOT_ALLOWED", method + " is not allowed on " + path + " (allowed: " + allow + ")");
            this.allow = allow;
        }

        public String allow() {
            return allow;
        }
    }
}
