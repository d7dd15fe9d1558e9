package dev.crank.core.internal;

import dev.crank.core.ClientRequest;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;

/** Converts a {@link ClientRequest} to the Netty messages sent on a keep-alive connection. */
public final class ClientRequests {

    private ClientRequests() {}

    public static FullHttpRequest toNetty(ClientRequest request, String host, int port) {
        FullHttpRequest message = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()),
                target(request), Unpooled.wrappedBuffer(request.body()));
        request.headers().forEach(message.headers()::set);
        message.headers().set(HttpHeaderNames.HOST, host + ":" + port);
        message.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        message.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, request.body().length);
        return message;
    }

    /** The head of a request whose body follows as it streams: {@code contentLength} bytes, or chunked when -1. */
    public static HttpRequest head(ClientRequest request, String host, int port, long contentLength) {
        HttpRequest message = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()), target(request));
        request.headers().forEach(message.headers()::set);
        message.headers().set(HttpHeaderNames.HOST, host + ":" + port);
        message.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        if (contentLength >= 0) {
            message.headers().set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        } else {
            message.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return message;
    }

    private static String target(ClientRequest request) {
        URI uri = URI.create(request.uri().toASCIIString()); // servers refuse raw non-ASCII in a request target
        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            target += "?" + uri.getRawQuery();
        }
        return target;
    }
}
