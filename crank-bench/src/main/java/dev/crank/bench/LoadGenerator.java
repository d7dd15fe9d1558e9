package dev.crank.bench;

import dev.crank.workers.tools.Progress;
import static java.util.Objects.requireNonNull;

import dev.crank.core.TlsMaterial;
import dev.crank.core.internal.Transport; // internal: the benchmark drives raw Netty on the platform's own transport choice
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * An HTTPS/1.1 load generator with mutual TLS (OpenSSL, server chain and host name verified), one
 * request at a time per keep-alive connection.
 *
 * <p>Closed loop ({@code rate == 0}): every connection sends its next request as soon as the previous
 * answer arrives; latency is service time. Open loop ({@code rate > 0}): requests are due at fixed
 * intervals whether or not the server keeps up; a due request waits for a free connection and its
 * latency is measured from the time it was <em>due</em>, so a stall is charged to every request it
 * delayed (no coordinated omission). Latencies go to HdrHistogram in nanoseconds; only requests
 * started inside the measured window (after the warm-up) count.
 */
public final class LoadGenerator implements AutoCloseable {

    private static final Duration REPORT_EVERY = Duration.ofSeconds(5);

    /** One HTTP request; {@code contentType} and {@code body} may be empty. */
    public record Request(String method, String path, String contentType, byte[] body) {
        public static Request postJson(String path, String json) {
            return new Request("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        public static Request get(String path) {
            return new Request("GET", path, "", new byte[0]);
        }
    }

    /** The request number {@code sequence} (0, 1, 2, ...); called from several threads. */
    @FunctionalInterface
    public interface RequestSource {
        Request next(long sequence);
    }

    /**
     * How to load: {@code rate} requests/s (0 = closed loop), {@code connections}, warm-up and
     * measured durations, at most {@code maxRequests} requests (0 = no limit), per-request timeout.
     */
    public record Options(int connections, Duration warmup, Duration duration, double rate, long maxRequests, Duration timeout) {
        public Options {
            if (connections < 1) {
                throw new IllegalArgumentException("connections: " + connections + " (expected: >= 1)");
            }
            requireNonNull(warmup, "warmup");
            requireNonNull(duration, "duration");
            requireNonNull(timeout, "timeout");
            if (rate < 0) {
                throw new IllegalArgumentException("rate: " + rate + " (expected: >= 0)");
            }
        }

        public static Options closedLoop(int connections, Duration warmup, Duration duration) {
            return new Options(connections, warmup, duration, 0, 0, Duration.ofSeconds(30));
        }

        public static Options openLoop(double rate, int connections, Duration warmup, Duration duration) {
            return new Options(connections, warmup, duration, rate, 0, Duration.ofSeconds(30));
        }

        public Options withMaxRequests(long max) {
            return new Options(connections, warmup, duration, rate, max, timeout);
        }

        public Options withTimeout(Duration value) {
            return new Options(connections, warmup, duration, rate, maxRequests, value);
        }
    }

    /**
     * What one run measured. Latency values are nanoseconds. Status 0 counts requests that got no
     * answer (time-out, lost connection, or still unanswered when the run gave up).
     */
    public record Result(long requests, long errors, Map<Integer, Long> statuses, Histogram latency, Duration measured,
                         long maxBacklog, long reconnects, String firstError) {

        public double throughput() {
            return measured.isZero() ? 0 : requests * 1e9 / measured.toNanos();
        }

        /** Latency at {@code percentile} (0-100) in microseconds. */
        public double micros(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1000.0;
        }

        public String summary() {
            return String.format("%d requests in %.1f s = %.0f req/s, errors %d, statuses %s, latency us p50 %.0f p90 %.0f p99 %.0f "
                            + "p99.9 %.0f max %.0f%s%s",
                    requests, measured.toMillis() / 1000.0, throughput(), errors, statuses, micros(50), micros(90), micros(99),
                    micros(99.9), latency.getMaxValue() / 1000.0, maxBacklog > 0 ? ", max backlog " + maxBacklog : "",
                    firstError == null ? "" : ", first error: " + firstError);
        }
    }

    private static final long HISTOGRAM_MAX = TimeUnit.SECONDS.toNanos(120);

    private final URI base;
    private final String host;
    private final int port;
    private final SslContext ssl;
    private final EventLoopGroup group;

    private LoadGenerator(URI base, TlsMaterial tls, int ioThreads) {
        this.base = requireNonNull(base, "base");
        if (!"https".equalsIgnoreCase(base.getScheme())) {
            throw new IllegalArgumentException("url: " + base + " (expected: https://host:port)");
        }
        this.host = base.getHost();
        this.port = base.getPort() == -1 ? 443 : base.getPort();
        this.ssl = tls.clientContext();
        this.group = Transport.newGroup(ioThreads, "load");
    }

    /** A generator for the server at {@code base} (only scheme, host and port are used). */
    public static LoadGenerator create(URI base, TlsMaterial tls, int ioThreads) {
        return new LoadGenerator(base, tls, ioThreads);
    }

    public URI base() {
        return base;
    }

    /** Runs one load phase and returns once every counted request has been answered or timed out. */
    public Result run(RequestSource source, Options options) throws InterruptedException {
        return new Run(source, options).execute();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private FullHttpRequest toNetty(Request request) {
        FullHttpRequest message = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()),
                request.path(), Unpooled.wrappedBuffer(request.body()));
        message.headers().set(HttpHeaderNames.HOST, host + ":" + port);
        message.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        if (!request.contentType().isEmpty()) {
            message.headers().set(HttpHeaderNames.CONTENT_TYPE, request.contentType());
        }
        message.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, request.body().length);
        return message;
    }

    /** One phase. Open loop keeps every connection on one event loop, so its queue needs no locks. */
    private final class Run {
        private final RequestSource source;
        private final Options options;
        private final boolean open;
        private final EventLoop pacerLoop;
        private final AtomicLong sequence = new AtomicLong();
        private final List<Conn> conns = new CopyOnWriteArrayList<>();
        private final ArrayDeque<Long> backlog = new ArrayDeque<>();
        private final ArrayDeque<Conn> idle = new ArrayDeque<>();
        private final AtomicInteger active = new AtomicInteger();
        private final AtomicLong reconnects = new AtomicLong();
        private final CountDownLatch finished = new CountDownLatch(1);
        private volatile String firstError;
        private volatile boolean issuing = true;
        private long startNanos;
        private long measureStart;
        private long measureEnd;
        private long issued;
        private long maxBacklog;
        private volatile long finishNanos;

        Run(RequestSource source, Options options) {
            this.source = source;
            this.options = options;
            this.open = options.rate() > 0;
            this.pacerLoop = group.next();
        }

        Result execute() throws InterruptedException {
            List<Conn> initial = new ArrayList<>();
            for (int i = 0; i < options.connections(); i++) {
                initial.add(connect());
            }
            for (Conn conn : initial) {
                conn.connected.sync();
                conn.channel.pipeline().get(SslHandler.class).handshakeFuture().sync();
            }
            startNanos = System.nanoTime();
            measureStart = startNanos + options.warmup().toNanos();
            measureEnd = measureStart + options.duration().toNanos();
            active.set(conns.size());
            if (open) {
                pacerLoop.execute(() -> {
                    idle.addAll(conns);
                    pace();
                });
            } else {
                conns.forEach(conn -> conn.channel.eventLoop().execute(conn::sendNext));
            }
            long hardDeadline = measureEnd + options.timeout().toNanos() + TimeUnit.SECONDS.toNanos(5);
            long nextReport = startNanos + REPORT_EVERY.toNanos();
            while (!finished.await(100, TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                if (now >= nextReport && now < measureEnd) {
                    nextReport = now + REPORT_EVERY.toNanos();
                    report(now);
                }
                if (now >= measureEnd && !open) {
                    // Open loop: the pacer alone ends issuing, after the last slot due in the window, however
                    // late its timer fires; stopping it from here could drop a due slot and count it unanswered.
                    issuing = false;
                }
                if (now > hardDeadline) {
                    firstError = firstError == null ? "run did not drain before its deadline" : firstError;
                    break;
                }
            }
            issuing = false;
            long end = finishNanos == 0 ? System.nanoTime() : finishNanos;
            for (Conn conn : conns) {
                conn.channel.close().awaitUninterruptibly(1000);
            }
            Histogram latency = new Histogram(HISTOGRAM_MAX, 3);
            Map<Integer, Long> statuses = new TreeMap<>();
            long requests = 0;
            long errors = 0;
            for (Conn conn : conns) {
                synchronized (conn) {
                    latency.add(conn.histogram);
                    conn.statuses.forEach((status, count) -> statuses.merge(status, count, Long::sum));
                    requests += conn.counted;
                    errors += conn.errors;
                }
            }
            if (open) {
                // Due in the window but never answered (the run gave up at its deadline): each is an error.
                long interval = (long) (1e9 / options.rate());
                long due = ceilDiv(measureEnd - startNanos, interval) - ceilDiv(measureStart - startNanos, interval);
                if (options.maxRequests() > 0) {
                    due = Math.min(due, Math.max(0, options.maxRequests() - ceilDiv(measureStart - startNanos, interval)));
                }
                long unanswered = Math.max(0, due - requests);
                if (unanswered > 0) {
                    requests += unanswered;
                    errors += unanswered;
                    statuses.merge(0, unanswered, Long::sum);
                }
            }
            long measured = Math.max(0, Math.min(measureEnd, end) - measureStart);
            return new Result(requests, errors, statuses, latency, Duration.ofNanos(measured), maxBacklog, reconnects.get(), firstError);
        }

        private static long ceilDiv(long value, long divisor) {
            return -Math.floorDiv(-value, divisor);
        }

        private Conn connect() {
            Conn conn = new Conn(this);
            Bootstrap bootstrap = new Bootstrap()
                    .group(open ? pacerLoop : group)
                    .channel(Transport.clientChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline()
                                    .addLast(ssl.newHandler(channel.alloc(), host, port))
                                    .addLast(new HttpClientCodec())
                                    .addLast(new HttpObjectAggregator(64 * 1024 * 1024))
                                    .addLast(conn);
                        }
                    });
            conn.connected = bootstrap.connect(host, port);
            conn.channel = conn.connected.channel();
            conns.add(conn);
            io.netty.util.concurrent.ScheduledFuture<?> watchdog =
                    conn.channel.eventLoop().scheduleAtFixedRate(conn::checkTimeout, 1, 1, TimeUnit.SECONDS);
            conn.channel.closeFuture().addListener(closed -> watchdog.cancel(false));
            return conn;
        }

        /** Open loop: hands every due request to an idle connection or the backlog, then sleeps until the next one. */
        private void pace() {
            long interval = (long) (1e9 / options.rate());
            long now = System.nanoTime();
            while (issuing && startNanos + issued * interval <= now) {
                long due = startNanos + issued * interval;
                if (due >= measureEnd || options.maxRequests() > 0 && issued >= options.maxRequests()) {
                    issuing = false;
                    break;
                }
                issued++;
                Conn conn = idle.poll();
                if (conn != null) {
                    conn.send(due);
                } else {
                    backlog.add(due);
                    maxBacklog = Math.max(maxBacklog, backlog.size());
                }
            }
            if (issuing) {
                pacerLoop.schedule(this::pace, Math.max(0, startNanos + issued * interval - System.nanoTime()), TimeUnit.NANOSECONDS);
            } else {
                checkDrained();
            }
        }

        /** Called on the connection's event loop once its answer (or failure) is in. */
        /** A progress line on standard error: elapsed of planned, requests sent, their rate, time left. */
        @SuppressWarnings("java:S106")
        private void report(long now) {
            long sent = sequence.get();
            double seconds = (now - startNanos) / 1e9;
            System.err.printf(Locale.ROOT, "load: %s of %s, %d requests sent (%.0f/s), %s left%n",
                    Progress.duration(now - startNanos), Progress.duration(measureEnd - startNanos), sent,
                    seconds <= 0 ? 0 : sent / seconds, Progress.duration(measureEnd - now));
        }

        void completed(Conn conn) {
            if (open) {
                Long due = backlog.poll();
                if (due != null) {
                    conn.send(due);
                } else {
                    idle.add(conn);
                    checkDrained();
                }
            } else {
                conn.sendNext();
            }
        }

        private void checkDrained() {
            if (!issuing && backlog.isEmpty() && idle.size() == conns.stream().filter(c -> c.channel.isActive()).count()) {
                finish();
            }
        }

        void stoppedIssuing() {
            if (active.decrementAndGet() == 0) {
                finish();
            }
        }

        private void finish() {
            if (finishNanos == 0) {
                finishNanos = System.nanoTime();
            }
            finished.countDown();
        }

        /** A connection died: replace it while the run still issues requests. */
        void lost(Conn conn, boolean wasIdle) {
            if (open) {
                idle.remove(conn);
            }
            if (!issuing) {
                if (open) {
                    checkDrained();
                } else {
                    stoppedIssuing();
                }
                return;
            }
            reconnects.incrementAndGet();
            Conn replacement = connect();
            ChannelFuture future = replacement.connected;
            future.addListener(connected -> {
                if (!connected.isSuccess()) {
                    error("reconnect failed: " + connected.cause());
                    if (!open) {
                        stoppedIssuing();
                    }
                    return;
                }
                future.channel().pipeline().get(SslHandler.class).handshakeFuture().addListener(shaken -> {
                    if (!shaken.isSuccess()) {
                        error("handshake failed: " + shaken.cause());
                        if (!open) {
                            stoppedIssuing();
                        }
                        return;
                    }
                    if (open) {
                        completed(replacement);
                    } else {
                        replacement.sendNext();
                    }
                });
            });
        }

        void error(String message) {
            if (firstError == null) {
                firstError = message;
            }
        }
    }

    /** One keep-alive connection; its state is touched only on its event loop (results under its monitor). */
    private final class Conn extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Run run;
        private final Histogram histogram = new Histogram(HISTOGRAM_MAX, 3);
        private final Map<Integer, Long> statuses = new TreeMap<>();
        private Channel channel;
        private ChannelFuture connected;
        private boolean busy;
        private boolean done;
        private long started;
        private long counted;
        private long errors;

        Conn(Run run) {
            this.run = run;
        }

        /** Closed loop: the next request, or stop when the run is over. */
        void sendNext() {
            if (done) {
                return;
            }
            long seq = run.issuing ? run.sequence.getAndIncrement() : -1;
            if (seq < 0 || System.nanoTime() >= run.measureEnd || run.options.maxRequests() > 0 && seq >= run.options.maxRequests()) {
                done = true;
                run.stoppedIssuing();
                return;
            }
            send(System.nanoTime(), seq);
        }

        /** Open loop: a request that was due at {@code due}. */
        void send(long due) {
            send(due, run.sequence.getAndIncrement());
        }

        private void send(long startedAt, long seq) {
            busy = true;
            started = startedAt;
            Request request = run.source.next(seq);
            channel.writeAndFlush(toNetty(request)).addListener(written -> {
                if (!written.isSuccess()) {
                    run.error("write failed: " + written.cause());
                    channel.close();
                }
            });
        }

        /** Runs every second on the connection's loop: an answer overdue by the timeout closes the connection. */
        void checkTimeout() {
            if (busy && System.nanoTime() - started > run.options.timeout().toNanos() && channel.isActive()) {
                run.error("timeout after " + run.options.timeout());
                channel.close();
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            long now = System.nanoTime();
            int status = response.status().code();
            if (status >= 400 && run.firstError == null) {
                run.error(status + " " + response.content().toString(StandardCharsets.UTF_8));
            }
            record(now, status);
            busy = false;
            run.completed(this);
        }

        private void record(long now, int status) {
            if (started < run.measureStart || started >= run.measureEnd) {
                return;
            }
            synchronized (this) {
                counted++;
                statuses.merge(status, 1L, Long::sum);
                if (status < 200 || status >= 400) {
                    errors++;
                }
                histogram.recordValue(Math.min(HISTOGRAM_MAX, now - started));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            boolean wasBusy = busy;
            if (busy) {
                busy = false;
                synchronized (this) {
                    if (started >= run.measureStart && started < run.measureEnd) {
                        counted++;
                        errors++;
                        statuses.merge(0, 1L, Long::sum);
                    }
                }
            }
            if (!done && run.finished.getCount() > 0) {
                done = true;
                run.lost(this, !wasBusy);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            run.error(cause.toString());
            ctx.close();
        }
    }
}
