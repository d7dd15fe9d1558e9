package dev.crank.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Where the registry's membership lives between restarts. The {@link Registry} hands it changes
 * (register, deregister, evict) in the order it decided them, a batch at a time from one thread, and
 * publishes a change (acknowledges it to the caller, makes it routable) only after the store said it
 * is durable. So an implementation may be asynchronous and replicated: it completes the future once
 * the batch survives a crash of this process (and, for a replicated store, of this node).
 *
 * <p>Heartbeats are not stored: a restart gives every restored worker a fresh window, and it is
 * routable again on its first heartbeat.
 *
 * <p>A store shared by several controllers ({@link #shared()}: etcd) differs in four ways, through the
 * default methods below that a single-node store leaves alone: it tells the registry about every change
 * through {@link #follow} (other controllers' as it learns of them, this controller's own through
 * {@link Follower#committed} once committed, before the write completes); liveness is the store's (a
 * heartbeat {@link #renew renews} the worker's lease, and the store removes a worker whose lease ran
 * out); it counts the live controllers; and a batch is bounded by what one transaction may carry
 * ({@link #weight}, {@link #maxWeight}).
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

    /** Whether other controllers share this store (then it, not this controller, decides liveness). */
    default boolean shared() {
        return false;
    }

    /** The most changes one {@link #write} should carry. */
    default int maxBatch() {
        return 4096;
    }

    /**
     * How many writers may commit side by side, each deciding and writing its own share of the worker ids
     * one batch at a time (so the changes of one worker stay in order). More than one only for a store
     * whose writes check themselves against each other (etcd's compares): a writer does not see what
     * another has in flight.
     */
    default int writers() {
        return 1;
    }

    /** What {@code change} costs of a {@link #write}'s {@link #maxWeight} (a transaction's operations). */
    default int weight(RegistryChange change) {
        return 1;
    }

    /** The most weight one {@link #write} may carry: the writer never hands it more, and refuses a change heavier alone. */
    default int maxWeight() {
        return Integer.MAX_VALUE;
    }

    /**
     * Runs {@code decision} (the writer's checks against the registry and its call to {@link #write})
     * while the followed view stands still, so that what a write assumes about other controllers'
     * changes is what the checks saw.
     */
    default <T> T withView(Supplier<T> decision) {
        return decision.get();
    }

    /**
     * Starts telling {@code follower} about changes after {@link #load}, from any controller: a worker id
     * maps to its stored document, or to empty when it is gone. Called once, after {@link #load}.
     */
    default void follow(Follower follower) {}

    /**
     * Renews a worker's liveness in a {@link #shared()} store, without a thread waiting for it: the future
     * completes with false when the store no longer has the worker, and fails (with a
     * {@link StoreUnavailableException}) when the store did not renew it within its own deadline.
     */
    default CompletableFuture<Boolean> renew(String workerId) {
        return CompletableFuture.completedFuture(true);
    }

    /** Controllers sharing this store now, this one included (at least 1). */
    default int liveControllers() {
        return 1;
    }

    /** Whether the followed view may be behind the store (it cannot be reached now). */
    default boolean stale() {
        return false;
    }

    /** Receives the changes of a {@link #shared()} store, in the store's order, one call at a time. */
    @FunctionalInterface
    interface Follower {
        /** Changes the store learnt of (another controller's, an expired lease): a worker id to its document, or empty when gone. */
        void changed(Map<String, Optional<ObjectNode>> changes);

        /**
         * This controller's own changes, committed by a {@link #write} that completes after this returns
         * (one change per worker id, newer than anything this follower was told about that worker).
         */
        default void committed(List<RegistryChange> changes) {
            Map<String, Optional<ObjectNode>> documents = new java.util.LinkedHashMap<>();
            for (RegistryChange change : changes) {
                documents.put(change.workerId(), change instanceof RegistryChange.Register register
                        ? Optional.of(RegistrationCodec.toDocument(register.worker())) : Optional.empty());
            }
            changed(documents);
        }
    }

    /** The store cannot take changes now (disk full, read-only, unreachable). */
    final class StoreUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StoreUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Another controller changed what a write was decided against (a capability's contract) before it
     * reached the store: nothing was written, the view has caught up, decide again.
     */
    final class ViewChangedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ViewChangedException(String message) {
            super(message);
        }
    }
}
