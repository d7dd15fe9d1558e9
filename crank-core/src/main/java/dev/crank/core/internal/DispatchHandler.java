package dev.crank.core.internal;

import dev.crank.core.CrankException;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.Handler;
import dev.crank.core.PeerIdentity;
import dev.crank.core.ResponseStream;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the {@link Exchange}s of one connection strictly in the order they arrived, one at a time:
 * a request runs on the handler executor (on the event loop only where the server was told its handler never
 * blocks, {@link #EVENT_LOOP_BODY_LIMIT}) only after every earlier answer is
 * written to the socket (so a client that does not read its answers stops the work, rather than piling
 * answers up in memory), and a refusal is written only after every earlier answer. With {@code maxPipelined}
 * exchanges waiting it stops reading from the connection and resumes as answers drain; it never closes
 * a connection for being busy. After an answer that ends the connection, later requests are dropped unread.
 */
final class DispatchHandler extends ChannelInboundHandlerAdapter {

    private static final Logger logger = LoggerFactory.getLogger(DispatchHandler.class);

    /** A request to run; {@code body} is its streamed body, or null when it was aggregated. */
    private record Call(CrankRequest request, HttpHeaders headers, boolean keepAlive, RequestBody body) {}

    private final Handler handler;
    private final Executor executor;
    private final ExecutorChooser executors;
    private final Predicate<String> onEventLoop;
    private final InFlight inFlight;
    private final Duration writeTimeout;
    private final int maxPipelined;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private boolean busy;
    private boolean ending;
    private boolean readingPaused;
    private Optional<PeerIdentity> peer;

    /** Picks the executor a request runs on (the control plane has its own); {@code null} means the default. */
    @FunctionalInterface
    interface ExecutorChooser {
        Executor forPath(String path);
    }

    /**
     * The largest aggregated body whose request may run on the event loop ({@code onEventLoop}): a handler
     * that never blocks still reads its body (a contract check), which must stay short on a loop.
     */
    static final int EVENT_LOOP_BODY_LIMIT = 16 * 1024;

    DispatchHandler(Handler handler, Executor executor, InFlight inFlight, Duration writeTimeout, int maxPipelined) {
        this(handler, executor, path -> null, path -> false, inFlight, writeTimeout, maxPipelined);
    }

    DispatchHandler(Handler handler, Executor executor, ExecutorChooser executors, Predicate<String> onEventLoop, InFlight inFlight,
                    Duration writeTimeout, int maxPipelined) {
        this.handler = handler;
        this.executor = executor;
        this.executors = executors;
        this.onEventLoop = onEventLoop;
        this.inFlight = inFlight;
        this.writeTimeout = writeTimeout;
        this.maxPipelined = maxPipelined;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Exchange exchange)) {
            logger.debug("Dropped an unexpected {} on {}", msg.getClass().getSimpleName(), ctx.channel());
            ReferenceCountUtil.release(msg);
            return;
        }
        if (ending) {
            return;
        }
        Object next = exchange instanceof Exchange.Request request ? toCall(ctx, request) : exchange;
        if (next instanceof Exchange.Reject reject && !reject.keepAlive()) {
            ending = true;
            ctx.channel().config().setAutoRead(false);
        }
        pending.add(next);
        if (pending.size() >= maxPipelined && !readingPaused) {
            readingPaused = true;
            ctx.channel().config().setAutoRead(false);
        }
        if (!busy) {
            next(ctx);
        }
    }

    /** A request whose target or {@code Host} is malformed is refused here, in order, without running a handler. */
    private Object toCall(ChannelHandlerContext ctx, Exchange.Request exchange) {
        HttpRequest message = exchange.head();
        boolean keepAlive = HttpUtil.isKeepAlive(message);
        RequestTarget target;
        try {
            HostHeader.check(message);
            target = RequestTarget.parse(message.uri());
        } catch (CrankException e) {
            return new Exchange.Reject(e, "", false);
        }
        CrankRequest request = new CrankRequest(message.method().name(), target.path(), Map.of(), target.queryParams(),
                new RequestHeaderMap(message.headers()), exchange.body(), peer(ctx));
        return new Call(request, message.headers(), keepAlive, exchange.stream());
    }

    private void next(ChannelHandlerContext ctx) {
        Object item = pending.poll();
        if (readingPaused && !ending && pending.size() < maxPipelined) {
            readingPaused = false;
            ctx.channel().config().setAutoRead(true);
        }
        if (item == null) {
            busy = false;
            return;
        }
        busy = true;
        if (item instanceof Exchange.Continue) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE))
                    .addListener(written -> afterWrite(ctx, written.isSuccess(), true));
            return;
        }
        if (item instanceof Exchange.Reject reject) {
            CrankResponse problem = Problems.response(reject.problem(), reject.path());
            inFlight.increment();
            finish(ctx, ctx.writeAndFlush(NettyResponses.full(problem, reject.keepAlive())), reject.keepAlive());
            return;
        }
        Call call = (Call) item;
        inFlight.increment();
        if ((call.body() != null || call.request().body().length <= EVENT_LOOP_BODY_LIMIT) && onEventLoop.test(call.request().path())) {
            handle(ctx, call); // a handler that never blocks, on a small or streamed body: no hand-off to another thread
            return;
        }
        try {
            Executor chosen = executors.forPath(call.request().path());
            (chosen == null ? executor : chosen).execute(() -> handle(ctx, call));
        } catch (RejectedExecutionException e) {
            CrankResponse busyResponse = Problems.response(
                    CrankException.unavailable("SERVER_BUSY", "Every handler thread is busy; retry later"), call.request().path());
            finish(ctx, ctx.writeAndFlush(NettyResponses.full(busyResponse.withHeader("retry-after", "1"), call.keepAlive())),
                    call.keepAlive());
        }
    }

    private void handle(ChannelHandlerContext ctx, Call call) {
        CrankRequest request = call.request();
        CrankResponse response;
        try {
            response = handler.handle(request);
        } catch (CrankException e) {
            response = Problems.response(e, request.path());
        } catch (Throwable t) {
            logger.error("Handler failed on {} {}", request.method(), request.path(), t);
            response = Problems.internalError(request.path());
        }
        if (response.relay().isPresent()) {
            Relay relay = response.relay().get();
            RelayExchange exchange = new RelayExchange(ctx.channel(), call.keepAlive(), request.path(), call.headers(), call.body(),
                    (written, keepAlive) -> finish(ctx, written, keepAlive));
            ctx.executor().execute(() -> {
                try {
                    relay.start(exchange);
                } catch (RuntimeException e) {
                    logger.error("Relay failed to start on {} {}", request.method(), request.path(), e);
                    exchange.respond(Problems.internalError(request.path()));
                }
            });
            return;
        }
        if (call.body() != null) {
            ctx.executor().execute(call.body()::cancel); // only a relay reads a streamed body
        }
        if (response.stream().isEmpty()) {
            finish(ctx, ctx.writeAndFlush(NettyResponses.full(response, call.keepAlive())), call.keepAlive());
            return;
        }
        ctx.writeAndFlush(NettyResponses.streamHead(response, call.keepAlive()));
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
            finish(ctx, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), call.keepAlive());
        } else {
            // The status line is already sent: closing is the only honest way to signal failure.
            finish(ctx, ctx.close(), false);
        }
    }

    private void finish(ChannelHandlerContext ctx, ChannelFuture written, boolean keepAlive) {
        written.addListener(future -> {
            inFlight.decrement();
            afterWrite(ctx, future.isSuccess(), keepAlive);
        });
    }

    /** Runs on the event loop once an answer is written: the next exchange, or the end of the connection. */
    private void afterWrite(ChannelHandlerContext ctx, boolean success, boolean keepAlive) {
        if (!keepAlive || !success) {
            pending.clear();
            ending = true;
            ctx.close();
        } else {
            next(ctx);
        }
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
