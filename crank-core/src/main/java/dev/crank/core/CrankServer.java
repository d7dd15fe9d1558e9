package dev.crank.core;

import static java.util.Objects.requireNonNull;

import dev.crank.core.internal.ControlPlane;
import dev.crank.core.internal.InFlight;
import dev.crank.core.internal.ServerInitializer;
import dev.crank.core.internal.ServerMeters;
import dev.crank.core.internal.StreamedBodies;
import dev.crank.core.internal.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTPS server with mutual TLS on Netty: OpenSSL, client certificates required, every size and
 * time bounded by {@link ServerLimits}, handlers on a bounded thread pool off the event loops.
 * Requests on one connection (pipelined or not) are answered strictly in the order they were sent.
 * Connection refusals and request-head timeouts are counted in the builder's {@link MeterRegistry}.
 *
 * <pre>{@code
 * CrankServer server = CrankServer.builder(tls, request -> CrankResponse.json(Map.of("ok", true)))
 *         .bindHost("127.0.0.1").port(0).build();
 * server.start();
 * int port = server.port();
 * }</pre>
 */
public final class CrankServer implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(CrankServer.class);
    /** Control-plane requests that may wait for one of its threads before a 503. */
    static final int CONTROL_PLANE_QUEUE = 1024;

    private final String name;
    private final String bindHost;
    private final int requestedPort;
    private final ServerLimits limits;
    private final TlsMaterial tls;
    private final Handler handler;
    private final MeterRegistry meters;
    private final Set<String> controlPlanePaths;
    private final int controlPlaneThreads;
    private final ExecutorService givenExecutor;
    private final StreamedBodies streamedBodies;
    private final Predicate<String> onEventLoop;
    private final InFlight inFlight = new InFlight();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private EventLoopGroup group;
    private ExecutorService executor;
    private ThreadPoolExecutor controlExecutor;
    private ChannelGroup channels;
    private Channel serverChannel;
    private volatile int port = -1;

    private CrankServer(Builder builder) {
        this.name = builder.name;
        this.bindHost = builder.bindHost;
        this.requestedPort = builder.port;
        this.limits = builder.limits;
        this.tls = builder.tls;
        this.handler = builder.handler;
        this.meters = builder.meters;
        this.controlPlanePaths = builder.controlPlanePaths;
        this.controlPlaneThreads = builder.controlPlaneThreads;
        this.givenExecutor = builder.executor;
        this.streamedBodies = builder.streamedBodies;
        this.onEventLoop = builder.onEventLoop;
    }

    public static Builder builder(TlsMaterial tls, Handler handler) {
        return new Builder(tls, handler);
    }

    /** Loads TLS and binds; returns once the server is listening. A failed start releases what it opened. */
    public CrankServer start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("server " + name + " already started");
        }
        SslContext sslContext = tls.serverContext();
        group = Transport.newGroup(Math.max(2, Runtime.getRuntime().availableProcessors()), name + "-io");
        executor = givenExecutor != null ? givenExecutor : new ThreadPoolExecutor(0, limits.maxHandlerThreads(), 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new DefaultThreadFactory(name + "-handler", true));
        // A bounded pool and queue of its own: the data plane can never take these threads.
        controlExecutor = new ThreadPoolExecutor(controlPlaneThreads, controlPlaneThreads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(CONTROL_PLANE_QUEUE), new DefaultThreadFactory(name + "-control", true));
        controlExecutor.allowCoreThreadTimeOut(true);
        ControlPlane controlPlane = new ControlPlane(controlPlanePaths, controlExecutor);
        channels = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE);
        ServerMeters serverMeters = new ServerMeters(meters, name, limits.maxConnections(), limits.maxConnectionsPerPeer());
        warnIfConnectionsExceedFileDescriptors();
        try {
            serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(Transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                    .childHandler(new ServerInitializer(sslContext, limits, handler, executor, controlPlane, streamedBodies, onEventLoop, inFlight,
                            channels, serverMeters))
                    .bind(bindHost, requestedPort)
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            releaseResources(Duration.ZERO);
            throw new IllegalStateException("cannot listen on " + bindHost + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        logger.info("{} listening on https://{}:{}", name, bindHost, port);
        return this;
    }

    /** Each connection holds a file descriptor: a connection limit above the process's own is no limit. */
    private void warnIfConnectionsExceedFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix
                && unix.getMaxFileDescriptorCount() <= limits.maxConnections()) {
            logger.warn("{}: maxConnections {} is not below the process's file descriptor limit {}; "
                    + "raise it (ulimit -n, LimitNOFILE) or lower maxConnections",
                    name, limits.maxConnections(), unix.getMaxFileDescriptorCount());
        }
    }

    /** The port the server listens on; with port 0 this is the one the system picked. */
    public int port() {
        if (port < 0) {
            throw new IllegalStateException("server " + name + " is not started");
        }
        return port;
    }

    /** Requests being handled right now, streams included. */
    public int inFlight() {
        return inFlight.count();
    }

    /** Stops accepting new connections; open connections keep being served. */
    public void stopAccepting() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
    }

    /**
     * Graceful stop: stop accepting, let in-flight requests finish within {@code budget}, then close
     * every connection and release the event loops. Idempotent.
     */
    public void stop(Duration budget) {
        if (!started.get() || !closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + budget.toNanos();
        stopAccepting();
        try {
            if (!inFlight.awaitZero(budget)) {
                logger.warn("{}: {} requests still in flight after {}; closing their connections", name, inFlight.count(), budget);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        releaseResources(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        logger.info("{} stopped", name);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    private void releaseResources(Duration left) {
        if (channels != null) {
            channels.close().awaitUninterruptibly(Math.max(100, left.toMillis()));
        }
        if (executor != givenExecutor) {
            executor.shutdownNow();
        }
        controlExecutor.shutdownNow();
        group.shutdownGracefully(0, Math.max(100, left.toMillis()), TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }

    /**
     * Options of a {@link CrankServer}; defaults: bind {@code 0.0.0.0}, port 0, {@link ServerLimits#defaults()},
     * a private {@link SimpleMeterRegistry}, handlers on a pool of their own, a control plane of {@code /health} on 8 threads of its own.
     */
    public static final class Builder {
        private final TlsMaterial tls;
        private final Handler handler;
        private String name = "crank-server";
        private String bindHost = "0.0.0.0";
        private int port;
        private ServerLimits limits = ServerLimits.defaults();
        private MeterRegistry meters = new SimpleMeterRegistry();
        private Set<String> controlPlanePaths = Set.of("/health");
        private int controlPlaneThreads = 8;
        private ExecutorService executor;
        private StreamedBodies streamedBodies = StreamedBodies.NONE;
        private Predicate<String> onEventLoop = path -> false;

        private Builder(TlsMaterial tls, Handler handler) {
            this.tls = requireNonNull(tls, "tls");
            this.handler = requireNonNull(handler, "handler");
        }

        /** Names threads and log lines. */
        public Builder name(String name) {
            this.name = requireNonNull(name, "name");
            return this;
        }

        public Builder bindHost(String bindHost) {
            this.bindHost = requireNonNull(bindHost, "bindHost");
            return this;
        }

        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
            }
            this.port = port;
            return this;
        }

        public Builder limits(ServerLimits limits) {
            this.limits = requireNonNull(limits, "limits");
            return this;
        }

        /** Where connection meters go ({@code crank.http.connections.*}); default a private registry. */
        public Builder meters(MeterRegistry meters) {
            this.meters = requireNonNull(meters, "meters");
            return this;
        }

        /**
         * Paths (prefixes: {@code /deregister} covers {@code /deregister/x}) served on a bounded executor of
         * {@code threads} threads apart from every other handler, so that no load elsewhere can starve them.
         */
        public Builder controlPlane(Set<String> paths, int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
            }
            this.controlPlanePaths = Set.copyOf(requireNonNull(paths, "paths"));
            this.controlPlaneThreads = threads;
            return this;
        }

        /**
         * Runs handlers on {@code executor} instead of a pool of {@link ServerLimits#maxHandlerThreads()} threads
         * of the server's own. It stays the caller's: stopping the server does not shut it down. A task it
         * rejects is answered 503.
         */
        public Builder executor(ExecutorService executor) {
            this.executor = requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Requests whose body is streamed to the handler's relay as it arrives instead of aggregated first,
         * chosen on the head by path and media type (lower case, no parameters); default none. Only a
         * handler that answers with a relay reads such a body (the controller's gateway); any other
         * handler sees it empty. The body still counts against {@code maxContentLength}.
         */
        public Builder streamRequestBodies(BiPredicate<String, String> pathAndMediaType) {
            requireNonNull(pathAndMediaType, "pathAndMediaType");
            this.streamedBodies = (method, path, contentType) -> {
                int semicolon = contentType.indexOf(';');
                return pathAndMediaType.test(path, (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                        .toLowerCase(Locale.ROOT));
            };
            return this;
        }

        /**
         * Paths whose handler never blocks (it answers from memory, or with a relay that runs on event loops),
         * run on the connection's event loop instead of a handler thread when their body is streamed or at most
         * 16 KiB: no hand-off between threads. Default none; the controller's gateway.
         */
        public Builder handleOnEventLoop(Predicate<String> paths) {
            this.onEventLoop = requireNonNull(paths, "paths");
            return this;
        }

        public CrankServer build() {
            return new CrankServer(this);
        }
    }
}
