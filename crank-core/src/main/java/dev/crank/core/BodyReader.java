package dev.crank.core;

import dev.crank.core.internal.BodyInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

/** Reads the body of a {@link StreamedResponse} chunk by chunk, as it arrives. */
public interface BodyReader extends AutoCloseable {

    /** The next chunk, or empty at the end of the body; blocks up to {@code timeout}. */
    Optional<byte[]> read(Duration timeout) throws IOException, InterruptedException;

    /**
     * The rest of the body as an {@link InputStream}, each read waiting up to {@code timeout} for a chunk;
     * closing the stream closes this reader.
     */
    default InputStream inputStream(Duration timeout) {
        return new BodyInputStream(this, timeout);
    }

    /** Abandons the rest of the body (closes the connection unless the body had already ended). */
    @Override
    void close();
}
