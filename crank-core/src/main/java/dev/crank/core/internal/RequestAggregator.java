package dev.crank.core.internal;

import dev.crank.core.CrankException;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/**
 * Turns the decoder's heads and body chunks into {@link Exchange}s, one per request, in the order they
 * arrived. It never writes: a body over the limit, a failed expectation or bytes that are not HTTP become
 * an {@link Exchange.Reject} that {@link DispatchHandler} answers after every earlier request, so an error
 * never overtakes (or destroys) the answer to a request that already ran.
 *
 * <p>After a request the decoder cannot frame (bad syntax, bad chunking), everything else on the
 * connection is dropped: there is no reliable place where the next request starts.
 */
final class RequestAggregator extends ChannelInboundHandlerAdapter {

    private static final int MAX_COMPONENTS = 1024;

    private final int maxContentLength;
    private final RequestHeadTimeoutHandler headTimeout;
    private final StreamedBodies streamed;
    private HttpRequest head;
    private RequestBody stream;
    private long streamedBytes;
    private CompositeByteBuf body;
    private boolean discardingBody;
    private boolean unframed;

    RequestAggregator(int maxContentLength, RequestHeadTimeoutHandler headTimeout) {
        this(maxContentLength, headTimeout, StreamedBodies.NONE);
    }

    RequestAggregator(int maxContentLength, RequestHeadTimeoutHandler headTimeout, StreamedBodies streamed) {
        this.maxContentLength = maxContentLength;
        this.headTimeout = headTimeout;
        this.streamed = streamed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (unframed) {
                return;
            }
            if (msg instanceof HttpRequest request) {
                onHead(ctx, request);
            }
            if (msg instanceof HttpContent content && !unframed) {
                onContent(ctx, content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(ChannelHandlerContext ctx, HttpRequest request) {
        headTimeout.headReceived();
        releaseBody();
        discardingBody = false;
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            refuseUnframed(ctx, undecodable(result.cause()), "");
            return;
        }
        boolean expectsContinue = false;
        String expect = request.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null && !request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())) {
                refuseUnframed(ctx, new CrankException(417, "UNSUPPORTED_EXPECTATION",
                        "Only 'Expect: 100-continue' is supported"), request.uri());
                return;
            }
            expectsContinue = true;
            request.headers().remove(HttpHeaderNames.EXPECT);
        }
        if (HttpUtil.getContentLength(request, -1L) > maxContentLength) {
            if (expectsContinue) {
                // The client holds the body back, so the decoder cannot tell where the next request starts.
                refuseUnframed(ctx, tooLarge(), request.uri());
            } else {
                // Read and drop the body, so the client can read the answer instead of a reset mid-upload.
                ctx.fireChannelRead(new Exchange.Reject(tooLarge(), request.uri(), HttpUtil.isKeepAlive(request)));
                discardingBody = true;
            }
            return;
        }
        if (expectsContinue) {
            ctx.fireChannelRead(new Exchange.Continue());
        }
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (streamed != StreamedBodies.NONE && streamed.streams(request.method().name(), pathOf(request), contentType)) {
            // Dispatched now; the body follows as it arrives, and reading pauses while nobody takes it.
            stream = new RequestBody(ctx.channel(), HttpUtil.isTransferEncodingChunked(request) ? -1 : HttpUtil.getContentLength(request, 0L));
            streamedBytes = 0;
            ctx.fireChannelRead(new Exchange.Request(request, new byte[0], stream));
            return;
        }
        head = request;
        body = ctx.alloc().compositeBuffer(MAX_COMPONENTS);
    }

    private void onStreamedContent(ChannelHandlerContext ctx, HttpContent content) {
        RequestBody current = stream;
        boolean last = content instanceof LastHttpContent;
        if (content.decoderResult().isFailure()) {
            stream = null;
            current.fail(new java.io.IOException("the request body is not valid HTTP/1.1"));
            unframed = true;
            ctx.close();
            return;
        }
        int size = content.content().readableBytes();
        streamedBytes += size;
        if (streamedBytes > maxContentLength) {
            stream = null;
            current.fail(new java.io.IOException("the request body is larger than the limit of " + maxContentLength + " bytes"));
            unframed = true; // the answer may be under way already: closing is the only signal left
            ctx.close();
            return;
        }
        if (size > 0) {
            current.offer(content.content().retain());
        }
        if (last) {
            stream = null;
            headTimeout.requestReceived();
            current.end();
        }
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        if (stream != null) {
            onStreamedContent(ctx, content);
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (content.decoderResult().isFailure()) {
            String path = head == null ? "" : head.uri();
            releaseBody();
            refuseUnframed(ctx, undecodable(content.decoderResult().cause()), path);
            return;
        }
        if (discardingBody || head == null) {
            discardingBody &= !last;
            if (last) {
                headTimeout.requestReceived();
            }
            return;
        }
        if (body.readableBytes() > maxContentLength - content.content().readableBytes()) {
            ctx.fireChannelRead(new Exchange.Reject(tooLarge(), head.uri(), HttpUtil.isKeepAlive(head)));
            releaseBody();
            discardingBody = !last;
            if (last) {
                headTimeout.requestReceived();
            }
            return;
        }
        if (content.content().isReadable()) {
            body.addComponent(true, content.content().retain());
        }
        if (last) {
            HttpRequest request = head;
            byte[] bytes = ByteBufUtil.getBytes(body);
            releaseBody();
            if (HttpUtil.isTransferEncodingChunked(request)) {
                request.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            }
            headTimeout.requestReceived();
            ctx.fireChannelRead(new Exchange.Request(request, bytes));
        }
    }

    private static String pathOf(HttpRequest request) {
        try {
            return RequestTarget.parse(request.uri()).path();
        } catch (CrankException e) {
            return ""; // aggregated, and refused by dispatch
        }
    }

    private void refuseUnframed(ChannelHandlerContext ctx, CrankException problem, String path) {
        unframed = true;
        ctx.fireChannelRead(new Exchange.Reject(problem, path, false));
    }

    private CrankException tooLarge() {
        return new CrankException(413, "PAYLOAD_TOO_LARGE",
                "The request body is larger than the limit of " + maxContentLength + " bytes");
    }

    private static CrankException undecodable(Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            return new CrankException(431, "HEADERS_TOO_LARGE", "The request headers are larger than the limit");
        }
        if (cause instanceof TooLongHttpLineException) {
            return new CrankException(414, "URI_TOO_LONG", "The request line is longer than the limit");
        }
        if (cause instanceof TooLongFrameException) {
            return CrankException.badRequest("MALFORMED_REQUEST", "A part of the request is longer than the limit");
        }
        return CrankException.badRequest("MALFORMED_REQUEST", "The request is not valid HTTP/1.1");
    }

    private void releaseBody() {
        if (stream != null) {
            stream.fail(new java.io.IOException("the connection closed before the request body ended"));
            stream = null;
        }
        head = null;
        if (body != null) {
            body.release();
            body = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseBody();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseBody();
    }
}
