package dev.crank.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Sends hand-written bytes over a real TLS connection (host name verified) and reads what comes
 * back: for security tests and for requests no well-behaved client would send.
 */
public final class RawHttps {

    private RawHttps() {}

    /** A parsed answer; {@code status} is -1 when the server closed without answering. */
    public record Answer(int status, String head, String body) {
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** Writes {@code request} to {@code localhost:port} and reads until the server closes (use {@code Connection: close}). */
    public static Answer exchange(SSLContext context, int port, byte[] request) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setServerNames(java.util.List.of(new SNIHostName("localhost")));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) != -1) {
                received.write(buffer, 0, read);
            }
            String text = received.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || split < 0) {
                return new Answer(-1, text, "");
            }
            int status = Integer.parseInt(text.substring(9, 12));
            return new Answer(status, text.substring(0, split), text.substring(split + 4));
        }
    }

    /** An open response read line by line as it arrives (chunk-size lines of a chunked body included). */
    public static final class Lines implements AutoCloseable {
        private final SSLSocket socket;
        private final java.io.BufferedReader reader;
        private final int status;

        private Lines(SSLSocket socket) throws IOException {
            this.socket = socket;
            this.reader = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String statusLine = reader.readLine();
            this.status = statusLine == null ? -1 : Integer.parseInt(statusLine.substring(9, 12));
            String line;
            while ((line = reader.readLine()) != null && !line.isEmpty()) {
                // skip the head
            }
        }

        public int status() {
            return status;
        }

        /** The next line, or null at the end of the stream. */
        public String next() throws IOException {
            return reader.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Sends {@code request} and returns the response for reading line by line while it streams. */
    public static Lines open(SSLContext context, int port, byte[] request) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        socket.setSoTimeout(15_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
        return new Lines(socket);
    }

    /**
     * One kept-open TLS connection for pipelining probes: write any bytes, then read the answers one by
     * one (bodies framed by {@code Content-Length}; interim 1xx answers have none).
     */
    public static final class Connection implements AutoCloseable {
        private final SSLSocket socket;
        private final java.io.BufferedInputStream in;

        private Connection(SSLSocket socket) throws IOException {
            this.socket = socket;
            this.in = new java.io.BufferedInputStream(socket.getInputStream());
        }

        public Connection write(byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return this;
        }

        public Connection write(String text) throws IOException {
            return write(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** The next answer, or {@code null} when the server closed the connection instead. */
        public Answer read() throws IOException {
            String statusLine;
            try {
                statusLine = line();
            } catch (java.net.SocketException e) {
                return null; // a reset after the server closed is a close, too
            }
            if (statusLine == null) {
                return null;
            }
            if (!statusLine.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP/1.1 status line: " + statusLine);
            }
            StringBuilder head = new StringBuilder(statusLine);
            int length = 0;
            String header;
            while ((header = line()) != null && !header.isEmpty()) {
                head.append("\r\n").append(header);
                if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new IOException("the connection ended inside a body");
            }
            return new Answer(Integer.parseInt(statusLine.substring(9, 12)), head.toString(), new String(body, StandardCharsets.UTF_8));
        }

        /** Whether the server has closed its side: a read returns end-of-stream (or a reset). */
        public boolean closedByServer() throws IOException {
            try {
                return in.read() == -1;
            } catch (java.net.SocketException e) {
                return true;
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append((char) c);
            }
            return line.length() == 0 ? null : line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Opens a TLS connection to {@code localhost:port} (host name verified) and completes the handshake. */
    public static Connection connect(SSLContext context, int port) throws IOException {
        return connect(context, port, null);
    }

    /** As {@link #connect(SSLContext, int)}, from the local address {@code from} (e.g. 127.0.0.2: another peer). */
    public static Connection connect(SSLContext context, int port, java.net.InetAddress from) throws IOException {
        SSLSocket socket = from == null
                ? (SSLSocket) context.getSocketFactory().createSocket("localhost", port)
                : (SSLSocket) context.getSocketFactory().createSocket("localhost", port, from, 0);
        socket.setSoTimeout(15_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setServerNames(java.util.List.of(new SNIHostName("localhost")));
        socket.setSSLParameters(parameters);
        try {
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new Connection(socket);
    }

    /** A request with a body and {@code Connection: close}. */
    public static byte[] request(String method, String path, String contentType, byte[] body) {
        String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }
}
