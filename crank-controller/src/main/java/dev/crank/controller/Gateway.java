package dev.crank.controller;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.TlsMaterial;
// internal: the gateway's upstream pools live on the server's event loops, which is not API
import dev.crank.core.internal.RelayClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code POST /invoke/{verb}/{name}} on the controller: validates the input against the capability's
 * contract on the caller's event loop (a JSON body of at most 16 KiB; a larger one on a handler thread,
 * {@code ControllerApplication.handlesOnEventLoop}), then hands the call to a {@link GatewayCall} that runs on event loops:
 * it takes a slot on a worker ({@link Admission}, waiting without a thread), forwards the request with a
 * request id, the caller's identity and the W3C trace context over a pooled connection, and relays the
 * answer as it arrives, with {@code X-Crank-Worker}, pausing the worker's connection while the caller's
 * is not keeping up.
 *
 * <p>Upstream connections are pooled per caller event loop ({@code RelayClient}): a call runs from the
 * caller's connection to the worker's and back on one thread. The pool of each loop may hold as many
 * connections to a worker as the worker's {@code max_concurrency} over all its capabilities, read from
 * the registry when a connection is opened ({@link #poolLimit}); admission lets no more than that through,
 * so a call admitted is never refused by the pool: beyond admission the caller gets 429 with
 * Retry-After, not 502. Metrics are tagged with registered capabilities only; an unknown one is counted
 * under {@value #UNKNOWN}.
 */
final class Gateway implements AutoCloseable {

    static final String UNKNOWN = "unknown";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration FORGET_PERIOD = Duration.ofSeconds(2);
    private static final Logger logger = LoggerFactory.getLogger(Gateway.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /** Latency buckets of {@code crank_gateway_requests_seconds_bucket}: a fixed set, so series stay bounded. */
    private static final Duration[] BUCKETS = {Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
            Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    final Admission admission;
    final Registry registry;
    final ControllerSettings settings;
    final RelayClient upstream;
    final MeterRegistry meters;
    private final Contracts contracts;
    private final AtomicLong retries = new AtomicLong();
    /** By capability tag, then status - 100: looked up without building a key per call. */
    private final Map<String, AtomicReferenceArray<Timer>> timers = new ConcurrentHashMap<>();
    private final AtomicLong buffered = new AtomicLong();
    private final AtomicLong peakBuffered = new AtomicLong();
    private long lastForget = System.nanoTime(); // the registry sweeper's thread only

    Gateway(Admission admission, Registry registry, Contracts contracts, TlsMaterial tls, ControllerSettings settings, MeterRegistry meters) {
        this.admission = admission;
        this.registry = registry;
        this.contracts = contracts;
        this.settings = settings;
        this.meters = meters;
        this.upstream = new RelayClient(tls, CONNECT_TIMEOUT);
    }

    /** The most connections one event loop's pool may hold to {@code worker}: its whole {@code max_concurrency}. */
    static int poolLimit(RegisteredWorker worker) {
        int limit = 0;
        for (CapabilitySchema capability : worker.capabilities()) {
            limit += capability.maxConcurrency();
        }
        return Math.max(1, limit);
    }

    /**
     * Drops the upstream pools of addresses that no registered worker has any more (a worker left, was
     * evicted or moved), at most every {@link #FORGET_PERIOD}: O(workers) each time, off the data path.
     */
    void forgetDeparted() {
        long now = System.nanoTime();
        if (now - lastForget < FORGET_PERIOD.toNanos()) {
            return;
        }
        lastForget = now;
        Set<String> live = new HashSet<>();
        for (RegisteredWorker worker : registry.workers()) {
            URI url = worker.workerUrl();
            live.add(url.getHost() + ":" + (url.getPort() == -1 ? 443 : url.getPort()));
        }
        int dropped = upstream.retainOnly((host, port) -> live.contains(host + ":" + port));
        if (dropped > 0) {
            logger.debug("Dropped {} upstream pools of workers that left", dropped);
        }
    }

    long retries() {
        return retries.get();
    }

    /** Bytes relayed to callers that have not reached their sockets yet, over every call. */
    long buffered() {
        return buffered.get();
    }

    /** The most {@link #buffered()} has been since start. */
    long peakBuffered() {
        return peakBuffered.get();
    }

    void addBuffered(long delta) {
        long now = buffered.addAndGet(delta);
        if (delta > 0) {
            peakBuffered.accumulateAndGet(now, Math::max);
        }
    }

    void retried(String tag) {
        retries.incrementAndGet();
        meters.counter("crank.gateway.retries", "capability", tag).increment();
    }

    /**
     * Runs on the caller's event loop, or on a handler thread for a JSON body over 16 KiB (its contract check may
     * take a while); never blocks. The relay takes over after.
     */
    CrankResponse invoke(CrankRequest request) {
        String key = request.pathParam("verb") + ":" + request.pathParam("name");
        String tag = registry.providers(key).isPresent() ? key : UNKNOWN;
        String requestId = request.header("x-request-id").filter(id -> REQUEST_ID.matcher(id).matches())
                .orElseGet(Gateway::newRequestId);
        long started = System.nanoTime();
        try (MDC.MDCCloseable id = MDC.putCloseable("request_id", requestId);
             MDC.MDCCloseable capability = MDC.putCloseable("capability", tag)) {
            if (request.isJson()) {
                // Every provider accepts the same input (Contracts): validate once, before taking any slot.
                contracts.validate(key, request.json());
            }
        } catch (CrankException e) {
            record(tag, e.status(), started);
            throw e;
        }
        return CrankResponse.relayed(exchange -> new GatewayCall(this, request, key, tag, requestId, started, exchange).start());
    }

    /**
     * A random version-4 UUID from the thread's own generator: request ids must be unique, not
     * unguessable, and {@code UUID.randomUUID()} serialises every handler thread on one SecureRandom.
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0x3L << 62)) | (0x2L << 62);
        return new UUID(high, low).toString();
    }

    /** Time to the response head by capability and status; a stream's body is not included. */
    void record(String tag, int status, long startedNanos) {
        long elapsed = System.nanoTime() - startedNanos;
        AtomicReferenceArray<Timer> byStatus = timers.get(tag);
        if (byStatus == null) {
            byStatus = timers.computeIfAbsent(tag, k -> new AtomicReferenceArray<>(500));
        }
        int slot = status - 100; // statuses are 100-599 (CrankResponse, the upstream relay and CrankException check)
        Timer timer = byStatus.get(slot);
        if (timer == null) {
            // Registered once per series (the registry hands back the same timer for the same id).
            timer = Timer.builder("crank.gateway.requests")
                    .description("Calls through the controller by capability and status (time to the response head)")
                    .tag("capability", tag)
                    .tag("status", Integer.toString(status))
                    .serviceLevelObjectives(BUCKETS)
                    .register(meters);
            byStatus.set(slot, timer);
        }
        timer.record(elapsed, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        upstream.close();
        logger.debug("Gateway upstream connections closed");
    }
}
