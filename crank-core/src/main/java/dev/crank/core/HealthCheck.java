package dev.crank.core;

import static java.util.Objects.requireNonNull;

/**
 * One entry of the {@code checks} array of {@code GET /health/ready}: a name, whether it passes and a
 * short detail for an operator. A worker adds its own in {@link WorkerApplication#checkReadiness}; the
 * worker is ready only when every check passes.
 *
 * <pre>{@code
 * checks.add(HealthCheck.of("model", model.isLoaded(), model.name()));
 * }</pre>
 */
public record HealthCheck(String name, boolean healthy, String detail) {

    public HealthCheck {
        requireNonNull(name, "name");
        if (!name.matches("[a-z][a-z0-9_]{0,63}")) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: [a-z][a-z0-9_]{0,63})");
        }
        requireNonNull(detail, "detail");
    }

    public static HealthCheck of(String name, boolean healthy, String detail) {
        return new HealthCheck(name, healthy, detail);
    }
}
