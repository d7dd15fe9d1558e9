package dev.crank.core;

/**
 * Answers one request. Runs on a worker thread, never on a Netty event loop, so it may block.
 * Throw a {@link CrankException} for an answer other than success.
 */
@FunctionalInterface
public interface Handler {
    CrankResponse handle(CrankRequest request) throws Exception;
}
