package dev.crank.core.internal;

/**
 * Which requests have their body streamed to the handler's relay ({@link RequestBody}) instead of
 * aggregated first: decided on the head, from the method, the decoded path and the {@code Content-Type}.
 */
@FunctionalInterface
public interface StreamedBodies {

    /** Every body aggregated (the default). */
    StreamedBodies NONE = (method, path, contentType) -> false;

    boolean streams(String method, String path, String contentType);
}
