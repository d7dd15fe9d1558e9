package dev.crank.core.internal;

import dev.crank.core.Handler;
import dev.crank.core.ServerLimits;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server pipeline, top to bottom: connection limits (checked on accept, before TLS), TLS, request-head
 * deadline, idle timeout, HTTP codec, bounded aggregation, dispatch.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger logger = LoggerFactory.getLogger(ServerInitializer.class);

    public static final String TLS = "tls";
    public static final String HEAD_TIMEOUT = "head-timeout";
    public static final String IDLE = "idle";
    public static final String CODEC = "codec";
    public static final String AGGREGATOR = "aggregator";
    public static final String DISPATCH = "dispatch";

    private final SslContext sslContext;
    private final ServerLimits limits;
    private final Handler handler;
    private final Executor executor;
    private final InFlight inFlight;
    private final ChannelGroup channels;
    private final ServerMeters meters;
    private final DispatchHandler.ExecutorChooser executors;
    private final StreamedBodies streamed;
    private final Predicate<String> onEventLoop;

    public ServerInitializer(SslContext sslContext, ServerLimits limits, Handler handler, Executor executor,
                             InFlight inFlight, ChannelGroup channels, ServerMeters meters) {
        this(sslContext, limits, handler, executor, new ControlPlane(java.util.Set.of(), executor), inFlight, channels, meters);
    }

    /** As above, with the {@link ControlPlane}'s paths on its own executor. */
    public ServerInitializer(SslContext sslContext, ServerLimits limits, Handler handler, Executor executor, ControlPlane controlPlane,
                             InFlight inFlight, ChannelGroup channels, ServerMeters meters) {
        this(sslContext, limits, handler, executor, controlPlane, StreamedBodies.NONE, path -> false, inFlight, channels, meters);
    }

    /**
     * As above, with the request bodies {@code streamed} chooses streamed to the handler's relay instead of aggregated,
     * and the handlers of the paths {@code onEventLoop} accepts run on the connection's event loop
     * ({@link DispatchHandler#EVENT_LOOP_BODY_LIMIT}).
     */
    public ServerInitializer(SslContext sslContext, ServerLimits limits, Handler handler, Executor executor, ControlPlane controlPlane,
                             StreamedBodies streamed, Predicate<String> onEventLoop, InFlight inFlight, ChannelGroup channels,
                             ServerMeters meters) {
        this.streamed = streamed;
        this.onEventLoop = onEventLoop;
        this.executors = controlPlane;
        this.sslContext = sslContext;
        this.limits = limits;
        this.handler = handler;
        this.executor = executor;
        this.inFlight = inFlight;
        this.channels = channels;
        this.meters = meters;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        if (!admit(channel)) {
            return;
        }
        channels.add(channel);
        SslHandler tls = sslContext.newHandler(channel.alloc());
        tls.setHandshakeTimeout(limits.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxInitialLineLength())
                .setMaxHeaderSize(limits.maxHeaderSize());
        RequestHeadTimeoutHandler headTimeout = new RequestHeadTimeoutHandler(limits.requestHeadTimeout(), meters.headTimeouts);
        channel.pipeline()
                .addLast(TLS, tls)
                .addLast(HEAD_TIMEOUT, headTimeout)
                .addLast(IDLE, new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                // DispatchHandler bounds the requests read ahead (it stops reading at the limit), so the
                // codec's own depth check, which closes the connection, must never trigger first.
                .addLast(CODEC, new HttpServerCodec(decoder, Integer.MAX_VALUE))
                .addLast(AGGREGATOR, new RequestAggregator(limits.maxContentLength(), headTimeout, streamed))
                .addLast(DISPATCH, new DispatchHandler(handler, executor, executors, onEventLoop, inFlight, limits.idleTimeout(),
                        limits.maxPipelinedRequests()));
    }

    /** Closes a connection over a limit at once, before any TLS work is spent on it. */
    private boolean admit(SocketChannel channel) {
        InetAddress peer = channel.remoteAddress().getAddress();
        ConnectionLimiter.Verdict verdict = meters.limiter.acquire(peer);
        if (verdict == ConnectionLimiter.Verdict.ACCEPTED) {
            channel.closeFuture().addListener(closed -> meters.limiter.release(peer));
            return true;
        }
        (verdict == ConnectionLimiter.Verdict.OVER_TOTAL ? meters.refusedOverTotal : meters.refusedOverPeer).increment();
        logger.debug("Refused a connection from {}: {}", peer.getHostAddress(), verdict);
        channel.close();
        return false;
    }
}
