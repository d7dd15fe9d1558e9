package dev.crank.core.internal;

/**
 * A response that is not produced by a handler thread but relayed on event loops (the controller's
 * gateway): the handler returns {@code CrankResponse.relayed(relay)} and the server calls
 * {@link #start} on the caller's event loop once every earlier answer on the connection is written.
 * The relay must end the exchange exactly once ({@link RelayExchange#respond}, {@link RelayExchange#end}
 * or {@link RelayExchange#abort}). Plumbing, not API.
 */
@FunctionalInterface
public interface Relay {

    /** Begins the relay; must not block. */
    void start(RelayExchange exchange);
}
