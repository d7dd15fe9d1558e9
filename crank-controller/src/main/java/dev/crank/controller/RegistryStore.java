package dev.crank.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the registry's membership lives between restarts. The {@link Registry} hands it changes
 * (register, deregister, evict) in the order it decided them, a batch at a time from one thread, and
 * publishes a change (acknowledges it to the caller, makes it routable) only after the store said it
 * is durable. So an implementation may be asynchronous and replicated: it completes the future once
 * the batch survives a crash of this process (and, for a replicated store, of this node).
 *
 * <p>Heartbeats are not stored: a restart gives every restored worker a fresh window, and it is
 * routable again on its first heartbeat.
 */
public interface RegistryStore extends AutoCloseable {

    /** A stored registration, as written by {@link RegistrationCodec}; the registry validates it before use. */
    record Stored(String workerId, ObjectNode document) {}

    /** Opens the store (creating it if absent) and reads every registration in it. */
    List<Stored> load();

    /**
     * Applies {@code changes} in order, all or none; the future completes when they are durable, and
     * fails (with a {@link StoreUnavailableException}) when they are not, leaving the stored state as
     * it was before the batch.
     */
    CompletableFuture<Void> write(List<RegistryChange> changes);

    /** A short description for logs and errors ({@code sqlite:/path/registry.db}). */
    String describe();

    @Override
    void close();

    /** The store cannot take changes now (disk full, read-only, unreachable). */
    final class StoreUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StoreUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
