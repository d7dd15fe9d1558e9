package dev.crank.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankException;
import dev.crank.core.CrankJson;
import dev.crank.core.CrankRequest;
import dev.crank.core.PeerIdentity;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reading the controller's requests: bodies, fields, query parameters and who may act for a worker. */
final class ControllerRequests {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]*");

    private ControllerRequests() {}

    /** The body as a JSON object: 415 for another media type, 400 for another JSON value. */
    static JsonNode jsonObject(CrankRequest request) {
        if (!request.isJson()) {
            throw new CrankException(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type " + request.contentType()
                    + " is not accepted here (expected: application/json)");
        }
        JsonNode body = request.json();
        if (!body.isObject()) {
            throw CrankException.badRequest("INVALID_BODY", "The body must be a JSON object");
        }
        return body;
    }

    /** A JSON object, or the fields of a form-urlencoded body. */
    static JsonNode fields(CrankRequest request) {
        if (!"application/x-www-form-urlencoded".equals(request.contentType())) {
            return jsonObject(request);
        }
        ObjectNode node = CrankJson.object();
        new QueryStringDecoder("?" + request.bodyText()).parameters().forEach((name, values) -> {
            if (!values.isEmpty()) {
                node.put(name, values.get(0));
            }
        });
        return node;
    }

    /** {@code body.field} as a lower-case identifier ({@code [a-z][a-z0-9_]*}), 400 {@code INVALID_<FIELD>} otherwise. */
    static String identifier(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || !IDENTIFIER.matcher(value.asText()).matches()) {
            throw CrankException.badRequest("INVALID_" + field.toUpperCase(Locale.ROOT), field + ": expected a string matching [a-z][a-z0-9_]*");
        }
        return value.asText();
    }

    /** The integer query parameter {@code name} within {@code min..max}, 400 {@code INVALID_<NAME>} otherwise. */
    static int intParameter(CrankRequest request, String name, int defaultValue, int min, int max) {
        Optional<String> text = request.queryParam(name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw CrankException.badRequest("INVALID_" + name.toUpperCase(Locale.ROOT), name + ": '" + text.get()
                + "' (expected: an integer " + min + "-" + max + ")");
    }

    /** Only the worker itself (its certificate names {@code workerId}) or an admin may act for it. */
    static void authorize(CrankRequest request, String workerId) {
        PeerIdentity peer = request.peer().orElseThrow(() ->
                CrankException.forbidden("The client certificate carries no Crank identity"));
        if (peer.isAdmin() || peer.workerId().map(workerId::equals).orElse(false)) {
            return;
        }
        throw CrankException.forbidden("Identity " + peer + " may not act for worker " + workerId);
    }
}
