package dev.crank.bench;

import dev.crank.controller.ControllerApplication;
import dev.crank.core.BodyReader;
import dev.crank.core.StreamedResponse;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankClient;
import dev.crank.core.CrankJson;
import dev.crank.core.CrankResponse;
import dev.crank.core.CrankServer;
import dev.crank.core.DevPki;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory of the gateway under many slow streams: {@code --streams} (100) callers each fetch a
 * {@code --size} (3 MiB) body through the controller and read it slowly ({@code --chunk} 16 KiB, then
 * {@code --pause} 20 ms). Reports the controller's relay buffer (bytes written to callers that have not
 * reached their sockets, peak over the run) and the JVM heap in use, sampled every 100 ms and after a
 * full GC in the middle of the run, against the same before the streams. The worker, the callers and
 * the controller share this JVM, so the heap figures bound all three together.
 */
final class StreamBench {

    private StreamBench() {}

    static void run(Args args) throws Exception {
        int streams = args.integer("streams", 100);
        int size = args.integer("size", 3 * 1024 * 1024);
        int chunk = args.integer("chunk", 16 * 1024);
        Duration pause = args.duration("pause", Duration.ofMillis(20));
        Harness.header("streams", String.format("streams=%d size=%d chunk=%d pause=%s", streams, size, chunk, pause));
        Path dir = Harness.scratch("streams");
        DevPki pki = Harness.pki(dir);
        ControllerApplication controller = Harness.controller(pki, dir);
        byte[] piece = new byte[16 * 1024];
        CrankServer worker = CrankServer.builder(pki.workerMaterial("crank-bench-stream"), request ->
                CrankResponse.stream("application/octet-stream", out -> {
                    for (int sent = 0; sent < size; sent += piece.length) {
                        out.write(sent + piece.length <= size ? piece : java.util.Arrays.copyOf(piece, size - sent));
                    }
                })).name("crank-bench-stream").bindHost("127.0.0.1").build().start();
        ExecutorService readers = Executors.newFixedThreadPool(streams);
        try (CrankClient client = CrankClient.builder(pki.adminMaterial("admin")).maxConnectionsPerHost(streams + 16)
                .connectTimeout(Duration.ofSeconds(30)).build()) {
            register(client, controller, worker.port());
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            long baseline = memory.getHeapMemoryUsage().getUsed();
            AtomicLong maxHeap = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            List<CompletableFuture<Long>> calls = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < streams; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> readSlowly(client, controller, chunk, pause, bytes), readers));
            }
            long midGc = -1;
            while (!calls.stream().allMatch(CompletableFuture::isDone)) {
                maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                if (midGc < 0 && bytes.get() >= (long) streams * size / 2) {
                    System.gc();
                    midGc = memory.getHeapMemoryUsage().getUsed();
                }
                Thread.sleep(100);
            }
            long total = calls.stream().mapToLong(CompletableFuture::join).sum();
            double seconds = (System.nanoTime() - started) / 1e9;
            long peakRelay = CrankJson.parse(client.get(Harness.local(controller.port()).resolve("/status"), Duration.ofSeconds(10)).join().bodyText())
                    .get("gateway_relay_buffered_bytes_peak").asLong();
            Harness.result("streams relayed", "%d streams x %d bytes = %d bytes in %.1f s", streams, size, total, seconds);
            Harness.result("streams relay buffer peak", "%d KiB over all %d streams (%.1f KiB per stream)", peakRelay / 1024, streams,
                    peakRelay / 1024.0 / streams);
            Harness.result("streams heap", "before %d MiB, after a full GC mid-run %d MiB (%+d MiB), max sampled %d MiB",
                    baseline >> 20, midGc >> 20, (midGc - baseline) >> 20, maxHeap.get() >> 20);
        } finally {
            readers.shutdownNow();
            worker.close();
            controller.close();
            Harness.deleteQuietly(dir);
        }
    }

    private static long readSlowly(CrankClient client, ControllerApplication controller, int chunk, Duration pause, AtomicLong bytes) {
        URI target = Harness.local(controller.port()).resolve("/invoke/stream/blob");
        try {
            StreamedResponse response = client.stream(new ClientRequest("POST", target,
                    Map.of("content-type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60))).get(60, TimeUnit.SECONDS);
            if (response.status() != 200) {
                throw new IllegalStateException("status " + response.status());
            }
            long read = 0;
            try (BodyReader body = response.body()) {
                Optional<byte[]> next;
                while ((next = body.read(Duration.ofSeconds(60))).isPresent()) {
                    read += next.get().length;
                    bytes.addAndGet(next.get().length);
                    if (read % chunk < next.get().length) {
                        Thread.sleep(pause.toMillis());
                    }
                }
            }
            return read;
        } catch (Exception e) {
            throw new IllegalStateException("stream failed: " + e, e);
        }
    }

    private static void register(CrankClient client, ControllerApplication controller, int port) {
        String capability = CapabilitySchema.builder("stream", "blob").version("1.0.0").maxConcurrency(1000)
                .inputSchema("{\"type\":\"object\"}").build().toJson().toString();
        ClientResponse registered = client.send(new ClientRequest("POST", Harness.local(controller.port()).resolve("/register"),
                Map.of("content-type", "application/json"), ("{\"worker_id\":\"crank-bench-stream\",\"worker_url\":\"https://localhost:" + port
                + "\",\"capabilities\":[" + capability + "]}").getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10))).join();
        if (registered.status() != 200) {
            throw new IllegalStateException("registration refused: " + registered.bodyText());
        }
    }
}
