package dev.crank.workers.streaming;

import dev.crank.core.ResponseStream;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits between the frames of a stream on {@link ResponseStream#pause}, so a client that disconnects
 * ends the wait at once, and in short slices, so a worker that starts draining ends it soon too.
 */
final class Pacer {

    /** Why a wait ended. */
    enum Outcome { ELAPSED, CLIENT_LEFT, STOPPING }

    private static final long SLICE_NANOS = Duration.ofMillis(200).toNanos();

    private final BooleanSupplier running;

    /** @param running whether the worker still serves (false once it drains) */
    Pacer(BooleanSupplier running) {
        this.running = running;
    }

    Outcome pause(ResponseStream out, Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        while (true) {
            if (!out.isOpen()) {
                return Outcome.CLIENT_LEFT;
            }
            if (!running.getAsBoolean()) {
                return Outcome.STOPPING;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Outcome.ELAPSED;
            }
            if (!out.pause(Duration.ofNanos(Math.min(left, SLICE_NANOS)))) {
                return Outcome.CLIENT_LEFT;
            }
        }
    }
}
