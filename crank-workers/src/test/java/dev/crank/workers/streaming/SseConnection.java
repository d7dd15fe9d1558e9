package dev.crank.workers.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.ServerSentEvent;
import dev.crank.core.ServerSentEventReader;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A test client that reads a server-sent event stream incrementally over a real mutual-TLS socket
 * (JDK {@link SSLSocket}, server chain and host name verified): it decodes the chunked body as it
 * arrives and hands out one event at a time (decoded by crank-core's {@link ServerSentEventReader}), stamped with the moment it was read. Closing it
 * disconnects, which is how tests play a client that leaves.
 */
final class SseConnection implements AutoCloseable {

    /** One dispatched event, with the comments ({@code : keep-alive}) read since the previous one. */
    record Event(ServerSentEvent sse, List<String> commentsBefore, Instant receivedAt) {
        String id() {
            return sse.id().orElse(null);
        }

        String event() {
            return sse.event();
        }

        String data() {
            return sse.data();
        }

        /** The {@code retry:} field in milliseconds, as sent; null without one. */
        String retry() {
            return sse.retry().map(delay -> String.valueOf(delay.toMillis())).orElse(null);
        }

        JsonNode json() {
            return sse.json();
        }
    }

    private final SSLSocket socket;
    private final int status;
    private final Map<String, String> headers;
    private final InputStream body;
    private ServerSentEventReader events;

    private SseConnection(SSLSocket socket, int status, Map<String, String> headers, InputStream body) {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /**
     * Sends one request and reads the response head. {@code receiveBuffer}, when positive, shrinks
     * the client's socket buffer so a test can play a slow reader.
     */
    static SseConnection open(SSLContext context, int port, String method, String path, Map<String, String> extraHeaders,
                              byte[] requestBody, int receiveBuffer) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(15_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setServerNames(List.of(new SNIHostName("localhost")));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n");
            extraHeaders.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (requestBody.length > 0 || method.equals("POST")) {
                head.append("Content-Length: ").append(requestBody.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(requestBody);
            out.flush();

            InputStream in = new BufferedInputStream(socket.getInputStream(), 1024);
            String statusLine = readLine(in);
            if (!statusLine.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP/1.1 response: " + statusLine);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            InputStream bodyStream = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))
                    ? new ChunkedInputStream(in)
                    : new LimitedInputStream(in, Long.parseLong(headers.getOrDefault("content-length", "0")));
            return new SseConnection(socket, Integer.parseInt(statusLine.substring(9, 12)), headers, bodyStream);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    int status() {
        return status;
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    private ServerSentEventReader events() {
        if (events == null) {
            events = new ServerSentEventReader(body);
        }
        return events;
    }

    /** The next event, waiting for it; empty when the stream has ended. */
    Optional<Event> nextEvent() throws IOException {
        int before = events().comments().size();
        Optional<ServerSentEvent> next = events().next();
        List<String> comments = events().comments();
        return next.map(event -> new Event(event, comments.subList(before, comments.size()), Instant.now()));
    }

    /** Every event left, until the stream ends. */
    List<Event> remainingEvents() throws IOException {
        List<Event> events = new ArrayList<>();
        for (Optional<Event> event = nextEvent(); event.isPresent(); event = nextEvent()) {
            events.add(event.get());
        }
        return events;
    }

    /** The rest of the body as text (for error answers). */
    String remainingText() throws IOException {
        return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Every comment line read so far, without the leading colon. */
    List<String> comments() {
        return events().comments();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Parses a whole event stream, as a client that aggregates the body sees it. */
    static List<Event> parse(String stream) {
        return ServerSentEventReader.parse(stream).stream().map(event -> new Event(event, List.of(), Instant.now())).toList();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new EOFException("connection closed in the response head");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** Decodes {@code Transfer-Encoding: chunked}, returning bytes as soon as they arrive. */
    private static final class ChunkedInputStream extends InputStream {
        private final InputStream in;
        private long left;
        private boolean ended;

        ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (ended) {
                return -1;
            }
            if (left == 0) {
                String size = readLine(in).split(";", 2)[0].trim();
                left = Long.parseLong(size, 16);
                if (left == 0) {
                    for (String trailer = readLine(in); !trailer.isEmpty(); trailer = readLine(in)) {
                        // trailers are not used by Crank
                    }
                    ended = true;
                    return -1;
                }
            }
            int read = in.read(buffer, offset, (int) Math.min(length, left));
            if (read == -1) {
                throw new EOFException("connection closed inside a chunk");
            }
            left -= read;
            if (left == 0 && !readLine(in).isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
            return read;
        }
    }

    /** A body of known length. */
    private static final class LimitedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        LimitedInputStream(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) {
                return -1;
            }
            int b = in.read();
            if (b != -1) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left == 0) {
                return -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, left));
            if (read > 0) {
                left -= read;
            }
            return read;
        }
    }
}
