package dev.crank.core.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponse;

/** Receives one response on a client connection's event loop. */
public interface ResponseSink {

    void onHead(Channel channel, HttpResponse head);

    void onContent(Channel channel, ByteBuf content);

    /** The whole response arrived; the connection may be reused. */
    void onEnd(Channel channel);

    /** The exchange failed; {@code requestWritten} tells whether the request may have reached the server. */
    void onError(Throwable cause, boolean requestWritten);

    /** The connection's read batch ended (more may follow): a relay flushes what it wrote to its caller here. */
    default void onReadComplete(Channel channel) {}

    /** Whether the deadline covers only the head (streams) or the whole response. */
    boolean headOnlyDeadline();
}
