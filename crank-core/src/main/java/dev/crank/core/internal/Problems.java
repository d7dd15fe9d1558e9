package dev.crank.core.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankException;
import dev.crank.core.CrankResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Locale;

/** Turns exceptions into RFC 9457 {@code application/problem+json} responses. */
public final class Problems {

    private Problems() {}

    public static CrankResponse response(CrankException e, String instance) {
        ObjectNode body = Json.object();
        body.put("type", "urn:crank:problem:" + e.code().toLowerCase(Locale.ROOT).replace('_', '-'));
        body.put("title", HttpResponseStatus.valueOf(e.status()).reasonPhrase());
        body.put("status", e.status());
        body.put("detail", e.detail());
        body.put("code", e.code());
        body.put("instance", instance);
        if (!e.errors().isEmpty()) {
            ArrayNode errors = body.putArray("errors");
            e.errors().forEach(errors::add);
        }
        CrankResponse response = CrankResponse.of(e.status(), CrankResponse.PROBLEM_JSON, Json.bytes(body));
        if (e.retryAfter().isPresent()) {
            response = response.withHeader("retry-after", Long.toString(Math.max(1, e.retryAfter().get().toSeconds())));
        }
        if (e instanceof Router.MethodNotAllowed notAllowed) {
            response = response.withHeader("allow", notAllowed.allow());
        }
        return response;
    }

    /** A 500 that says nothing about the internals: the cause goes to the log, not to the caller. */
    public static CrankResponse internalError(String instance) {
        return response(new CrankException(500, "INTERNAL_ERROR", "The server failed to handle the request"), instance);
    }
}
