package dev.crank.core.internal;

import dev.crank.core.CrankResponse;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/** Converts {@link CrankResponse}s to Netty messages. */
final class NettyResponses {

    private static final AsciiString NOSNIFF_NAME = AsciiString.cached("x-content-type-options");
    private static final AsciiString NOSNIFF = AsciiString.cached("nosniff");

    private NettyResponses() {}

    static FullHttpResponse full(CrankResponse response, boolean keepAlive) {
        FullHttpResponse message = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
        copyHeaders(response, message.headers(), keepAlive);
        message.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        return message;
    }

    /** The head of a chunked response; its body follows as {@code HttpContent}s. */
    static HttpResponse streamHead(CrankResponse response, boolean keepAlive) {
        HttpResponse message = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()));
        copyHeaders(response, message.headers(), keepAlive);
        message.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        message.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        return message;
    }

    /**
     * The head of a relayed response: with the upstream's {@code Content-Length} when it sent one
     * ({@code contentLength >= 0}), so a small answer crosses the gateway as it came, else chunked.
     */
    static HttpResponse relayHead(CrankResponse response, boolean keepAlive, long contentLength) {
        if (contentLength < 0) {
            return streamHead(response, keepAlive);
        }
        HttpResponse message = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()));
        copyHeaders(response, message.headers(), keepAlive);
        message.headers().set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        return message;
    }

    /** As above, from headers the relay built: {@code headers} becomes the message's own (not copied). */
    static HttpResponse relayHead(int status, HttpHeaders headers, boolean keepAlive, long contentLength) {
        HttpResponse message = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), headers);
        headers.set(NOSNIFF_NAME, NOSNIFF);
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (contentLength < 0) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        } else {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        }
        return message;
    }

    private static void copyHeaders(CrankResponse response, HttpHeaders headers, boolean keepAlive) {
        response.headers().forEach(headers::set);
        headers.set(NOSNIFF_NAME, NOSNIFF);
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }
}
