package dev.crank.core.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Feeds the one outstanding exchange of a pooled connection to its {@link ResponseSink}, enforcing its deadline.
 * The deadline costs no timer per exchange: one timer per connection is armed at the earliest deadline and,
 * when it fires, either fails the exchange that is late or re-arms for the one now outstanding, so a
 * keep-alive connection carrying many short exchanges schedules (and cancels) nothing per exchange.
 */
public final class ResponseHandler extends SimpleChannelInboundHandler<HttpObject> {

    private ResponseSink sink;
    private ScheduledFuture<?> timer; // armed at or before deadlineNanos while an exchange has a deadline
    private long timerAt;
    private long deadlineNanos; // 0: no deadline outstanding
    private Duration deadline;
    private boolean written;
    private Runnable writable;

    /** Called on the channel's event loop before the request is written. */
    public void begin(Channel channel, ResponseSink sink, Duration deadline) {
        this.sink = sink;
        this.writable = null;
        this.written = false;
        this.deadline = deadline;
        long now = System.nanoTime();
        this.deadlineNanos = Math.max(1, now + deadline.toNanos());
        if (timer == null || timerAt - deadlineNanos > 0) {
            arm(channel, now);
        }
    }

    private void arm(Channel channel, long now) {
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = deadlineNanos;
        timer = channel.eventLoop().schedule(() -> expire(channel), Math.max(0, deadlineNanos - now), TimeUnit.NANOSECONDS);
    }

    private void expire(Channel channel) {
        timer = null;
        if (deadlineNanos == 0 || sink == null) {
            return; // nothing outstanding: the next exchange arms again
        }
        long now = System.nanoTime();
        if (now - deadlineNanos < 0) {
            arm(channel, now); // a later exchange than the one this timer was armed for
            return;
        }
        fail(new TimeoutException("no response within " + deadline));
        channel.close();
    }

    /** Runs {@code action} each time the connection becomes writable again, until the exchange ends (a streamed request body). */
    public void onWritable(Runnable action) {
        this.writable = action;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        Runnable action = writable;
        if (action != null && ctx.channel().isWritable()) {
            action.run();
        }
        super.channelWritabilityChanged(ctx);
    }

    /** The request bytes were handed to the socket: from now on the server may have seen them. */
    public void written() {
        written = true;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
        if (sink == null) {
            return;
        }
        if (message instanceof HttpResponse head) {
            if (head.decoderResult().isFailure()) {
                fail(new IOException("malformed response: " + head.decoderResult().cause()));
                ctx.close();
                return;
            }
            if (sink.headOnlyDeadline()) {
                cancelTimeout();
            }
            sink.onHead(ctx.channel(), head);
        }
        if (message instanceof HttpContent content && sink != null) {
            if (content.content().isReadable()) {
                sink.onContent(ctx.channel(), content.content());
            }
            if (message instanceof LastHttpContent) {
                ResponseSink done = sink;
                sink = null;
                cancelTimeout();
                done.onEnd(ctx.channel());
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (sink != null) {
            sink.onReadComplete(ctx.channel());
        }
        ctx.fireChannelReadComplete();
    }

    /** Fails the outstanding exchange, if any. */
    public void fail(Throwable cause) {
        ResponseSink failed = sink;
        sink = null;
        cancelTimeout();
        if (failed != null) {
            failed.onError(cause, written);
        }
    }

    /** The outstanding deadline is met (or moot); the connection's timer, if armed, finds nothing to do. */
    private void cancelTimeout() {
        deadlineNanos = 0;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timer != null) {
            timer.cancel(false); // a closed connection is not kept for its timer
            timer = null;
        }
        fail(new IOException("connection to " + ctx.channel().remoteAddress() + " closed before the response ended"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
        ctx.close();
    }
}
