package dev.crank.core.internal;

import dev.crank.core.CrankException;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The deadline for a whole request head, between TLS and the HTTP decoder. It starts when the TLS
 * handshake completes (first request) or when the first byte of a later request arrives, and stops when
 * {@link RequestAggregator} has the head. A client that trickles its head (one byte a second) gets a 408
 * {@code REQUEST_TIMEOUT}, answered after any earlier request on the connection, and is closed; one that
 * sent nothing at all is closed silently. Time spent with reading paused by the server does not count.
 */
final class RequestHeadTimeoutHandler extends ChannelInboundHandlerAdapter {

    private final long timeoutNanos;
    private final Counter timeouts;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean betweenRequests = true;
    private boolean partialHead;
    private boolean expired;

    RequestHeadTimeoutHandler(Duration timeout, Counter timeouts) {
        this.timeoutNanos = timeout.toNanos();
        this.timeouts = timeouts;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess() && betweenRequests && timer == null) {
            arm();
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (expired) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf bytes && bytes.isReadable() && betweenRequests) {
            partialHead = true;
            if (timer == null) {
                arm();
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** The decoder has the whole head of the current request. */
    void headReceived() {
        cancel();
        betweenRequests = false;
        partialHead = false;
    }

    /** The current request is read to its end; the next head's deadline starts with its first byte. */
    void requestReceived() {
        betweenRequests = true;
    }

    private void arm() {
        timer = ctx.executor().schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void expire() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            arm(); // the server stopped reading (pipeline full): the client is not late
            return;
        }
        expired = true;
        timeouts.increment();
        if (partialHead) {
            ctx.fireChannelRead(new Exchange.Reject(new CrankException(408, "REQUEST_TIMEOUT",
                    "The request head did not arrive within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"), "", false));
        } else {
            ctx.close();
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }
}
