package dev.crank.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.Handler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One capability as served: checks the media type, validates JSON input against the input schema,
 * bounds concurrency to {@code max_concurrency} (429 with {@code Retry-After} beyond it), then
 * calls the worker's handler. A streamed response holds its permit until the stream ends.
 */
public final class CapabilityEndpoint implements Handler {

    private final CapabilitySchema schema;
    private final Handler handler;
    private final Set<String> rawMediaTypes;
    private final SchemaValidator validator;
    private final Semaphore permits;
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong rejections = new AtomicLong();
    private final MeterRegistry meters;
    private final Timer latency;
    private final Counter rejected;

    public CapabilityEndpoint(CapabilitySchema schema, Handler handler, Set<String> rawMediaTypes, MeterRegistry meters) {
        this.schema = schema;
        this.handler = handler;
        this.rawMediaTypes = rawMediaTypes;
        this.validator = SchemaValidator.compile(schema.inputSchema());
        this.permits = new Semaphore(schema.maxConcurrency());
        this.meters = meters;
        this.latency = Timer.builder("crank.capability.latency")
                .description("Time handlers take, all outcomes")
                .tag("capability", schema.key())
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(meters);
        this.rejected = Counter.builder("crank.capability.rejected")
                .description("Calls refused with 429 because max_concurrency was reached")
                .tag("capability", schema.key())
                .register(meters);
        Gauge.builder("crank.capability.in.flight", this, CapabilityEndpoint::inFlight)
                .tag("capability", schema.key())
                .register(meters);
    }

    @Override
    public CrankResponse handle(CrankRequest request) throws Exception {
        long started = System.nanoTime();
        int status = 500;
        try {
            CrankResponse response = admitted(request);
            status = response.status();
            return response;
        } catch (CrankException e) {
            status = e.status();
            throw e;
        } finally {
            long elapsed = System.nanoTime() - started;
            if (status != 429) {
                latency.record(elapsed, TimeUnit.NANOSECONDS);
            }
            Timer.builder("crank.capability.requests")
                    .description("Invocations by capability and status")
                    .tag("capability", schema.key())
                    .tag("status", Integer.toString(status))
                    .publishPercentileHistogram() // buckets add up across instances; client-side percentiles do not
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofMinutes(2))
                    .register(meters)
                    .record(elapsed, TimeUnit.NANOSECONDS);
        }
    }

    private CrankResponse admitted(CrankRequest request) throws Exception {
        if (request.isJson()) {
            JsonNode input = request.json();
            List<String> violations = validator.validate(input);
            if (!violations.isEmpty()) {
                throw CrankException.invalid("INVALID_INPUT",
                        "The input does not match the input schema of " + schema.key(), violations);
            }
        } else if (!rawMediaTypes.contains(request.contentType())) {
            throw new CrankException(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type " + request.contentType()
                    + " is not accepted by " + schema.key() + " (expected: application/json"
                    + (rawMediaTypes.isEmpty() ? "" : " or one of " + rawMediaTypes) + ")");
        }
        if (!permits.tryAcquire()) {
            rejections.incrementAndGet();
            rejected.increment();
            throw CrankException.tooManyRequests(schema.key() + " is at its max_concurrency of "
                    + schema.maxConcurrency(), Duration.ofSeconds(1));
        }
        invocations.incrementAndGet();
        boolean handedOver = false;
        try {
            CrankResponse response = handler.handle(request).whenStreamDone(permits::release);
            handedOver = true;
            return response;
        } finally {
            if (!handedOver) {
                permits.release();
            }
        }
    }

    public CapabilitySchema schema() {
        return schema;
    }

    public int inFlight() {
        return schema.maxConcurrency() - permits.availablePermits();
    }

    public long invocations() {
        return invocations.get();
    }

    public long rejections() {
        return rejections.get();
    }

    /** Calls refused with 429 since start. */
    public long rejected() {
        return (long) rejected.count();
    }

    /** Median and 99th percentile handler latency in milliseconds over the recent window. */
    public double[] latencyMillis() {
        double p50 = 0;
        double p99 = 0;
        for (var value : latency.takeSnapshot().percentileValues()) {
            if (value.percentile() == 0.5) {
                p50 = value.value(TimeUnit.MILLISECONDS);
            } else if (value.percentile() == 0.99) {
                p99 = value.value(TimeUnit.MILLISECONDS);
            }
        }
        return new double[] {p50, p99};
    }
}
