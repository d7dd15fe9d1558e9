package dev.crank.core.internal;

import dev.crank.core.NotSentException;
import dev.crank.core.ClientResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** Collects a whole response, up to a size limit. */
public final class AggregatingSink implements ResponseSink {

    private final CompletableFuture<ClientResponse> result;
    private final int maxSize;
    private final BiConsumer<Channel, Boolean> release;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private HttpResponse head;
    private boolean tooLarge;

    /** {@code release} gets the channel and whether it can be reused once the exchange is over. */
    public AggregatingSink(CompletableFuture<ClientResponse> result, int maxSize, BiConsumer<Channel, Boolean> release) {
        this.result = result;
        this.maxSize = maxSize;
        this.release = release;
    }

    @Override
    public void onHead(Channel channel, HttpResponse head) {
        this.head = head;
    }

    @Override
    public void onContent(Channel channel, ByteBuf content) {
        if (body.size() + content.readableBytes() > maxSize) {
            tooLarge = true;
            channel.close();
            return;
        }
        body.writeBytes(ByteBufUtil.getBytes(content));
    }


    @Override
    public void onEnd(Channel channel) {
        boolean keepAlive = !head.headers().contains("connection", "close", true);
        release.accept(channel, keepAlive);
        result.complete(new ClientResponse(head.status().code(), headers(head), body.toByteArray()));
    }

    @Override
    public void onError(Throwable cause, boolean requestWritten) {
        if (tooLarge) {
            result.completeExceptionally(new java.io.IOException("response larger than " + maxSize + " bytes"));
        } else {
            result.completeExceptionally(requestWritten ? cause : new NotSentException(cause));
        }
    }

    @Override
    public boolean headOnlyDeadline() {
        return false;
    }

    public static Map<String, List<String>> headers(HttpResponse head) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        head.headers().forEach(header ->
                headers.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(header.getValue()));
        return headers;
    }
}
