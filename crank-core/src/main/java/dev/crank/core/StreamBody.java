package dev.crank.core;

/** Produces a streamed response body; see {@link CrankResponse#stream}. */
@FunctionalInterface
public interface StreamBody {
    void writeTo(ResponseStream stream) throws Exception;
}
