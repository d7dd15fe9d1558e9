package dev.crank.core.internal;

import dev.crank.core.CrankClient;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Completes the one outstanding request of a pooled connection with its response, or fails it. */
public final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

    private CompletableFuture<CrankClient.Response> current;
    private ScheduledFuture<?> timeout;

    /** Called on the channel's event loop before the request is written. */
    public void begin(io.netty.channel.Channel channel, CompletableFuture<CrankClient.Response> result, Duration deadline) {
        current = result;
        timeout = channel.eventLoop().schedule(() -> {
            fail(new TimeoutException("no response within " + deadline));
            channel.close();
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse message) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        message.headers().forEach(header ->
                headers.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(header.getValue()));
        CrankClient.Response response = new CrankClient.Response(message.status().code(), headers,
                ByteBufUtil.getBytes(message.content()));
        CompletableFuture<CrankClient.Response> result = take();
        if (result != null) {
            result.complete(response);
        }
    }

    /** Fails the outstanding request, if any. */
    public void fail(Throwable cause) {
        CompletableFuture<CrankClient.Response> result = take();
        if (result != null) {
            result.completeExceptionally(cause);
        }
    }

    private CompletableFuture<CrankClient.Response> take() {
        CompletableFuture<CrankClient.Response> result = current;
        current = null;
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
        return result;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        fail(new IOException("connection to " + ctx.channel().remoteAddress() + " closed before a response"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
        ctx.close();
    }
}
