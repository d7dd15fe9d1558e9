package dev.crank.core.internal;

import dev.crank.core.CrankException;
import io.netty.handler.codec.http.HttpRequest;

/**
 * What the connection's read side hands to {@link DispatchHandler}, in the order the client sent it:
 * a whole request, an interim {@code 100 Continue} owed to the request being received, or a request
 * refused before any handler saw it. Dispatch answers them strictly in this order.
 */
sealed interface Exchange {

    /**
     * A request: complete, its body already copied off the network buffers, or (with {@code stream} not
     * null) its head only, the body still arriving in {@code stream}.
     */
    record Request(HttpRequest head, byte[] body, RequestBody stream) implements Exchange {
        Request(HttpRequest head, byte[] body) {
            this(head, body, null);
        }
    }

    /** The client waits for {@code 100 Continue} before it sends the body of the next request. */
    record Continue() implements Exchange {}

    /** A request answered with {@code problem} without running a handler; {@code keepAlive} false closes after it. */
    record Reject(CrankException problem, String path, boolean keepAlive) implements Exchange {}
}
