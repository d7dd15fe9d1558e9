package dev.crank.core;

/** Where a worker stands with its controller. */
public enum RegistrationState {
    /** No controller URL: the worker serves on its own and never dials out. */
    STANDALONE,
    /** Trying to register (at start, after a 404 heartbeat, or after failures, with backoff). */
    REGISTERING,
    /** Registered and heart-beating. */
    REGISTERED,
    /** Deregistered during shutdown. */
    DEREGISTERED
}
