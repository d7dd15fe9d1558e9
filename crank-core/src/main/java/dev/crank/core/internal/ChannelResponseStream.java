package dev.crank.core.internal;

import dev.crank.core.ResponseStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Writes a streamed body straight to the channel. When the outbound buffer is over its high-water
 * mark the writer waits for the write to reach the socket, so a slow client slows the producer
 * instead of growing a buffer; a client that stays stuck past {@code writeTimeout} is disconnected.
 */
final class ChannelResponseStream implements ResponseStream {

    private final Channel channel;
    private final Duration writeTimeout;
    private final CountDownLatch closed = new CountDownLatch(1);

    ChannelResponseStream(Channel channel, Duration writeTimeout) {
        this.channel = channel;
        this.writeTimeout = writeTimeout;
        channel.closeFuture().addListener(future -> closed.countDown());
    }

    @Override
    public void write(byte[] chunk) {
        if (!channel.isActive()) {
            throw new ClosedException();
        }
        ChannelFuture future = channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
        if (!channel.isWritable() && !future.awaitUninterruptibly(writeTimeout.toMillis())) {
            channel.close();
            throw new ClosedException();
        }
        if (future.isDone() && !future.isSuccess()) {
            throw new ClosedException();
        }
    }

    @Override
    public void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public boolean pause(Duration duration) throws InterruptedException {
        return !closed.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    }
}
