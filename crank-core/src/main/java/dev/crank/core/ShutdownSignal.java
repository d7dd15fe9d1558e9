package dev.crank.core;

import dev.crank.core.internal.TerminationSignal;

/**
 * For a process that runs several applications: blocks until SIGTERM or SIGINT, so the caller can
 * close them in its own order and exit 0. ({@link WorkerApplication#run()} does this for one.)
 */
public final class ShutdownSignal {

    private ShutdownSignal() {}

    public static void await() throws InterruptedException {
        TerminationSignal.await();
    }
}
