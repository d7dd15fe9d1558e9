package dev.crank.core.internal;

import dev.crank.core.CrankException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/** Aggregates request bodies up to the limit; a larger one is answered 413 problem+json and the connection closed. */
final class ProblemAggregator extends HttpObjectAggregator {

    private final int maxContentLength;

    ProblemAggregator(int maxContentLength) {
        super(maxContentLength);
        this.maxContentLength = maxContentLength;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        String path = oversized instanceof HttpRequest request ? request.uri() : "";
        CrankException tooLarge = new CrankException(413, "PAYLOAD_TOO_LARGE",
                "The request body is larger than the limit of " + maxContentLength + " bytes");
        // Like Netty's own handling: keep a keep-alive connection (the rest of the body is discarded)
        // so the client can read the answer instead of seeing a reset mid-upload.
        boolean keepAlive = !(oversized instanceof FullHttpMessage)
                && (HttpUtil.is100ContinueExpected(oversized) || HttpUtil.isKeepAlive(oversized));
        ChannelFuture written = ctx.writeAndFlush(NettyResponses.full(Problems.response(tooLarge, path), keepAlive));
        written.addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
    }
}
