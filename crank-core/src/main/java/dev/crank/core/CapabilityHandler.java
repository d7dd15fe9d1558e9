package dev.crank.core;

/**
 * A typed capability handler: gets the input bound to a record and returns the answer (a record, or
 * any value the platform's mapper writes), serialised as JSON in snake_case. Runs on a worker thread;
 * throw a {@link CrankException} for an answer other than success.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
@FunctionalInterface
public interface CapabilityHandler<I, O> {
    O handle(I input, CrankRequest request) throws Exception;
}
