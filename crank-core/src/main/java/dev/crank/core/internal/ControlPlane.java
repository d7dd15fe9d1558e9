package dev.crank.core.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The paths served on their own bounded executor, apart from everything else ({@code /health}, and on
 * the controller {@code /register}, {@code /heartbeat}, ...): however busy the other handlers are,
 * these keep answering. A path matches a prefix that equals it or is followed by {@code /}.
 */
public final class ControlPlane implements DispatchHandler.ExecutorChooser {

    private final List<String> prefixes;
    private final Executor executor;

    public ControlPlane(Set<String> prefixes, Executor executor) {
        this.prefixes = List.copyOf(prefixes);
        this.executor = executor;
    }

    /** Whether {@code path} belongs to the control plane. */
    public boolean matches(String path) {
        for (String prefix : prefixes) {
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Executor forPath(String path) {
        return matches(path) ? executor : null;
    }
}
