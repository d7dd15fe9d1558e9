package dev.crank.controller;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankClient;
import dev.crank.core.CrankException;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.PeerIdentity;
import dev.crank.core.ResponseStream;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /invoke/{verb}/{name}} on the controller: validates the input against the capability's
 * contract, takes a slot on a worker ({@link Admission}), forwards the request with a request id and
 * the caller's identity, and streams the answer back as it arrives, with {@code X-Crank-Worker}.
 *
 * <p>A call that failed before any byte reached a worker is retried on another one; a call that may
 * have reached a worker is retried only when the capability is {@code idempotent}.
 */
final class Gateway {

    private static final Logger logger = LoggerFactory.getLogger(Gateway.class);
    private static final List<String> FORWARDED_RESPONSE_HEADERS = List.of("retry-after", "content-disposition", "cache-control");

    private final Admission admission;
    private final Contracts contracts;
    private final CrankClient client;
    private final ControllerSettings settings;
    private final AtomicLong retries = new AtomicLong();

    private final MeterRegistry meters;

    Gateway(Admission admission, Contracts contracts, CrankClient client, ControllerSettings settings, MeterRegistry meters) {
        this.meters = meters;
        this.admission = admission;
        this.contracts = contracts;
        this.client = client;
        this.settings = settings;
    }

    long retries() {
        return retries.get();
    }

    CrankResponse invoke(CrankRequest request) throws InterruptedException {
        String key = request.pathParam("verb") + ":" + request.pathParam("name");
        long started = System.nanoTime();
        int status = 500;
        try {
            CrankResponse response = route(request, key);
            status = response.status();
            return response;
        } catch (CrankException e) {
            status = e.status();
            throw e;
        } finally {
            // Time to the response head; a stream's body is not included.
            Timer.builder("crank.gateway.requests")
                    .description("Calls through the controller by capability and status (time to the response head)")
                    .tag("capability", key)
                    .tag("status", Integer.toString(status))
                    .register(meters)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private CrankResponse route(CrankRequest request, String key) throws InterruptedException {
        String requestId = request.header("x-request-id").filter(id -> id.matches("[A-Za-z0-9._-]{1,128}"))
                .orElseGet(() -> UUID.randomUUID().toString());
        if (request.isJson()) {
            // Every provider accepts the same input (Contracts): validate once, before taking any slot.
            contracts.validate(key, request.json());
        }
        Set<String> tried = new HashSet<>();
        Throwable lastFailure = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            Admission.Lease lease;
            try {
                lease = admission.acquire(key, tried, settings.queueTimeout());
            } catch (CrankException e) {
                if (lastFailure != null && e.status() == 404) {
                    break; // every worker was tried
                }
                throw e;
            }
            RegisteredWorker worker = lease.worker();
            tried.add(worker.workerId());
            CapabilitySchema capability = worker.capability(key).orElseThrow();
            CrankClient.StreamedResponse response;
            try {
                response = client.stream(forward(request, worker, key, requestId), lease::dispatched)
                        .get(settings.upstreamTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                lease.close();
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                boolean notSent = cause instanceof CrankClient.NotSentException;
                lastFailure = cause;
                if (notSent || capability.idempotent()) {
                    retries.incrementAndGet();
                    meters.counter("crank.gateway.retries", "capability", key).increment();
                    logger.warn("{} on {} failed ({}{}); trying another worker", key, worker.workerId(),
                            notSent ? "not sent: " : "idempotent: ", rootMessage(cause));
                    continue;
                }
                logger.warn("{} on {} failed after the request may have reached it: {}", key, worker.workerId(), rootMessage(cause));
                throw new CrankException(502, "UPSTREAM_FAILED", "Worker " + worker.workerId() + " failed while handling " + key
                        + "; the call is not idempotent and was not repeated");
            } catch (InterruptedException | RuntimeException e) {
                lease.close();
                throw e;
            }
            if (response.status() == 503 && attempt < settings.maxAttempts()) {
                response.body().close(); // draining or busy: it did not run the call
                lease.close();
                retries.incrementAndGet();
                continue;
            }
            return relay(response, worker, requestId, lease);
        }
        // The network error stays in the log: it names hosts and addresses the caller has no business seeing.
        throw new CrankException(502, "UPSTREAM_UNAVAILABLE", "No worker for " + key + " could be reached");
    }

    private CrankClient.Request forward(CrankRequest request, RegisteredWorker worker, String key, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", request.header("content-type").orElse("application/json"));
        request.header("accept").ifPresent(accept -> headers.put("accept", accept));
        request.header("last-event-id").ifPresent(id -> headers.put("last-event-id", id));
        headers.put("x-request-id", requestId);
        request.peer().map(PeerIdentity::toString).ifPresent(caller -> headers.put(CrankRequest.CALLER_HEADER, caller));
        URI target = worker.workerUrl().resolve("/invoke/" + key.replace(':', '/'));
        return new CrankClient.Request("POST", target, headers, request.body(), settings.upstreamTimeout());
    }

    private CrankResponse relay(CrankClient.StreamedResponse response, RegisteredWorker worker, String requestId, Admission.Lease lease) {
        String contentType = response.header("content-type").orElse("application/octet-stream");
        CrankClient.BodyReader body = response.body();
        CrankResponse relayed = CrankResponse.stream(response.status(), contentType, out -> pump(body, out))
                .withHeader("x-crank-worker", worker.workerId())
                .withHeader("x-request-id", requestId);
        for (String name : FORWARDED_RESPONSE_HEADERS) {
            Optional<String> value = response.header(name);
            if (value.isPresent()) {
                relayed = relayed.withHeader(name, value.get());
            }
        }
        return relayed.whenStreamDone(() -> {
            body.close();
            lease.close();
        });
    }

    private void pump(CrankClient.BodyReader body, ResponseStream out) throws IOException, InterruptedException {
        while (true) {
            Optional<byte[]> chunk = body.read(settings.upstreamTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (chunk.isEmpty()) {
                return;
            }
            try {
                out.write(chunk.get());
            } catch (ResponseStream.ClosedException e) {
                body.close(); // the caller left: stop the worker's stream too
                throw e;
            }
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
