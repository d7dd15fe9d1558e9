package dev.crank.workers.gateway;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankJson;
import dev.crank.core.CrankResponse;
import dev.crank.core.PeerIdentity;
import dev.crank.core.Routes;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker that lets gateway tests see what reached it: {@code probe:hold} (bounded, counts its own
 * in-flight maximum, waits {@code hold_ms}), {@code probe:ticks} (an SSE stream paced by the test),
 * {@code probe:blob} (deterministic binary) and {@code probe:once} (not idempotent).
 */
final class ProbeWorker extends WorkerApplication {

    static final byte[] BLOB = new byte[3 * 1024 * 1024 + 17];

    static {
        new Random(7).nextBytes(BLOB);
    }

    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger receivedAfterMark = new AtomicInteger();
    final AtomicBoolean mark = new AtomicBoolean();
    final AtomicInteger ticksProduced = new AtomicInteger();
    final Semaphore tickPermits = new Semaphore(0);
    volatile String lastCaller = "";
    private final int holdConcurrency;

    ProbeWorker(WorkerConfig config, int holdConcurrency) {
        super(config);
        this.holdConcurrency = holdConcurrency;
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of(
                CapabilitySchema.builder("probe", "hold").version("1.0.0").maxConcurrency(holdConcurrency).idempotent(true)
                        .inputSchema("{\"type\":\"object\",\"required\":[\"hold_ms\"],\"properties\":{\"hold_ms\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":5000}}}")
                        .build(),
                CapabilitySchema.builder("probe", "ticks").version("1.0.0").inputSchema("{\"type\":\"object\"}").build(),
                CapabilitySchema.builder("probe", "blob").version("1.0.0").idempotent(true).build(),
                CapabilitySchema.builder("probe", "once").version("1.0.0").build());
    }

    @Override
    protected void configure(Routes routes) {
        routes.capability("probe:hold", request -> {
            received.incrementAndGet();
            if (mark.get()) {
                receivedAfterMark.incrementAndGet();
            }
            lastCaller = request.caller().map(PeerIdentity::toString).orElse("");
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(request.json().get("hold_ms").asLong());
            } finally {
                inFlight.decrementAndGet();
            }
            return CrankResponse.json(CrankJson.object().put("worker", workerId()));
        }).capability("probe:ticks", request -> CrankResponse.stream("text/event-stream", out -> {
            for (int i = 1; i <= 3; i++) {
                if (!tickPermits.tryAcquire(10, TimeUnit.SECONDS)) {
                    return;
                }
                ticksProduced.incrementAndGet();
                out.write("id: " + i + "\nevent: tick\ndata: {\"n\":" + i + "}\n\n");
            }
        })).capability("probe:blob", request -> CrankResponse.of(200, "application/octet-stream", BLOB))
                .capability("probe:once", request -> {
                    received.incrementAndGet();
                    Thread.sleep(10_000);
                    return CrankResponse.json(CrankJson.object());
                });
    }
}
