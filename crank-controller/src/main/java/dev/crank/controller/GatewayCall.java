package dev.crank.controller;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.ClientRequest;
import dev.crank.core.CrankException;
import dev.crank.core.CrankRequest;
import dev.crank.core.PeerIdentity;
// internal: the gateway hands its relay to the server's dispatch, which is not API
import dev.crank.core.internal.RelayExchange;
import io.netty.channel.EventLoop;
import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** W3C Trace Context and Baggage: forwarded to the worker exactly as the caller sent them. */
    static final List<String> TRACE_HEADERS = List.of("traceparent", "tracestate", "baggage");
    private static final List<String> FORWARDED_REQUEST_HEADERS = List.of("accept", "last-event-id");

    private final Gateway gateway;
    private final CrankRequest request;
    private final String key;
    private final String tag;
    private final String requestId;
    private final long started;
    private final RelayExchange exchange;
    private final Set<String> tried = new HashSet<>();
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
            excluded = Set.copyOf(tried);
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
            tried.add(worker.workerId());
            current = relay;
        }
        gateway.upstream.exchange(loop, forward(worker), exchange.requestBody().orElse(null), gateway::addBuffered,
                Gateway.poolLimit(worker), relay::connected, () -> gateway.admission.handOver(lease), relay::notSent);
    }

    private ClientRequest forward(RegisteredWorker worker) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", request.header("content-type").orElse("application/json"));
        for (String name : FORWARDED_REQUEST_HEADERS) {
            request.header(name).ifPresent(value -> headers.put(name, value));
        }
        for (String name : TRACE_HEADERS) {
            request.header(name).ifPresent(value -> headers.put(name, value));
        }
        headers.put("x-request-id", requestId);
        request.peer().map(PeerIdentity::toString).ifPresent(caller -> headers.put(CrankRequest.CALLER_HEADER, caller));
        URI target = worker.workerUrl().resolve("/invoke/" + key.replace(':', '/'));
        return new ClientRequest("POST", target, headers, request.body(), gateway.settings.upstreamTimeout());
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
