package dev.crank.controller;

import static java.util.Objects.requireNonNull;

/** One change of membership, as a {@link RegistryStore} receives it. */
public sealed interface RegistryChange {

    String workerId();

    /** A worker registered, or registered again (its entry is replaced). */
    record Register(RegisteredWorker worker) implements RegistryChange {
        public Register {
            requireNonNull(worker, "worker");
        }

        @Override
        public String workerId() {
            return worker.workerId();
        }
    }

    /** A worker left on its own. */
    record Deregister(String workerId) implements RegistryChange {
        public Deregister {
            requireNonNull(workerId, "workerId");
        }
    }

    /** A worker was removed after missing its heartbeats. */
    record Evict(String workerId) implements RegistryChange {
        public Evict {
            requireNonNull(workerId, "workerId");
        }
    }
}
