package dev.crank.core.internal;

import dev.crank.core.NotSentException;
import dev.crank.core.BodyReader;
import dev.crank.core.StreamedResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Hands a response to its reader as it arrives. When the reader falls behind by {@value #HIGH_WATER}
 * chunks the connection stops reading from the socket (TCP pushes back on the server) until the
 * reader has caught up to {@value #LOW_WATER}.
 */
public final class StreamingSink implements ResponseSink, BodyReader {

    private static final int HIGH_WATER = 16;
    private static final int LOW_WATER = 4;
    private static final Object END = new Object();

    private final CompletableFuture<StreamedResponse> head;
    private final BiConsumer<Channel, Boolean> release;
    private final BlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Channel channel;

    public StreamingSink(CompletableFuture<StreamedResponse> head, BiConsumer<Channel, Boolean> release) {
        this.head = head;
        this.release = release;
    }

    @Override
    public void onHead(Channel channel, HttpResponse response) {
        this.channel = channel;
        head.complete(new StreamedResponse(response.status().code(), AggregatingSink.headers(response), this));
    }

    @Override
    public void onContent(Channel channel, ByteBuf content) {
        chunks.add(ByteBufUtil.getBytes(content));
        if (chunks.size() >= HIGH_WATER) {
            channel.config().setAutoRead(false);
        }
    }

    @Override
    public void onEnd(Channel channel) {
        chunks.add(END);
        if (finished.compareAndSet(false, true)) {
            channel.config().setAutoRead(true);
            release.accept(channel, true);
        }
    }

    @Override
    public void onError(Throwable cause, boolean requestWritten) {
        if (!head.isDone()) {
            head.completeExceptionally(requestWritten ? cause : new NotSentException(cause));
        } else {
            chunks.add(cause);
        }
    }

    @Override
    public boolean headOnlyDeadline() {
        return true;
    }

    @Override
    public Optional<byte[]> read(Duration timeout) throws IOException, InterruptedException {
        Object item = chunks.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (item == null) {
            throw new IOException("no data from the server within " + timeout);
        }
        Channel current = channel;
        if (current != null && !current.config().isAutoRead() && chunks.size() <= LOW_WATER) {
            current.eventLoop().execute(() -> {
                current.config().setAutoRead(true);
                current.read();
            });
        }
        if (item == END) {
            chunks.add(END);
            return Optional.empty();
        }
        if (item instanceof Throwable failure) {
            chunks.add(failure);
            throw failure instanceof IOException io ? io : new IOException(failure);
        }
        return Optional.of((byte[]) item);
    }

    @Override
    public void close() {
        if (finished.compareAndSet(false, true)) {
            Channel current = channel;
            if (current != null) {
                current.close();
                release.accept(current, false);
            }
        }
    }

}
