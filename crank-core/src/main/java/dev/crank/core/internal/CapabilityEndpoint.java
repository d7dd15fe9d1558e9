package dev.crank.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.Handler;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
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

    public CapabilityEndpoint(CapabilitySchema schema, Handler handler, Set<String> rawMediaTypes) {
        this.schema = schema;
        this.handler = handler;
        this.rawMediaTypes = rawMediaTypes;
        this.validator = SchemaValidator.compile(schema.inputSchema());
        this.permits = new Semaphore(schema.maxConcurrency());
    }

    @Override
    public CrankResponse handle(CrankRequest request) throws Exception {
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
}
