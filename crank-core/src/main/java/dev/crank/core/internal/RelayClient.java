package dev.crank.core.internal;

import dev.crank.core.NotSentException;
import dev.crank.core.ClientRequest;
import dev.crank.core.TlsMaterial;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The upstream connections of a relay (the controller's gateway): mutual TLS on OpenSSL, host name
 * verified, keep-alive, pooled per caller event loop and host. An exchange runs on the event loop of the
 * caller's connection from the pooled connection to the last byte of the answer, so relaying a response
 * never hops threads and a connection is never shared between loops. Each pool is confined to its loop:
 * no lock. The number of connections to a host is bounded by {@code limit} given per exchange, read when
 * a new connection would be opened (the gateway passes the worker's {@code max_concurrency}, which
 * admission already enforces: the bound is a backstop, never what refuses a call). Plumbing, not API.
 */
public final class RelayClient {

    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("crank.relay.counted");

    private final SslContext sslContext;
    private final Duration connectTimeout;
    private final Map<Key, LoopPool> pools = new ConcurrentHashMap<>();

    private record Key(EventLoop loop, String host, int port) {}

    public RelayClient(TlsMaterial tls, Duration connectTimeout) {
        this.sslContext = tls.clientContext();
        this.connectTimeout = connectTimeout;
    }

    /**
     * Sends {@code request} over a connection of {@code loop}'s pool and hands the answer to the sink that
     * {@code sinks} makes (given the connection and the callback that hands it back: {@code true} when
     * reusable). Must be called on {@code loop}. {@code handOver} runs on the loop just before the request is
     * written, on a connection ready to take it, and returns what to run once the write is issued; null means
     * "do not send" (the call then fails through {@code notSent} with {@link NotSentException}), so
     * the gateway can check the worker is still registered at the moment of hand-over. {@code notSent} also
     * gets any failure to connect.
     *
     * <p>With {@code body} not null the request's body is that stream, not {@code request.body()}: it is
     * sent as it arrives, and taken from the caller only while the connection is writable (else the caller's
     * connection stops being read, see {@link RequestBody}); {@code inFlight} gets the changes of what the
     * relay holds of it: bytes buffered in the body, and bytes handed to the connection that have not reached
     * its socket yet. A connection whose
     * request body did not end is never reused.
     */
    public void exchange(EventLoop loop, ClientRequest request, RequestBody body, LongConsumer inFlight, int limit,
                         BiFunction<Channel, BiConsumer<Channel, Boolean>, ResponseSink> sinks,
                         Supplier<Runnable> handOver, Consumer<Throwable> notSent) {
        String host = request.uri().getHost();
        int port = request.uri().getPort() == -1 ? 443 : request.uri().getPort();
        HttpRequest message = body == null ? ClientRequests.toNetty(request, host, port)
                : ClientRequests.head(request, host, port, body.contentLength());
        exchange(loop, host, port, message, request.timeout(), body, inFlight, limit, sinks, handOver, notSent);
    }

    /**
     * As above with the request already in Netty's form (the gateway builds it from the caller's headers
     * without an intermediate map): a {@link FullHttpRequest} when {@code body} is null, else the head of
     * the streamed request. This sets {@code Host}, keep-alive and the framing ({@code Content-Length}, or
     * chunked for a streamed body of unknown length); {@code timeout} is the deadline of the answer.
     */
    public void exchange(EventLoop loop, String host, int port, HttpRequest message, Duration timeout, RequestBody body,
                         LongConsumer inFlight, int limit, BiFunction<Channel, BiConsumer<Channel, Boolean>, ResponseSink> sinks,
                         Supplier<Runnable> handOver, Consumer<Throwable> notSent) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("RelayClient.exchange must run on the caller's event loop");
        }
        if (body == null && !(message instanceof FullHttpRequest)) {
            throw new IllegalArgumentException("a request without a streamed body must be a FullHttpRequest");
        }
        LoopPool pool = pools.computeIfAbsent(new Key(loop, host, port), key -> new LoopPool(key));
        frame(message, pool.hostHeader, body);
        pool.acquire(limit, channel -> {
            Runnable handedOver = handOver.get();
            if (handedOver == null) {
                pool.release(channel, true);
                ReferenceCountUtil.release(message);
                notSent.accept(new NotSentException(new IOException("hand-over refused")));
                return;
            }
            BiConsumer<Channel, Boolean> release = new BiConsumer<>() {
                private boolean released;

                @Override
                public void accept(Channel ch, Boolean reusable) {
                    if (ch.eventLoop().inEventLoop()) {
                        once(ch, reusable);
                    } else {
                        ch.eventLoop().execute(() -> once(ch, reusable));
                    }
                }

                private void once(Channel ch, boolean reusable) {
                    if (!released) {
                        released = true;
                        pool.release(ch, reusable && (body == null || body.complete()));
                    }
                }
            };
            ResponseSink sink = sinks.apply(channel, release);
            ResponseHandler responses = channel.pipeline().get(ResponseHandler.class);
            responses.begin(channel, sink, timeout);
            try {
                channel.writeAndFlush(message).addListener(written -> {
                    if (written.isSuccess()) {
                        responses.written();
                    } else {
                        responses.fail(written.cause());
                        channel.close();
                    }
                });
            } finally {
                handedOver.run();
            }
            if (body != null) {
                pump(channel, body, responses, inFlight);
            }
        }, cause -> {
            ReferenceCountUtil.release(message);
            notSent.accept(new NotSentException(cause));
        });
    }

    /** {@code Host}, keep-alive and the body's framing, set on the request itself. */
    private static void frame(HttpRequest message, String hostHeader, RequestBody body) {
        HttpHeaders headers = message.headers();
        headers.set(HttpHeaderNames.HOST, hostHeader);
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        if (message instanceof FullHttpRequest full) {
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, full.content().readableBytes());
        } else if (body.contentLength() >= 0) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, body.contentLength());
        } else {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
    }

    /** Sends {@code body} to {@code channel} as it arrives, taking chunks only while the channel is writable. */
    private static void pump(Channel channel, RequestBody body, ResponseHandler responses, LongConsumer inFlight) {
        responses.onWritable(() -> body.demand(true));
        body.subscribe(new RequestBody.Subscriber() {
            @Override
            public void onChunk(ByteBuf chunk) {
                int size = chunk.readableBytes();
                inFlight.accept(size);
                channel.writeAndFlush(new DefaultHttpContent(chunk)).addListener(sent -> inFlight.accept(-size));
                if (!channel.isWritable()) {
                    body.demand(false);
                }
            }

            @Override
            public void onEnd() {
                channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            }

            @Override
            public void onError(Throwable cause) {
                channel.close(); // the worker must not take a truncated body for a whole one
            }
        }, inFlight);
    }

    /** Open connections over every loop to {@code host:port} (idle or in use), for tests and metrics. */
    public int connections(String host, int port) {
        int open = 0;
        for (Map.Entry<Key, LoopPool> entry : pools.entrySet()) {
            if (entry.getKey().host().equals(host) && entry.getKey().port() == port) {
                open += entry.getValue().open;
            }
        }
        return open;
    }

    /** Pools (one per event loop) to {@code host:port}, for tests. */
    public int pools(String host, int port) {
        int count = 0;
        for (Key key : pools.keySet()) {
            if (key.host().equals(host) && key.port() == port) {
                count++;
            }
        }
        return count;
    }

    /**
     * Drops the pools of every loop to the addresses {@code keep} refuses (the gateway passes the addresses
     * of registered workers, so a worker that left takes its pools with it): their idle connections are
     * closed, and a connection still carrying an exchange is closed when that exchange hands it back.
     * Returns how many pools were dropped; a later exchange to such an address opens a pool afresh.
     */
    public int retainOnly(BiPredicate<String, Integer> keep) {
        int dropped = 0;
        for (Map.Entry<Key, LoopPool> entry : pools.entrySet()) {
            Key key = entry.getKey();
            if (!keep.test(key.host(), key.port()) && pools.remove(key, entry.getValue())) {
                entry.getValue().retire();
                dropped++;
            }
        }
        return dropped;
    }

    /** Closes every pooled connection. */
    public void close() {
        for (LoopPool pool : pools.values()) {
            try {
                pool.loop.execute(pool::closeAll);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the loop is shut down: its channels are closed with it
            }
        }
        pools.clear();
    }

    /** The connections of one loop to one host; every method runs on {@link #loop}. */
    private final class LoopPool {
        final EventLoop loop;
        final String hostHeader;
        final Bootstrap bootstrap;
        final ArrayDeque<Channel> idle = new ArrayDeque<>();
        volatile int open; // written on the loop only
        volatile boolean retired; // out of the map: connections handed back are closed

        LoopPool(Key key) {
            this.loop = key.loop();
            this.hostHeader = key.host() + ":" + key.port();
            ClientInitializer initializer = new ClientInitializer(sslContext, key.host(), key.port(), connectTimeout);
            this.bootstrap = new Bootstrap()
                    .group(key.loop())
                    .channel(Transport.clientChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                    .remoteAddress(key.host(), key.port())
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            initializer.channelCreated(channel);
                        }
                    });
        }

        void acquire(int limit, Consumer<Channel> acquired, Consumer<Throwable> failed) {
            Channel channel;
            while ((channel = idle.pollFirst()) != null) { // most recently used first: the others may idle out
                if (channel.isActive()) {
                    acquired.accept(channel);
                    return;
                }
                uncount(channel);
            }
            if (open >= limit) {
                failed.accept(new IOException("all " + limit + " connections to " + bootstrap.config().remoteAddress()
                        + " on this event loop are in use"));
                return;
            }
            ChannelFuture connect = bootstrap.connect();
            Channel connecting = connect.channel();
            connecting.attr(COUNTED).set(Boolean.TRUE);
            open++;
            connecting.closeFuture().addListener(closed -> {
                uncount(connecting);
                idle.remove(connecting);
            });
            connect.addListener(done -> {
                if (done.isSuccess()) {
                    acquired.accept(connecting);
                } else {
                    uncount(connecting);
                    failed.accept(done.cause());
                }
            });
        }

        void release(Channel channel, boolean reusable) {
            if (reusable && channel.isActive() && !retired) {
                idle.addFirst(channel);
            } else {
                uncount(channel); // counted out now: a closing connection does not hold a place under the bound
                channel.close();
            }
        }

        private void uncount(Channel channel) {
            if (Boolean.TRUE.equals(channel.attr(COUNTED).getAndSet(Boolean.FALSE))) {
                open--;
            }
        }

        /** Out of the map (any thread): closes the idle connections on the loop, and any handed back later. */
        void retire() {
            retired = true;
            try {
                loop.execute(this::closeAll);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the loop is shut down: its channels are closed with it
            }
        }

        void closeAll() {
            Channel channel;
            while ((channel = idle.pollFirst()) != null) {
                channel.close();
            }
        }
    }
}
