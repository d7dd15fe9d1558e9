package dev.crank.core.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.function.LongConsumer;

/**
 * The body of a request that is streamed rather than aggregated (the gateway's non-JSON calls): the
 * connection's read side {@link #offer}s chunks as they arrive, one consumer takes them when it wants
 * them ({@link #subscribe}, {@link #demand}). With more than {@value #HIGH_WATER} bytes not taken, the
 * caller's connection stops reading (TCP then slows the caller); it reads again below
 * {@value #LOW_WATER}. So a streamed body holds at most about {@code HIGH_WATER} plus one read of memory,
 * whatever its size. Confined to the caller's event loop. Plumbing, not API.
 */
public final class RequestBody {

    static final int HIGH_WATER = 256 * 1024;
    static final int LOW_WATER = 64 * 1024;

    /** Takes the chunks of a streamed body on the caller's event loop. */
    public interface Subscriber {
        /** One chunk; the subscriber owns it. */
        void onChunk(ByteBuf chunk);

        /** The body ended. */
        void onEnd();

        /** The body cannot be read to its end (the caller left, or it is over the size limit). */
        void onError(Throwable cause);
    }

    private final Channel caller;
    private final long contentLength;
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private long buffered;
    private boolean ended;
    private Throwable failure;
    private boolean cancelled;
    private boolean pausedReading;
    private boolean demand = true;
    private boolean touched;
    private boolean delivered;
    private Subscriber subscriber;
    private LongConsumer accounting = delta -> { };

    RequestBody(Channel caller, long contentLength) {
        this.caller = caller;
        this.contentLength = contentLength;
    }

    /** The caller's {@code Content-Length}, or -1 when the body is chunked. */
    public long contentLength() {
        return contentLength;
    }

    /** Bytes received from the caller and not taken yet. */
    public long buffered() {
        return buffered;
    }

    /** Whether any chunk was taken: from then on the body cannot be sent again. */
    public boolean touched() {
        return touched;
    }

    /** Whether the whole body was delivered to the subscriber. */
    public boolean complete() {
        return delivered && failure == null;
    }

    /**
     * Starts delivering to {@code subscriber} (once); from now on {@code accounting} gets every change of
     * {@link #buffered()} (at once the bytes already buffered), so a relay can count what it holds.
     */
    public void subscribe(Subscriber subscriber, LongConsumer accounting) {
        if (this.subscriber != null) {
            throw new IllegalStateException("a request body has one subscriber");
        }
        this.subscriber = subscriber;
        this.accounting = accounting;
        accounting.accept(buffered);
        drain();
    }

    /** Whether the subscriber wants chunks now (false while its own destination is not writable). */
    public void demand(boolean wanted) {
        demand = wanted;
        if (wanted) {
            drain();
        }
    }

    /** Drops what is buffered and whatever still arrives (the exchange ended without it); reading resumes. */
    public void cancel() {
        cancelled = true;
        releaseAll();
        resumeReading();
    }

    void offer(ByteBuf chunk) {
        if (cancelled || ended) {
            chunk.release();
            return;
        }
        chunks.add(chunk);
        buffered += chunk.readableBytes();
        accounting.accept(chunk.readableBytes());
        drain();
        if (buffered > HIGH_WATER && !pausedReading && !cancelled) {
            pausedReading = true;
            caller.config().setAutoRead(false);
        }
    }

    void end() {
        ended = true;
        drain();
    }

    void fail(Throwable cause) {
        if (ended || cancelled) {
            return;
        }
        ended = true;
        failure = cause;
        releaseAll();
        drain();
    }

    private void drain() {
        if (subscriber == null || delivered) {
            return;
        }
        ByteBuf chunk;
        while (demand && (chunk = chunks.poll()) != null) {
            buffered -= chunk.readableBytes();
            accounting.accept(-chunk.readableBytes());
            touched = true;
            subscriber.onChunk(chunk);
        }
        if (pausedReading && buffered <= LOW_WATER) {
            resumeReading();
        }
        if (ended && chunks.isEmpty() && !delivered) {
            delivered = true;
            if (failure != null) {
                subscriber.onError(failure);
            } else {
                subscriber.onEnd();
            }
        }
    }

    private void resumeReading() {
        if (pausedReading) {
            pausedReading = false;
            caller.config().setAutoRead(true);
            caller.read();
        }
    }

    private void releaseAll() {
        ByteBuf chunk;
        while ((chunk = chunks.poll()) != null) {
            chunk.release();
        }
        accounting.accept(-buffered);
        buffered = 0;
    }
}
