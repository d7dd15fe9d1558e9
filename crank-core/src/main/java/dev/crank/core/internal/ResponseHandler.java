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

/** Feeds the one outstanding exchange of a pooled connection to its {@link ResponseSink}, enforcing its deadline. */
public final class ResponseHandler extends SimpleChannelInboundHandler<HttpObject> {

    private ResponseSink sink;
    private ScheduledFuture<?> timeout;
    private boolean written;
    private Runnable writable;

    /** Called on the channel's event loop before the request is written. */
    public void begin(Channel channel, ResponseSink sink, Duration deadline) {
        this.sink = sink;
        this.writable = null;
        this.written = false;
        this.timeout = channel.eventLoop().schedule(() -> {
            fail(new TimeoutException("no response within " + deadline));
            channel.close();
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
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

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        fail(new IOException("connection to " + ctx.channel().remoteAddress() + " closed before the response ended"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
        ctx.close();
    }
}
