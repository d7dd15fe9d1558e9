package dev.crank.core.internal;

import dev.crank.core.CrankException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * RFC 9112 section 3.2: an HTTP/1.1 request carries exactly one {@code Host} header, HTTP/1.0 at most
 * one, and its value is {@code host[:port]}. Anything else is a 400 ({@code MISSING_HOST},
 * {@code INVALID_HOST}): a request that disagrees with itself about where it goes is refused, not guessed at.
 */
final class HostHeader {

    /** The characters of a reg-name or IPv4 address besides {@code %HH}: unreserved and sub-delims (RFC 3986). */
    private static final String REG_NAME_PUNCTUATION = "._~!$&'()*+,;=-";

    private HostHeader() {}

    static void check(HttpRequest request) {
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.isEmpty()) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                return;
            }
            throw CrankException.badRequest("MISSING_HOST", "An HTTP/1.1 request needs a Host header");
        }
        if (hosts.size() > 1) {
            throw CrankException.badRequest("INVALID_HOST", "The request has " + hosts.size() + " Host headers (expected: one)");
        }
        if (!valid(hosts.get(0).trim())) {
            throw CrankException.badRequest("INVALID_HOST", "The Host header is not host[:port]");
        }
    }

    private static boolean valid(String value) {
        String host = value;
        String port = "";
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                return false;
            }
            host = value.substring(0, close + 1);
            String rest = value.substring(close + 1);
            if (!rest.isEmpty()) {
                if (rest.charAt(0) != ':') {
                    return false;
                }
                port = rest.substring(1);
            }
            return ipLiteral(host) && validPort(port);
        }
        int colon = value.lastIndexOf(':');
        if (colon >= 0) {
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
        return regNameOrIpv4(host) && validPort(port);
    }

    // Checked a character at a time (no regular expression, nothing allocated): this runs for every request.

    /** {@code (?:[A-Za-z0-9._~!$&'()*+,;=-]|%[0-9A-Fa-f]{2})+} */
    private static boolean regNameOrIpv4(String host) {
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '%') {
                if (i + 2 >= host.length() || Character.digit(host.charAt(i + 1), 16) < 0 || Character.digit(host.charAt(i + 2), 16) < 0
                        || host.charAt(i + 1) > 0x7F || host.charAt(i + 2) > 0x7F) {
                    return false;
                }
                i += 2;
            } else if (!asciiLetterOrDigit(c) && REG_NAME_PUNCTUATION.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code \\[[0-9A-Fa-f:.]+]} */
    private static boolean ipLiteral(String host) {
        if (host.length() < 3 || host.charAt(0) != '[' || host.charAt(host.length() - 1) != ']') {
            return false;
        }
        for (int i = 1; i < host.length() - 1; i++) {
            char c = host.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** At most five digits, at most 65535; empty is allowed. */
    private static boolean validPort(String port) {
        if (port.length() > 5) {
            return false;
        }
        int value = 0;
        for (int i = 0; i < port.length(); i++) {
            char c = port.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 65535;
    }

    private static boolean asciiLetterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }
}
