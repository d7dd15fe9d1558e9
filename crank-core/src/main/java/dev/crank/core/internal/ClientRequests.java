package dev.crank.core.internal;

import dev.crank.core.CrankClient;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;

/** Converts a {@link CrankClient.Request} to the Netty message sent on a keep-alive connection. */
public final class ClientRequests {

    private ClientRequests() {}

    public static FullHttpRequest toNetty(CrankClient.Request request, String host, int port) {
        URI uri = URI.create(request.uri().toASCIIString()); // servers refuse raw non-ASCII in a request target
        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            target += "?" + uri.getRawQuery();
        }
        FullHttpRequest message = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()),
                target, Unpooled.wrappedBuffer(request.body()));
        request.headers().forEach(message.headers()::set);
        message.headers().set(HttpHeaderNames.HOST, host + ":" + port);
        message.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        message.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, request.body().length);
        return message;
    }
}
