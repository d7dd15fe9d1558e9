package dev.crank.runtime;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankResponse;
import dev.crank.core.Routes;
import dev.crank.core.ServerSentEvent;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the client commands must print: {@code stream:ticks} (server-sent events that wait on a
 * gate between the first and the second event), {@code echo:text} (text/plain in and out) and
 * {@code render:bytes} (a binary answer).
 */
final class CliTestWorker extends WorkerApplication {

    static final String WORKER_ID = "cli-test";

    /** Open by default; a test closes it to hold the stream after the first event. */
    volatile CountDownLatch gate = new CountDownLatch(0);

    CliTestWorker(WorkerConfig config) {
        super(config);
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of(
                CapabilitySchema.builder("stream", "ticks").version("1.0.0").build(),
                CapabilitySchema.builder("echo", "text").version("1.0.0").build(),
                CapabilitySchema.builder("render", "bytes").version("1.0.0").build());
    }

    @Override
    protected void configure(Routes routes) {
        routes.capability("stream:ticks", request -> CrankResponse.stream(ServerSentEvent.MEDIA_TYPE, out -> {
            out.comment("a comment the client ignores");
            out.send(ServerSentEvent.json("tick", Map.of("n", 1)).withId(1));
            if (!gate.await(15, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
            out.send(ServerSentEvent.json("tick", Map.of("n", 2)).withId(2));
            out.send(ServerSentEvent.of(ServerSentEvent.DEFAULT_EVENT, "done\nbye"));
        }));
        routes.capability("echo:text", request -> CrankResponse.text(200, "text/plain; charset=utf-8",
                "echo: " + request.bodyText()), "text/plain");
        routes.capability("render:bytes", request -> {
            byte[] bytes = new byte[256];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) i;
            }
            return CrankResponse.of(200, "application/octet-stream", bytes);
        });
    }
}
