package dev.crank.core.internal;

import dev.crank.core.CrankException;
import io.netty.handler.codec.http.HttpRequest;

/**
 * What the connection's read side hands to {@link DispatchHandler}, in the order the client sent it:
 * a whole request, an interim {@code 100 Continue} owed to the request being received, or a request
 * refused before any handler saw it. Dispatch answers them strictly in this order.
 */
sealed interface Exchange {

    /** A complete request; the body is already copied off the network buffers. */
    record Request(HttpRequest head, byte[] body) implements Exchange {}

    /** The client waits for {@code 100 Continue} before it sends the body of the next request. */
    record Continue() implements Exchange {}

    /** A request answered with {@code problem} without running a handler; {@code keepAlive} false closes after it. */
    record Reject(CrankException problem, String path, boolean keepAlive) implements Exchange {}
}
