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
