package dev.crank.runtime;

/** A client command failed in a way the user should read; {@link #exitCode()} is what the process returns. */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The server answered with an error status. */
    static final int ERROR_RESPONSE = 1;
    /** Bad arguments, a missing file or certificate: nothing was sent. */
    static final int USAGE = 2;
    /** No answer: connection refused, TLS handshake failed, timeout. */
    static final int UNREACHABLE = 3;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
