package dev.crank.core.internal;

import dev.crank.core.BodyReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;

/** A streamed client body read as an {@link InputStream}: each read waits up to the timeout for the next chunk. */
public final class BodyInputStream extends InputStream {

    private static final byte[] NONE = new byte[0];

    private final BodyReader body;
    private final Duration timeout;
    private byte[] chunk = NONE;
    private int position;
    private boolean ended;

    public BodyInputStream(BodyReader body, Duration timeout) {
        this.body = body;
        this.timeout = timeout;
    }

    @Override
    public int read() throws IOException {
        return fill() ? chunk[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int count = Math.min(length, chunk.length - position);
        System.arraycopy(chunk, position, buffer, offset, count);
        position += count;
        return count;
    }

    @Override
    public int available() {
        return chunk.length - position;
    }

    /** True when there is a byte to read, waiting for the next chunk if need be. */
    private boolean fill() throws IOException {
        while (position == chunk.length) {
            if (ended) {
                return false;
            }
            try {
                Optional<byte[]> next = body.read(timeout);
                if (next.isEmpty()) {
                    ended = true;
                    return false;
                }
                chunk = next.get();
                position = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the response body");
            }
        }
        return true;
    }

    @Override
    public void close() {
        body.close();
    }
}
