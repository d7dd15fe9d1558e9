package dev.crank.core.internal;

import dev.crank.core.CrankException;
import dev.crank.core.CrankResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * The caller's side of one relayed exchange. Every method may be called from any thread: the work runs
 * on the caller's event loop in call order (at once when called there with nothing queued before it), so
 * a relay never writes to the caller's channel from a foreign thread. {@link #head} and {@link #write}
 * do not flush: a relay flushes once per batch it read ({@link #flush}), so a small answer leaves in one
 * TLS record; {@link #end} and {@link #respond} flush. Written bytes are counted until they have reached
 * the socket, which is what a relay uses for backpressure ({@link #buffered()}) instead of growing a queue.
 */
public final class RelayExchange {

    private final Channel channel;
    private final EventLoop loop;
    private final boolean keepAlive;
    private final String path;
    private final BiConsumer<ChannelFuture, Boolean> finish;
    private volatile long buffered;
    private boolean ended; // event loop only
    private boolean headSent; // event loop only
    private volatile GenericFutureListener<Future<? super Void>> closeListener;
    private final AtomicInteger queued = new AtomicInteger();
    private final RequestBody body; // null: the request body was aggregated
    private final HttpHeaders requestHeaders;

    RelayExchange(Channel channel, boolean keepAlive, String path, HttpHeaders requestHeaders, RequestBody body,
                  BiConsumer<ChannelFuture, Boolean> finish) {
        this.body = body;
        this.requestHeaders = requestHeaders;
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.keepAlive = keepAlive;
        this.path = path;
        this.finish = finish;
    }

    /** The caller's event loop: a relay that runs its upstream connection there never hops threads. */
    public EventLoop eventLoop() {
        return loop;
    }

    /**
     * The request's body when it is streamed ({@code CrankServer.Builder.streamRequestBodies}): the relay
     * reads it on the caller's event loop; what it leaves unread is dropped when the exchange ends.
     */
    public Optional<RequestBody> requestBody() {
        return Optional.ofNullable(body);
    }

    /**
     * The caller's request headers as decoded (case-insensitive names), read-only by contract: a relay
     * picks what it forwards from them without copying them into a map first.
     */
    public HttpHeaders requestHeaders() {
        return requestHeaders;
    }

    /** The request path, for problem answers. */
    public String path() {
        return path;
    }

    /** Whether the caller is still connected. */
    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * Runs {@code action} if the caller's connection closes before the exchange has ended (at once if it
     * already has). The listener is removed when the exchange ends, so a keep-alive connection carrying
     * many calls does not collect one per call.
     */
    public void onClose(Runnable action) {
        GenericFutureListener<Future<? super Void>> listener = closed -> action.run();
        closeListener = listener;
        channel.closeFuture().addListener(listener);
    }

    /** Bytes handed to {@link #write} that have not reached the socket yet. */
    public long buffered() {
        return buffered;
    }

    /** Answers with a whole response (a refusal, a problem) and ends the exchange. */
    public void respond(CrankResponse response) {
        run(() -> {
            if (ended) {
                return;
            }
            ended = true;
            forgetCloseListener();
            finish.accept(channel.writeAndFlush(NettyResponses.full(response, keepAlive)), keepAlive);
        });
    }

    /** Answers {@code problem} as {@code application/problem+json} and ends the exchange. */
    public void respond(CrankException problem) {
        respond(Problems.response(problem, path));
    }

    /**
     * Sends the status line and headers (not flushed); the body follows with {@link #write}. With
     * {@code contentLength >= 0} the answer carries that {@code Content-Length} and the relay must write
     * exactly that many bytes; otherwise it is chunked.
     */
    public void head(CrankResponse head, long contentLength) {
        run(() -> {
            if (!ended) {
                headSent = true;
                channel.write(NettyResponses.relayHead(head, keepAlive, contentLength));
            }
        });
    }

    /**
     * As {@link #head(CrankResponse, long)} with the headers already in Netty's form (the relay builds
     * them once, from the upstream's head); this adds {@code X-Content-Type-Options}, {@code Connection}
     * and the framing, as for any answer of the server.
     */
    public void head(int status, HttpHeaders headers, long contentLength) {
        run(() -> {
            if (!ended) {
                headSent = true;
                channel.write(NettyResponses.relayHead(status, headers, keepAlive, contentLength));
            }
        });
    }

    /** Sends what was written so far. */
    public void flush() {
        run(() -> {
            if (!ended) {
                channel.flush();
            }
        });
    }

    /**
     * Sends one chunk (this takes ownership of {@code chunk}); {@code written} gets the byte count once
     * it reached the socket (or was dropped), on the caller's event loop.
     */
    public void write(ByteBuf chunk, LongConsumer written) {
        int size = chunk.readableBytes();
        addBuffered(size);
        run(() -> {
            if (ended || !headSent) {
                ReferenceCountUtil.release(chunk);
                addBuffered(-size);
                written.accept(size);
                return;
            }
            channel.write(new DefaultHttpContent(chunk)).addListener(done -> {
                addBuffered(-size);
                written.accept(size);
            });
        });
    }

    /** Ends a chunked answer. */
    public void end() {
        run(() -> {
            if (!ended) {
                ended = true;
                forgetCloseListener();
                finish.accept(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), keepAlive);
            }
        });
    }

    /** Ends the exchange by closing the connection: the only honest signal once a status line is sent. */
    public void abort() {
        run(() -> {
            if (!ended) {
                ended = true;
                forgetCloseListener();
                finish.accept(channel.close(), false);
            }
        });
    }

    /** Runs {@code action} on the loop after every earlier one: at once when on the loop and nothing is queued. */
    private void run(Runnable action) {
        if (loop.inEventLoop() && queued.get() == 0) {
            action.run();
            return;
        }
        queued.incrementAndGet();
        loop.execute(() -> {
            queued.decrementAndGet();
            action.run();
        });
    }

    private void forgetCloseListener() {
        if (body != null) {
            body.cancel();
        }
        GenericFutureListener<Future<? super Void>> listener = closeListener;
        if (listener != null) {
            channel.closeFuture().removeListener(listener);
        }
    }

    private synchronized void addBuffered(long delta) {
        buffered += delta;
    }
}
