package dev.crank.core;

import static java.util.Objects.requireNonNull;

import dev.crank.core.internal.ClientInitializer;
import dev.crank.core.internal.ClientRequests;
import dev.crank.core.internal.Json;
import dev.crank.core.internal.AggregatingSink;
import dev.crank.core.internal.ResponseHandler;
import dev.crank.core.internal.ResponseSink;
import dev.crank.core.internal.StreamingSink;
import dev.crank.core.internal.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.pool.AbstractChannelPoolMap;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.ChannelPoolMap;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The one HTTPS client of the platform: mutual TLS on OpenSSL, server chain and host name verified,
 * keep-alive connections pooled per host. Every call has a deadline.
 *
 * <pre>{@code
 * try (CrankClient client = CrankClient.builder(tls).build()) {
 *     ClientResponse response = client.postJson(URI.create("https://localhost:9000/route"),
 *             Map.of("verb", "greet", "capability", "hello_world"), Duration.ofSeconds(5)).join();
 * }
 * }</pre>
 */
public final class CrankClient implements AutoCloseable {

    private final EventLoopGroup group;
    private final ChannelPoolMap<Endpoint, FixedChannelPool> pools;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final int maxResponseSize;

    private record Endpoint(String host, int port) {}

    private CrankClient(Builder builder) {
        SslContext sslContext = builder.tls.clientContext();
        this.group = Transport.newGroup(builder.ioThreads, "crank-client");
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(Transport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) builder.connectTimeout.toMillis());
        int maxConnections = builder.maxConnectionsPerHost;
        this.maxResponseSize = builder.maxResponseSize;
        Duration handshakeTimeout = builder.connectTimeout;
        this.pools = new AbstractChannelPoolMap<>() {
            @Override
            protected FixedChannelPool newPool(Endpoint endpoint) {
                return new FixedChannelPool(bootstrap.clone().remoteAddress(endpoint.host(), endpoint.port()),
                        new ClientInitializer(sslContext, endpoint.host(), endpoint.port(), handshakeTimeout),
                        ChannelHealthChecker.ACTIVE, FixedChannelPool.AcquireTimeoutAction.FAIL,
                        builder.connectTimeout.toMillis() * 2, maxConnections, 4096, true, true);
            }
        };
    }

    public static Builder builder(TlsMaterial tls) {
        return new Builder(tls);
    }

    /**
     * Sends {@code request} and collects the whole response. The future fails on a connection, TLS
     * or timeout error (with {@link NotSentException} when the request cannot have reached the
     * server), never on an HTTP status.
     */
    public CompletableFuture<ClientResponse> send(ClientRequest request) {
        CompletableFuture<ClientResponse> result = new CompletableFuture<>();
        exchange(request, release -> new AggregatingSink(result, maxResponseSize, release), result, () -> { });
        return result;
    }

    /**
     * Sends {@code request} and completes as soon as the response head arrives; the body is read
     * as it comes with {@link StreamedResponse#body()}, which must be read to the end or closed.
     * The request's timeout bounds the wait for the head only.
     */
    public CompletableFuture<StreamedResponse> stream(ClientRequest request) {
        return stream(request, () -> { });
    }

    /** As {@link #stream(ClientRequest)}; {@code onSent} runs once the request has been handed to the socket. */
    public CompletableFuture<StreamedResponse> stream(ClientRequest request, Runnable onSent) {
        CompletableFuture<StreamedResponse> result = new CompletableFuture<>();
        exchange(request, release -> new StreamingSink(result, release), result, onSent);
        return result;
    }

    private void exchange(ClientRequest request, java.util.function.Function<BiConsumer<Channel, Boolean>, ResponseSink> sinks,
                          CompletableFuture<?> result, Runnable onSent) {
        exchange(request, (channel, release) -> {
            result.whenComplete((value, error) -> {
                if (error != null) {
                    release.accept(channel, false);
                }
            });
            return sinks.apply(release);
        }, cause -> result.completeExceptionally(new NotSentException(cause)), onSent);
    }

    /**
     * Low-level exchange for relays (the controller's gateway): once a pooled connection is acquired,
     * {@code sinks} makes the {@link ResponseSink} that receives the response on the connection's event loop,
     * given the connection and the callback that hands it back to the pool ({@code true}: reusable). The
     * sink owns that hand-back. {@code notSent} gets the cause when no connection could be had.
     */
    public void exchange(ClientRequest request, BiFunction<Channel, BiConsumer<Channel, Boolean>, ResponseSink> sinks,
                         Consumer<Throwable> notSent, Runnable onSent) {
        requireNonNull(request, "request");
        if (closed.get()) {
            notSent.accept(new IllegalStateException("client closed"));
            return;
        }
        Endpoint endpoint = new Endpoint(request.uri().getHost(), port(request.uri()));
        FixedChannelPool pool = pools.get(endpoint);
        pool.acquire().addListener((Future<Channel> acquired) -> {
            if (!acquired.isSuccess()) {
                notSent.accept(acquired.cause());
                return;
            }
            Channel channel = acquired.getNow();
            AtomicBoolean released = new AtomicBoolean();
            BiConsumer<Channel, Boolean> release = (ch, reusable) -> {
                if (released.compareAndSet(false, true)) {
                    if (!reusable) {
                        ch.close();
                    }
                    pool.release(ch);
                }
            };
            // The request waits for the handshake, so that a refused certificate reads as the TLS failure it is,
            // not as whatever a write racing the closing connection happened to see.
            SslHandler tls = channel.pipeline().get(SslHandler.class);
            if (tls == null) { // the peer closed the connection before this listener ran
                release.accept(channel, false);
                notSent.accept(new java.nio.channels.ClosedChannelException());
                return;
            }
            tls.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    send(request, endpoint, channel, sinks.apply(channel, release), onSent);
                } else {
                    release.accept(channel, false);
                    notSent.accept(handshake.cause());
                }
            });
        });
    }

    private static void send(ClientRequest request, Endpoint endpoint, Channel channel, ResponseSink sink, Runnable onSent) {
        ResponseHandler responses = channel.pipeline().get(ResponseHandler.class);
        channel.eventLoop().execute(() -> {
            responses.begin(channel, sink, request.timeout());
            channel.writeAndFlush(ClientRequests.toNetty(request, endpoint.host(), endpoint.port())).addListener(written -> {
                if (written.isSuccess()) {
                    responses.written();
                    onSent.run();
                } else {
                    responses.fail(written.cause());
                    channel.close();
                }
            });
        });
    }

    public CompletableFuture<ClientResponse> get(URI uri, Duration timeout) {
        return send(new ClientRequest("GET", uri, Map.of(), new byte[0], timeout));
    }

    public CompletableFuture<ClientResponse> postJson(URI uri, Object body, Duration timeout) {
        return send(new ClientRequest("POST", uri, Map.of("content-type", CrankResponse.JSON), Json.bytes(body), timeout));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    private static int port(URI uri) {
        return uri.getPort() == -1 ? 443 : uri.getPort();
    }

    /** Options of a {@link CrankClient}: connect timeout 5 s, 64 connections per host, 64 MiB responses. */
    public static final class Builder {
        private final TlsMaterial tls;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private int maxConnectionsPerHost = 64;
        private int maxResponseSize = 64 * 1024 * 1024;
        private int ioThreads = 2;

        private Builder(TlsMaterial tls) {
            this.tls = requireNonNull(tls, "tls");
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder maxConnectionsPerHost(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("maxConnectionsPerHost: " + connections + " (expected: >= 1)");
            }
            this.maxConnectionsPerHost = connections;
            return this;
        }

        public Builder maxResponseSize(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxResponseSize: " + bytes + " (expected: >= 1)");
            }
            this.maxResponseSize = bytes;
            return this;
        }

        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("ioThreads: " + threads + " (expected: >= 1)");
            }
            this.ioThreads = threads;
            return this;
        }

        public CrankClient build() {
            return new CrankClient(this);
        }
    }
}
