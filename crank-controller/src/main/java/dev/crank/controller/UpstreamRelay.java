package dev.crank.controller;

// internal: the gateway relays on the server's own event-loop plumbing (sinks, relay exchange), which is not API
import dev.crank.core.internal.RelayExchange;
import dev.crank.core.internal.ResponseSink;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a {@link GatewayCall}: receives the worker's answer on the upstream connection's event
 * loop (the caller's own: see {@code RelayClient}) and writes it to the caller as it arrives, flushing once
 * per batch read from the worker, with the worker's {@code Content-Length} when it sent one. Backpressure: once more than {@value #HIGH_WATER} bytes
 * written to the caller have not reached the caller's socket, the worker's connection stops reading
 * (TCP then slows the worker); it reads again below {@value #LOW_WATER}. So a call holds at most about
 * {@code HIGH_WATER} plus one read of the controller's memory, whatever the size of the answer.
 */
final class UpstreamRelay implements ResponseSink {

    private static final Logger logger = LoggerFactory.getLogger(UpstreamRelay.class);
    static final int HIGH_WATER = 256 * 1024;
    static final int LOW_WATER = 64 * 1024;
    private static final List<AsciiString> FORWARDED_RESPONSE_HEADERS = List.of(HttpHeaderNames.RETRY_AFTER,
            HttpHeaderNames.CONTENT_DISPOSITION, HttpHeaderNames.CACHE_CONTROL);
    private static final AsciiString WORKER = AsciiString.cached("x-crank-worker");
    private static final AsciiString REQUEST_ID = AsciiString.cached("x-request-id");

    private final GatewayCall call;
    private final Gateway gateway;
    private final RelayExchange exchange;
    private final Admission.Lease lease;
    private final boolean idempotent;
    private volatile Channel channel;
    private BiConsumer<Channel, Boolean> release;
    private boolean finished;
    private boolean retrying;
    private boolean relayed;
    private boolean reusable = true;
    private boolean stallCheckArmed; // upstream event loop only
    private volatile boolean paused;
    private volatile long lastProgress = System.nanoTime();

    UpstreamRelay(GatewayCall call, Gateway gateway, RelayExchange exchange, Admission.Lease lease, boolean idempotent) {
        this.call = call;
        this.gateway = gateway;
        this.exchange = exchange;
        this.lease = lease;
        this.idempotent = idempotent;
    }

    /** The pooled connection was acquired: this sink takes over handing it back. */
    ResponseSink connected(Channel acquired, BiConsumer<Channel, Boolean> releaseCallback) {
        boolean abandoned;
        synchronized (this) {
            this.channel = acquired;
            this.release = releaseCallback;
            abandoned = finished;
        }
        if (abandoned) {
            releaseCallback.accept(acquired, false); // the caller left while the connection was being acquired
        }
        return this;
    }

    /** No connection could be had: the request cannot have reached the worker. */
    void notSent(Throwable cause) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
        }
        lease.close();
        call.failed(lease.worker().workerId(), cause, call.replayable());
    }

    @Override
    public void onHead(Channel upstream, HttpResponse head) {
        int status = head.status().code();
        reusable = HttpUtil.isKeepAlive(head);
        if (status == 503 && call.attemptsLeft() && call.replayable()) {
            synchronized (this) {
                retrying = true; // its body is drained and dropped; the retry starts once the connection is free
            }
            return;
        }
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100-599)");
        }
        // The relayed head, built once in Netty's form: what the caller sees of the worker's headers is this list.
        HttpHeaders headers = head.headers();
        HttpHeaders answer = new DefaultHttpHeaders();
        answer.set(HttpHeaderNames.CONTENT_TYPE, headers.get(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream"));
        answer.set(WORKER, lease.worker().workerId());
        answer.set(REQUEST_ID, call.requestId());
        for (AsciiString name : FORWARDED_RESPONSE_HEADERS) {
            String value = headers.get(name);
            if (value != null) {
                answer.set(name, value);
            }
        }
        synchronized (this) {
            if (finished) {
                return;
            }
            relayed = true;
        }
        call.headRelayed(status);
        lastProgress = System.nanoTime();
        long length = HttpUtil.isTransferEncodingChunked(head) ? -1 : HttpUtil.getContentLength(head, -1L);
        exchange.head(status, answer, length);
    }

    /**
     * The head deadline ends at the head; after it a call that makes no progress either way (no byte from
     * the worker, no byte reaching the caller) for the upstream timeout is ended, so neither a stuck worker
     * nor a caller that stopped reading holds a slot for ever. Armed only once an answer outlives the read
     * batch that brought its head: a small answer ends in that batch and schedules nothing.
     */
    private void scheduleStallCheck(Channel upstream) {
        stallCheckArmed = true;
        long timeout = gateway.settings.upstreamTimeout().toNanos();
        upstream.eventLoop().schedule(() -> {
            synchronized (this) {
                if (finished) {
                    return;
                }
            }
            if (System.nanoTime() - lastProgress >= timeout) {
                onError(new TimeoutException("no progress within " + gateway.settings.upstreamTimeout()), true);
            } else {
                scheduleStallCheck(upstream);
            }
        }, Math.max(1, timeout / 4), TimeUnit.NANOSECONDS);
    }

    @Override
    public void onContent(Channel upstream, ByteBuf content) {
        synchronized (this) {
            if (finished || retrying || !relayed) {
                return;
            }
        }
        int size = content.readableBytes();
        lastProgress = System.nanoTime();
        gateway.addBuffered(size);
        exchange.write(content.retain(), this::written);
        if (exchange.buffered() > HIGH_WATER && !paused) {
            paused = true;
            upstream.config().setAutoRead(false);
            if (exchange.buffered() <= LOW_WATER) {
                resume(); // it drained between the check and the pause
            }
        }
    }

    @Override
    public void onReadComplete(Channel upstream) {
        exchange.flush();
        boolean streaming;
        synchronized (this) {
            streaming = relayed && !finished && !stallCheckArmed;
        }
        if (streaming) {
            scheduleStallCheck(upstream);
        }
    }

    /** On the caller's event loop, once a chunk reached the caller's socket. */
    private void written(long size) {
        lastProgress = System.nanoTime();
        gateway.addBuffered(-size);
        if (paused && exchange.buffered() <= LOW_WATER) {
            resume();
        }
    }

    private void resume() {
        Channel upstream = channel;
        upstream.eventLoop().execute(() -> {
            if (paused) {
                paused = false;
                upstream.config().setAutoRead(true);
                upstream.read();
            }
        });
    }

    @Override
    public void onEnd(Channel upstream) {
        boolean retry;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            retry = retrying;
        }
        paused = false;
        upstream.config().setAutoRead(true);
        release.accept(upstream, reusable);
        lease.close();
        if (retry) {
            call.retryAfterUnavailable();
            return;
        }
        exchange.end();
    }

    @Override
    public void onError(Throwable cause, boolean requestWritten) {
        boolean wasRelayed;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            wasRelayed = relayed;
        }
        Channel upstream = channel;
        if (upstream != null) {
            release.accept(upstream, false);
        }
        lease.close();
        if (wasRelayed) {
            call.log(() -> logger.warn("Stream from {} broke: {}",
                    lease.worker().workerId(), GatewayCall.rootMessage(cause)));
            exchange.abort();
        } else {
            call.failed(lease.worker().workerId(), cause, (!requestWritten || idempotent) && call.replayable());
        }
    }

    /** The caller closed its connection: stop the worker's stream too, and end the exchange. */
    void callerLeft() {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
        }
        Channel upstream = channel;
        if (upstream != null) {
            release.accept(upstream, false);
        }
        lease.close();
        exchange.abort();
    }

    @Override
    public boolean headOnlyDeadline() {
        return true;
    }

}
