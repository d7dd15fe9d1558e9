package dev.crank.core.internal;

import io.netty.channel.Channel;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The client pipeline of one pooled connection: TLS (SNI and host-name check on), HTTP codec, response hand-off. */
public final class ClientInitializer extends AbstractChannelPoolHandler {

    public static final String TLS = "tls";
    public static final String CODEC = "codec";
    public static final String RESPONSE = "response";

    private final SslContext sslContext;
    private final String host;
    private final int port;
    private final Duration handshakeTimeout;

    public ClientInitializer(SslContext sslContext, String host, int port, Duration handshakeTimeout) {
        this.sslContext = sslContext;
        this.host = host;
        this.port = port;
        this.handshakeTimeout = handshakeTimeout;
    }

    @Override
    public void channelCreated(Channel channel) {
        SslHandler tls = sslContext.newHandler(channel.alloc(), host, port);
        tls.setHandshakeTimeout(handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        channel.pipeline()
                .addLast(TLS, tls)
                .addLast(CODEC, new HttpClientCodec())
                .addLast(RESPONSE, new ResponseHandler());
    }
}
