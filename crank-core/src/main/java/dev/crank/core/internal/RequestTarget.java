package dev.crank.core.internal;

import dev.crank.core.CrankException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The request target of a request line, decoded strictly: every {@code %} is followed by two hex digits,
 * the decoded bytes are valid UTF-8, the raw target holds only visible ASCII and no fragment, and the
 * decoded path holds no control character. Anything else is a 400 {@code MALFORMED_REQUEST}, never a
 * silent replacement character and never a dropped connection. {@code +} means a space in the query only.
 */
record RequestTarget(String path, Map<String, List<String>> queryParams) {

    static final int MAX_QUERY_PARAMS = 1024;
    private static final Pattern ABSOLUTE_FORM = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://[^/?]*");

    static RequestTarget parse(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '#') {
                throw malformed("the request target holds a character that is not allowed there (code " + (int) c + ")");
            }
        }
        String target = raw;
        var absolute = raw.startsWith("/") ? null : ABSOLUTE_FORM.matcher(target); // origin form, the usual one, cannot match
        if (absolute != null && absolute.find()) {
            target = target.substring(absolute.end());
            if (target.isEmpty() || target.charAt(0) == '?') {
                target = "/" + target;
            }
        }
        if (!target.startsWith("/")) {
            throw malformed("the request target must start with '/'");
        }
        int question = target.indexOf('?');
        String rawPath = question < 0 ? target : target.substring(0, question);
        String path = decode(rawPath, false, "path");
        for (int i = 0; i < path.length(); i++) {
            if (Character.isISOControl(path.charAt(i))) {
                throw malformed("the decoded path holds a control character");
            }
        }
        if (question < 0) {
            return new RequestTarget(path, Map.of());
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        int count = 0;
        for (String pair : target.substring(question + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++count > MAX_QUERY_PARAMS) {
                throw malformed("more than " + MAX_QUERY_PARAMS + " query parameters");
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), true, "query");
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), true, "query");
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        params.replaceAll((name, values) -> List.copyOf(values));
        return new RequestTarget(path, Map.copyOf(params));
    }

    private static String decode(String raw, boolean plusIsSpace, String part) {
        if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw malformed("bad percent-encoding in the " + part + " at offset " + i + " (expected: % and two hex digits)");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                bytes.write(plusIsSpace && c == '+' ? ' ' : c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed("the percent-decoded " + part + " is not valid UTF-8");
        }
    }

    private static CrankException malformed(String why) {
        return CrankException.badRequest("MALFORMED_REQUEST", "Malformed request target: " + why);
    }
}
