package dev.crank.core.internal;

import dev.crank.core.CrankException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.regex.Pattern;

/**
 * RFC 9112 section 3.2: an HTTP/1.1 request carries exactly one {@code Host} header, HTTP/1.0 at most
 * one, and its value is {@code host[:port]}. Anything else is a 400 ({@code MISSING_HOST},
 * {@code INVALID_HOST}): a request that disagrees with itself about where it goes is refused, not guessed at.
 */
final class HostHeader {

    private static final Pattern REG_NAME_OR_IPV4 = Pattern.compile("(?:[A-Za-z0-9._~!$&'()*+,;=-]|%[0-9A-Fa-f]{2})+");
    private static final Pattern IP_LITERAL = Pattern.compile("\\[[0-9A-Fa-f:.]+]");
    private static final Pattern PORT = Pattern.compile("[0-9]{0,5}");

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
            return IP_LITERAL.matcher(host).matches() && validPort(port);
        }
        int colon = value.lastIndexOf(':');
        if (colon >= 0) {
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
        return REG_NAME_OR_IPV4.matcher(host).matches() && validPort(port);
    }

    private static boolean validPort(String port) {
        return PORT.matcher(port).matches() && (port.isEmpty() || Integer.parseInt(port) <= 65535);
    }
}
