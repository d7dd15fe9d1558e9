package dev.crank.core.internal;

import dev.crank.core.CrankException;
import dev.crank.core.CrankResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * The caller's side of one relayed exchange. Every method may be called from any thread: the work is
 * handed to the caller's event loop in call order, so a relay never writes to the caller's channel from
 * a foreign thread. Written bytes are counted until they have reached the socket, which is what a relay
 * uses for backpressure ({@link #buffered()}) instead of growing a queue.
 */
public final class RelayExchange {

    private final Channel channel;
    private final EventLoop loop;
    private final boolean keepAlive;
    private final String path;
    private final BiConsumer<ChannelFuture, Boolean> finish;
    private volatile long buffered;
    private boolean ended; // event loop only
    private boolean headSent; // event loop only
    private volatile GenericFutureListener<Future<? super Void>> closeListener;

    RelayExchange(Channel channel, boolean keepAlive, String path, BiConsumer<ChannelFuture, Boolean> finish) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.keepAlive = keepAlive;
        this.path = path;
        this.finish = finish;
    }

    /** The request path, for problem answers. */
    public String path() {
        return path;
    }

    /** Whether the caller is still connected. */
    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * Runs {@code action} if the caller's connection closes before the exchange has ended (at once if it
     * already has). The listener is removed when the exchange ends, so a keep-alive connection carrying
     * many calls does not collect one per call.
     */
    public void onClose(Runnable action) {
        GenericFutureListener<Future<? super Void>> listener = closed -> action.run();
        closeListener = listener;
        channel.closeFuture().addListener(listener);
    }

    /** Bytes handed to {@link #write} that have not reached the socket yet. */
    public long buffered() {
        return buffered;
    }

    /** Answers with a whole response (a refusal, a problem) and ends the exchange. */
    public void respond(CrankResponse response) {
        loop.execute(() -> {
            if (ended) {
                return;
            }
            ended = true;
            forgetCloseListener();
            finish.accept(channel.writeAndFlush(NettyResponses.full(response, keepAlive)), keepAlive);
        });
    }

    /** Answers {@code problem} as {@code application/problem+json} and ends the exchange. */
    public void respond(CrankException problem) {
        respond(Problems.response(problem, path));
    }

    /** Sends the status line and headers of a chunked answer; the body follows with {@link #write}. */
    public void head(CrankResponse head) {
        loop.execute(() -> {
            if (!ended) {
                headSent = true;
                channel.writeAndFlush(NettyResponses.streamHead(head, keepAlive));
            }
        });
    }

    /**
     * Sends one chunk (this takes ownership of {@code chunk}); {@code written} gets the byte count once
     * it reached the socket (or was dropped), on the caller's event loop.
     */
    public void write(ByteBuf chunk, LongConsumer written) {
        int size = chunk.readableBytes();
        addBuffered(size);
        loop.execute(() -> {
            if (ended || !headSent) {
                ReferenceCountUtil.release(chunk);
                addBuffered(-size);
                written.accept(size);
                return;
            }
            channel.writeAndFlush(new DefaultHttpContent(chunk)).addListener(done -> {
                addBuffered(-size);
                written.accept(size);
            });
        });
    }

    /** Ends a chunked answer. */
    public void end() {
        loop.execute(() -> {
            if (!ended) {
                ended = true;
                forgetCloseListener();
                finish.accept(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), keepAlive);
            }
        });
    }

    /** Ends the exchange by closing the connection: the only honest signal once a status line is sent. */
    public void abort() {
        loop.execute(() -> {
            if (!ended) {
                ended = true;
                forgetCloseListener();
                finish.accept(channel.close(), false);
            }
        });
    }

    private void forgetCloseListener() {
        GenericFutureListener<Future<? super Void>> listener = closeListener;
        if (listener != null) {
            channel.closeFuture().removeListener(listener);
        }
    }

    private synchronized void addBuffered(long delta) {
        buffered += delta;
    }
}
