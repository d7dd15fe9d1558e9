package dev.crank.controller;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankRequest;
import dev.crank.core.PeerIdentity;
// internal: the gateway hands its relay to the server's dispatch, which is not API
import dev.crank.core.internal.RelayExchange;
import dev.crank.core.internal.RequestBody;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One call through the gateway, from admission to the last byte, on event loops and the admission timer,
 * never on a thread of its own. A call that failed before any byte reached a worker is retried on another
 * one; a call that may have reached a worker is retried only when the capability is {@code idempotent};
 * a 503 (draining, busy) is retried while attempts remain.
 */
final class GatewayCall {

    private static final Logger logger = LoggerFactory.getLogger(GatewayCall.class);
    /**
     * What crosses to the worker of the caller's own headers besides the content type: W3C Trace Context and
     * Baggage exactly as the caller sent them, then what a stream needs.
     */
    private static final List<AsciiString> FORWARDED_REQUEST_HEADERS = List.of(AsciiString.cached("traceparent"),
            AsciiString.cached("tracestate"), AsciiString.cached("baggage"), HttpHeaderNames.ACCEPT, AsciiString.cached("last-event-id"));
    private static final AsciiString REQUEST_ID = AsciiString.cached("x-request-id");
    private static final AsciiString CALLER = AsciiString.cached(CrankRequest.CALLER_HEADER);

    private final Gateway gateway;
    private final CrankRequest request;
    private final String key;
    private final String tag;
    private final String requestId;
    private final long started;
    private final RelayExchange exchange;
    private final String target;
    private final String caller; // the caller's identity, forwarded in x-crank-caller; null when none
    private Set<String> tried = Set.of(); // the workers attempted; a set of its own from the second attempt
    private volatile UpstreamRelay current;
    private int attempts;
    private Throwable lastFailure;

    GatewayCall(Gateway gateway, CrankRequest request, String key, String tag, String requestId, long started, RelayExchange exchange) {
        this.gateway = gateway;
        this.request = request;
        this.key = key;
        this.tag = tag;
        this.requestId = requestId;
        this.started = started;
        this.exchange = exchange;
        this.target = "/invoke/" + request.pathParam("verb") + "/" + request.pathParam("name");
        this.caller = request.peer().map(PeerIdentity::toString).orElse(null);
    }

    void start() {
        exchange.onClose(() -> {
            UpstreamRelay relay = current;
            if (relay != null) {
                relay.callerLeft();
            }
        });
        attempt();
    }

    /**
     * Takes a slot (asynchronously) and sends the request to the chosen worker. The call's monitor guards
     * its few fields only: it is never held while calling out (admission, the client, the caller's
     * exchange), since completing one call's wait can run another call's continuation on the same thread.
     */
    void attempt() {
        Set<String> excluded;
        synchronized (this) {
            attempts++;
            excluded = tried.isEmpty() ? Set.of() : Set.copyOf(tried);
        }
        gateway.admission.acquireAsync(key, excluded, gateway.settings.queueTimeout())
                .whenComplete((lease, error) -> {
                    if (error != null) {
                        refused(error instanceof CompletionException ? error.getCause() : error);
                    } else {
                        send(lease);
                    }
                });
    }

    private void refused(Throwable error) {
        if (error instanceof CrankException e) {
            boolean triedSome;
            synchronized (this) {
                triedSome = lastFailure != null;
            }
            if (triedSome && e.status() == 404) {
                unavailable(); // every worker was tried
            } else {
                respond(e);
            }
            return;
        }
        log(() -> logger.error("Admission failed for {}", key, error));
        respond(new CrankException(500, "INTERNAL_ERROR", "The server failed to handle the request"));
    }

    /**
     * Hands the call to the worker on the caller's event loop (from the admission thread when the slot came
     * from the wait queue). The dispatch stamp of admission is given back first and taken again just around
     * the write ({@link Admission#handOver}): an event loop never holds it across an asynchronous step.
     */
    private void send(Admission.Lease lease) {
        lease.dispatched();
        EventLoop loop = exchange.eventLoop();
        if (loop.inEventLoop()) {
            sendOnLoop(lease, loop);
        } else {
            loop.execute(() -> sendOnLoop(lease, loop));
        }
    }

    private void sendOnLoop(Admission.Lease lease, EventLoop loop) {
        if (!exchange.isOpen()) {
            lease.close(); // the caller left while waiting for a slot
            exchange.abort();
            return;
        }
        RegisteredWorker worker = lease.worker();
        boolean idempotent = worker.capability(key).map(CapabilitySchema::idempotent).orElse(false);
        UpstreamRelay relay = new UpstreamRelay(this, gateway, exchange, lease, idempotent);
        synchronized (this) {
            if (tried.isEmpty()) {
                tried = Set.of(worker.workerId()); // most calls end on their first worker
            } else {
                Set<String> more = new HashSet<>(tried);
                more.add(worker.workerId());
                tried = more;
            }
            current = relay;
        }
        RequestBody body = exchange.requestBody().orElse(null);
        URI url = worker.workerUrl();
        gateway.upstream.exchange(loop, url.getHost(), url.getPort() == -1 ? 443 : url.getPort(), forward(body),
                gateway.settings.upstreamTimeout(), body, gateway::addBuffered, Gateway.poolLimit(worker), relay::connected,
                () -> gateway.admission.handOver(lease), relay::notSent);
    }

    /**
     * The request to the worker, built straight from the caller's decoded headers: the content type, the
     * forwarded headers and the trace context exactly as sent, the request id and the caller's identity.
     * Nothing else of the caller's crosses (hop-by-hop headers, a forged {@code x-crank-caller}).
     */
    private HttpRequest forward(RequestBody body) {
        HttpRequest message = body == null
                ? new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target, Unpooled.wrappedBuffer(request.body()))
                : new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target);
        HttpHeaders from = exchange.requestHeaders();
        HttpHeaders headers = message.headers();
        String contentType = from.get(HttpHeaderNames.CONTENT_TYPE);
        headers.set(HttpHeaderNames.CONTENT_TYPE, contentType == null ? HttpHeaderValues.APPLICATION_JSON : contentType);
        for (AsciiString name : FORWARDED_REQUEST_HEADERS) {
            String value = from.get(name);
            if (value != null) {
                headers.set(name, value);
            }
        }
        headers.set(REQUEST_ID, requestId);
        if (caller != null) {
            headers.set(CALLER, caller);
        }
        return message;
    }

    /** An attempt failed before any byte was relayed to the caller. */
    void failed(String workerId, Throwable cause, boolean retriable) {
        boolean attemptsLeft;
        synchronized (this) {
            lastFailure = cause;
            attemptsLeft = attempts < gateway.settings.maxAttempts();
        }
        if (!retriable) {
            log(() -> logger.warn("{} on {} failed after the request may have reached it: {}", key, workerId, rootMessage(cause)));
            respond(new CrankException(502, "UPSTREAM_FAILED", "Worker " + workerId + " failed while handling " + key
                    + "; the call is not idempotent and was not repeated"));
            return;
        }
        if (!attemptsLeft) {
            log(() -> logger.warn("{} on {} failed ({}); no attempt left", key, workerId, rootMessage(cause)));
            unavailable();
            return;
        }
        gateway.retried(tag);
        log(() -> logger.warn("{} on {} failed ({}); trying another worker", key, workerId, rootMessage(cause)));
        gateway.admission.runOnAdmissionThread(this::attempt); // not on the upstream event loop (see Admission.wakeLater)
    }

    /** Whether the request can be sent again: its body was aggregated, or the streamed body is still untouched. */
    boolean replayable() {
        return exchange.requestBody().map(body -> !body.touched()).orElse(true);
    }

    synchronized boolean attemptsLeft() {
        return attempts < gateway.settings.maxAttempts();
    }

    /** The worker answered 503 (draining or busy: it did not run the call) and attempts remain: try again. */
    void retryAfterUnavailable() {
        gateway.retried(tag);
        gateway.admission.runOnAdmissionThread(this::attempt);
    }

    String requestId() {
        return requestId;
    }

    void headRelayed(int status) {
        gateway.record(tag, status, started);
    }

    private void unavailable() {
        // The network error stays in the log: it names hosts and addresses the caller has no business seeing.
        respond(new CrankException(502, "UPSTREAM_UNAVAILABLE", "No worker for " + key + " could be reached"));
    }

    private void respond(CrankException e) {
        gateway.record(tag, e.status(), started);
        exchange.respond(e);
    }

    /** Logs with the call's request id, capability and trace parent in the MDC. */
    void log(Runnable line) {
        try (MDC.MDCCloseable id = MDC.putCloseable("request_id", requestId);
             MDC.MDCCloseable capability = MDC.putCloseable("capability", tag);
             MDC.MDCCloseable trace = MDC.putCloseable("traceparent", request.header("traceparent").orElse(""))) {
            line.run();
        }
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
