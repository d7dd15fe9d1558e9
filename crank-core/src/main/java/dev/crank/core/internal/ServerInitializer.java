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
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** The server pipeline, top to bottom: TLS, idle timeout, HTTP codec, bounded aggregation, dispatch. */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {

    public static final String TLS = "tls";
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

    public ServerInitializer(SslContext sslContext, ServerLimits limits, Handler handler, Executor executor,
                             InFlight inFlight, ChannelGroup channels) {
        this.sslContext = sslContext;
        this.limits = limits;
        this.handler = handler;
        this.executor = executor;
        this.inFlight = inFlight;
        this.channels = channels;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        channels.add(channel);
        SslHandler tls = sslContext.newHandler(channel.alloc());
        tls.setHandshakeTimeout(limits.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxInitialLineLength())
                .setMaxHeaderSize(limits.maxHeaderSize());
        channel.pipeline()
                .addLast(TLS, tls)
                .addLast(IDLE, new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast(CODEC, new HttpServerCodec(decoder))
                .addLast(AGGREGATOR, new ProblemAggregator(limits.maxContentLength()))
                .addLast(DISPATCH, new DispatchHandler(handler, executor, inFlight, limits.idleTimeout()));
    }
}
