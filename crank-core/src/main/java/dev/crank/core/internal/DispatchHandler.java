package dev.crank.core.internal;

import dev.crank.core.CrankException;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.Handler;
import dev.crank.core.PeerIdentity;
import dev.crank.core.ResponseStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each aggregated request to the {@link Handler} on the handler executor and writes the
 * answer back. Requests on one connection are answered in order, one at a time.
 */
final class DispatchHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger logger = LoggerFactory.getLogger(DispatchHandler.class);

    private record Pending(CrankRequest request, boolean keepAlive) {}

    private final Handler handler;
    private final Executor executor;
    private final InFlight inFlight;
    private final Duration writeTimeout;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private boolean busy;
    private Optional<PeerIdentity> peer;

    DispatchHandler(Handler handler, Executor executor, InFlight inFlight, Duration writeTimeout) {
        this.handler = handler;
        this.executor = executor;
        this.inFlight = inFlight;
        this.writeTimeout = writeTimeout;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest message) {
        if (message.decoderResult().isFailure()) {
            rejectUndecodable(ctx, message);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(message.uri());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        message.headers().forEach(header ->
                headers.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(header.getValue()));
        CrankRequest request = new CrankRequest(message.method().name(), uri.path(), Map.of(), uri.parameters(),
                headers, ByteBufUtil.getBytes(message.content()), peer(ctx));
        pending.add(new Pending(request, HttpUtil.isKeepAlive(message)));
        if (!busy) {
            next(ctx);
        }
    }

    private void next(ChannelHandlerContext ctx) {
        Pending request = pending.poll();
        if (request == null) {
            busy = false;
            return;
        }
        busy = true;
        inFlight.increment();
        try {
            executor.execute(() -> handle(ctx, request));
        } catch (RejectedExecutionException e) {
            CrankResponse busyResponse = Problems.response(
                    CrankException.unavailable("SERVER_BUSY", "Every handler thread is busy; retry later"), request.request().path());
            finish(ctx, ctx.writeAndFlush(NettyResponses.full(busyResponse.withHeader("retry-after", "1"), request.keepAlive())), request);
        }
    }

    private void handle(ChannelHandlerContext ctx, Pending pending) {
        CrankRequest request = pending.request();
        CrankResponse response;
        try {
            response = handler.handle(request);
        } catch (CrankException e) {
            response = Problems.response(e, request.path());
        } catch (Throwable t) {
            logger.error("Handler failed on {} {}", request.method(), request.path(), t);
            response = Problems.internalError(request.path());
        }
        if (response.stream().isEmpty()) {
            finish(ctx, ctx.writeAndFlush(NettyResponses.full(response, pending.keepAlive())), pending);
            return;
        }
        ctx.writeAndFlush(NettyResponses.streamHead(response, pending.keepAlive()));
        boolean complete = false;
        try {
            response.stream().get().writeTo(new ChannelResponseStream(ctx.channel(), writeTimeout));
            complete = true;
        } catch (ResponseStream.ClosedException e) {
            logger.debug("Client left during a stream on {}", request.path());
        } catch (Throwable t) {
            logger.error("Stream failed on {} {}", request.method(), request.path(), t);
        }
        if (complete) {
            finish(ctx, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), pending);
        } else {
            // The status line is already sent: closing is the only honest way to signal failure.
            finish(ctx, ctx.close(), new Pending(request, false));
        }
    }

    private void finish(ChannelHandlerContext ctx, io.netty.channel.ChannelFuture written, Pending pending) {
        written.addListener(future -> {
            inFlight.decrement();
            if (!pending.keepAlive() || !future.isSuccess()) {
                ctx.close();
            } else {
                next(ctx);
            }
        });
    }

    private void rejectUndecodable(ChannelHandlerContext ctx, FullHttpRequest message) {
        Throwable cause = message.decoderResult().cause();
        CrankException problem;
        if (cause instanceof TooLongHttpHeaderException) {
            problem = new CrankException(431, "HEADERS_TOO_LARGE", "The request headers are larger than the limit");
        } else if (cause instanceof TooLongFrameException) {
            problem = new CrankException(414, "URI_TOO_LONG", "The request line is longer than the limit");
        } else {
            problem = CrankException.badRequest("MALFORMED_REQUEST", "The request is not valid HTTP/1.1");
        }
        ctx.writeAndFlush(NettyResponses.full(Problems.response(problem, ""), false)).addListener(ChannelFutureListener.CLOSE);
    }

    private Optional<PeerIdentity> peer(ChannelHandlerContext ctx) {
        if (peer == null) {
            peer = Optional.empty();
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null) {
                try {
                    Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
                    if (chain.length > 0 && chain[0] instanceof X509Certificate certificate) {
                        peer = PeerIdentity.of(certificate);
                    }
                } catch (SSLPeerUnverifiedException e) {
                    logger.debug("No verified peer certificate on {}", ctx.channel());
                }
            }
        }
        return peer;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            if (!busy) {
                ctx.close();
            }
            return;
        }
        if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            logger.debug("TLS handshake from {} refused: {}", ctx.channel().remoteAddress(), handshake.cause().toString());
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        logger.debug("Connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
