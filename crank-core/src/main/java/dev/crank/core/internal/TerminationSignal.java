package dev.crank.core.internal;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Blocks until SIGTERM or SIGINT. Handling the signals (instead of relying on shutdown hooks) lets a
 * process drain, deregister and then exit with status 0.
 */
public final class TerminationSignal {

    private static final Logger logger = LoggerFactory.getLogger(TerminationSignal.class);
    private static final CountDownLatch RECEIVED = new CountDownLatch(1);
    private static volatile boolean installed;

    private TerminationSignal() {}

    public static void await() throws InterruptedException {
        install();
        RECEIVED.await();
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    logger.info("Received SIG{}; shutting down gracefully", signal.getName());
                    RECEIVED.countDown();
                });
            } catch (IllegalArgumentException e) {
                logger.debug("Cannot handle SIG{} on this platform: {}", name, e.getMessage());
            }
        }
        installed = true;
    }
}
