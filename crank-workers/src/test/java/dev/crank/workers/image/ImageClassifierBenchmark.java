package dev.crank.workers.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankClient;
import dev.crank.workers.TestPlatform;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput figures, printed, never asserted. Not a test (surefire's default includes skip the
 * name); run it by name:
 * {@code mvn -B -pl crank-workers -am verify -Dtest=ImageClassifierBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ImageClassifierBenchmark {

    private static final Logger logger = LoggerFactory.getLogger(ImageClassifierBenchmark.class);
    private static final String PATH = "/invoke/classify/image_category";

    @TempDir
    Path dir;

    @Test
    void printsThroughputOfBothWorkers() throws Exception {
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            images.add(TestImages.encode(TestImages.picture(640, 480, 555 + i), "png"));
        }
        try (TestPlatform platform = TestPlatform.withoutController(dir)) {
            ImageClassifierWorker cpu = platform.start(new ImageClassifierWorker(
                    ImageClassification.withImageBodyLimit(platform.config(ImageClassifierWorker.WORKER_ID).build())));
            GpuImageClassifierWorker gpu = platform.start(new GpuImageClassifierWorker(
                    ImageClassification.withImageBodyLimit(platform.config(GpuImageClassifierWorker.WORKER_ID).build()),
                    ImageClassifierSettings.defaults().withCpuFallback(true)));
            URI cpuUrl = URI.create("https://localhost:" + cpu.port());
            URI gpuUrl = URI.create("https://localhost:" + gpu.port());
            run(platform, cpuUrl, images, 1, "warm-up");
            run(platform, gpuUrl, images, 1, "warm-up");
            for (int clients : new int[] {1, 8}) {
                run(platform, cpuUrl, images, clients, "image-classifier");
            }
            for (int clients : new int[] {1, 8, 32}) {
                run(platform, gpuUrl, images, clients, "image-classifier-gpu (cpu fallback)");
            }
            JsonNode batching = platform.get(gpuUrl, "/status").json().get("batching");
            logger.info("BENCHMARK gpu worker batching totals: {}", batching);
        }
    }

    private static void run(TestPlatform platform, URI base, List<byte[]> images, int clients, String name) throws Exception {
        int requests = Math.max(48, clients * 4);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long started = System.nanoTime();
        List<Future<Double>> results = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger rejected = new java.util.concurrent.atomic.AtomicInteger();
        for (int r = 0; r < requests; r++) {
            byte[] image = images.get(r % images.size());
            results.add(pool.submit(() -> {
                CrankClient.Response response = platform.post(base, PATH, "image/png", image);
                if (response.status() == 429) {
                    rejected.incrementAndGet();
                    return 0.0;
                }
                if (response.status() != 200) {
                    throw new IllegalStateException(response.bodyText());
                }
                return response.json().get("processing_time_ms").asDouble();
            }));
        }
        double processing = 0;
        for (Future<Double> result : results) {
            try {
                processing += result.get();
            } catch (java.util.concurrent.ExecutionException e) {
                rejected.incrementAndGet();
                logger.warn("BENCHMARK request failed: {}", e.getCause().toString());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        int served = requests - rejected.get();
        logger.info("BENCHMARK {} clients={} requests={} served={} rejected_or_failed={} throughput={} images/s mean processing_time_ms={}",
                name, clients, requests, served, rejected.get(), String.format("%.1f", served / seconds),
                String.format("%.1f", served == 0 ? 0 : processing / served));
    }
}
