package dev.crank.core;

import dev.crank.core.internal.Json;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A small real worker for framework tests: {@code echo:text} echoes, {@code wait:gate} blocks until released. */
final class EchoWorker extends WorkerApplication {

    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicInteger waiting = new AtomicInteger();

    EchoWorker(WorkerConfig config) {
        super(config);
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of(
                CapabilitySchema.builder("echo", "text").version("1.0.0")
                        .inputSchema("""
                                {"type":"object","required":["text"],"additionalProperties":false,
                                 "properties":{"text":{"type":"string","maxLength":100},"times":{"type":"integer","minimum":1,"maximum":3}}}
                                """)
                        .build(),
                CapabilitySchema.builder("wait", "gate").version("1.0.0").maxConcurrency(2).build());
    }

    @Override
    protected void configure(Routes routes) {
        routes.capability("echo:text", request -> {
                    String text = request.isJson()
                            ? request.json().get("text").asText().repeat(request.json().path("times").asInt(1))
                            : request.bodyText();
                    return CrankResponse.json(Json.object()
                            .put("text", text)
                            .put("peer", request.peer().map(PeerIdentity::toString).orElse("none")));
                }, "text/plain")
                .capability("wait:gate", request -> {
                    waiting.incrementAndGet();
                    gate.await(10, TimeUnit.SECONDS);
                    return CrankResponse.json(Json.object().put("released", true));
                })
                .get("/items/{id}", request -> CrankResponse.json(Json.object().put("id", request.pathParam("id"))));
    }
}
