package dev.crank.workers.image;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.OperatingSystemMXBean;
import dev.crank.core.ClientResponse;
import dev.crank.testing.CrankPlatform;
import io.netty.util.ResourceLeakDetector;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput figures, printed, never asserted: 1024x768 JPEGs (photo-like: shapes under sensor noise, quality
 * 0.9, about 200 kB each; or the JPEGs in {@code -Dcrank.bench.images=DIR}) posted as raw bodies over mTLS to
 * the CPU worker and to the batching worker on its CPU fallback, and, in the same run, the decode-only rate
 * (the worker's decoding and scaling on as many threads as cores, no model, no network): the practical limit.
 * The load average is printed before and after. Not a test (surefire's default includes skip the name); run it
 * by name:
 * {@code mvn -B -pl crank-workers -am verify -Dtest=ImageClassifierBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}.
 */
class ImageClassifierBenchmark {

    private static final Logger logger = LoggerFactory.getLogger(ImageClassifierBenchmark.class);
    private static final String PATH = "/invoke/classify/image_category";

    @TempDir
    Path dir;

    /** The build runs tests with paranoid leak detection (a stack trace per buffer); the product does not. */
    @BeforeAll
    static void measureWithoutLeakTracking() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }

    @Test
    void printsThroughputOfBothWorkers() throws Exception {
        List<byte[]> images = images();
        logger.info("BENCHMARK {} JPEGs, mean {} kB; load average before: {}", images.size(),
                images.stream().mapToInt(b -> b.length).sum() / images.size() / 1024, loadAverage());
        decodeOnly(images, Runtime.getRuntime().availableProcessors()); // warm-up (JIT)
        decodeOnly(images, 1);
        double decodeRate = decodeOnly(images, Runtime.getRuntime().availableProcessors());
        try (CrankPlatform platform = CrankPlatform.withoutController(dir)) {
            ImageClassifierWorker cpu = platform.start(new ImageClassifierWorker(
                    ImageClassification.withImageBodyLimit(platform.config(ImageClassifierWorker.WORKER_ID).build())));
            GpuImageClassifierWorker gpu = platform.start(new GpuImageClassifierWorker(
                    ImageClassification.withImageBodyLimit(platform.config(GpuImageClassifierWorker.WORKER_ID).build()),
                    ImageClassifierSettings.defaults().withCpuFallback(true)));
            URI cpuUrl = URI.create("https://localhost:" + cpu.port());
            URI gpuUrl = URI.create("https://localhost:" + gpu.port());
            for (int round = 0; round < 2; round++) { // the JIT compiles for a good while: measure at steady state
                run(platform, cpuUrl, images, 8, "warm-up", decodeRate);
                run(platform, gpuUrl, images, 32, "warm-up", decodeRate);
            }
            for (int clients : new int[] {1, 4, 8}) { // the CPU worker's max_concurrency is 8
                run(platform, cpuUrl, images, clients, "image-classifier", decodeRate);
            }
            for (int clients : new int[] {8, 32}) {
                run(platform, gpuUrl, images, clients, "image-classifier-gpu (cpu fallback, batched)", decodeRate);
            }
            JsonNode batching = platform.get(gpuUrl, "/status").json().get("batching");
            logger.info("BENCHMARK gpu worker batching totals: {}", batching);
        }
        decodeOnly(images, Runtime.getRuntime().availableProcessors());
        logger.info("BENCHMARK load average after: {}", loadAverage());
    }

    /**
     * CPU time per image by stage on this thread ({@code ThreadMXBean}), warm: decode (with the EXIF look-up),
     * the 256-px working copy, the analysis, the 64 x 64 input, the forward pass alone and per image in a batch
     * of all the images. PyTorch runs on the calling thread (one intra-op thread, the default).
     */
    @Test
    void printsCpuPerStage() throws Exception {
        List<byte[]> images = images();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ImageDecoder decoder = new ImageDecoder(40_000_000L);
        String[] stages = {"decode", "working copy", "analysis", "64x64 input", "forward alone", "forward batched"};
        int rounds = Integer.getInteger("crank.bench.rounds", 12);
        int warm = rounds / 3;
        try (ImageModel model = ImageModel.loadDefault(Device.cpu())) {
            long[] nanos = new long[stages.length];
            for (int round = 0; round < rounds; round++) {
                long[] spent = new long[stages.length];
                List<float[]> inputs = new ArrayList<>();
                for (byte[] image : images) {
                    long t0 = threads.getCurrentThreadCpuTime();
                    ImageDecoder.Decoded decoded = decoder.decode(image);
                    long t1 = threads.getCurrentThreadCpuTime();
                    Pixels working = Pixels.of(decoded.image(), ImageClassification.WORKING_SIZE);
                    long t2 = threads.getCurrentThreadCpuTime();
                    ImageAnalysis.of(working, decoded.width(), decoded.height(), decoded.format());
                    long t3 = threads.getCurrentThreadCpuTime();
                    float[] input = model.prepare(working);
                    long t4 = threads.getCurrentThreadCpuTime();
                    model.classify(List.of(input));
                    long t5 = threads.getCurrentThreadCpuTime();
                    inputs.add(input);
                    spent[0] += t1 - t0;
                    spent[1] += t2 - t1;
                    spent[2] += t3 - t2;
                    spent[3] += t4 - t3;
                    spent[4] += t5 - t4;
                }
                long t6 = threads.getCurrentThreadCpuTime();
                model.classify(inputs);
                spent[5] = threads.getCurrentThreadCpuTime() - t6;
                if (round >= warm) {
                    for (int s = 0; s < stages.length; s++) {
                        nanos[s] += spent[s];
                    }
                }
            }
            StringBuilder line = new StringBuilder();
            double total = 0;
            for (int s = 0; s < stages.length; s++) {
                double ms = nanos[s] / 1e6 / ((rounds - warm) * images.size());
                line.append(String.format(Locale.ROOT, "%s %.3f ms; ", stages[s], ms));
                total += s == 4 ? 0 : ms;
            }
            logger.info("BENCHMARK cpu per image ({} images x {} warm rounds): {}total with batched forward {} ms; load average {}",
                    images.size(), rounds - warm, line, String.format(Locale.ROOT, "%.3f", total), loadAverage());
        }
    }

    private static List<byte[]> images() throws IOException {
        String dirName = System.getProperty("crank.bench.images", "");
        List<byte[]> images = new ArrayList<>();
        if (!dirName.isEmpty()) {
            try (var files = Files.list(Path.of(dirName))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList()) {
                    images.add(Files.readAllBytes(file));
                }
            }
            return images;
        }
        for (int i = 0; i < 24; i++) {
            BufferedImage picture = TestImages.picture(1024, 768, 555 + i);
            Random random = new Random(i);
            for (int y = 0; y < 768; y++) {
                for (int x = 0; x < 1024; x++) {
                    int p = picture.getRGB(x, y);
                    int n = (int) (random.nextGaussian() * 10);
                    int r = Math.max(0, Math.min(255, (p >> 16 & 0xFF) + n));
                    int g = Math.max(0, Math.min(255, (p >> 8 & 0xFF) + n));
                    int b = Math.max(0, Math.min(255, (p & 0xFF) + n));
                    picture.setRGB(x, y, r << 16 | g << 8 | b);
                }
            }
            images.add(TestImages.encode(picture, "jpeg"));
        }
        return images;
    }

    /** What the worker does to each image before the model (decode subsampled, scale, measure) on {@code threads}. */
    private static double decodeOnly(List<byte[]> images, int threads) throws Exception {
        ImageDecoder decoder = new ImageDecoder(40_000_000L);
        int perThread = Math.max(48, images.size() * 2);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        List<Future<?>> jobs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            jobs.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    ImageDecoder.Decoded decoded = decoder.decode(images.get((offset + i) % images.size()));
                    Pixels working = Pixels.of(decoded.image(), ImageClassification.WORKING_SIZE);
                    ImageAnalysis.of(working, decoded.width(), decoded.height(), decoded.format());
                }
                return null;
            }));
        }
        for (Future<?> job : jobs) {
            job.get();
        }
        pool.shutdown();
        double rate = threads * perThread / ((System.nanoTime() - started) / 1e9);
        logger.info("BENCHMARK decode-only threads={} images={} throughput={} images/s", threads, threads * perThread,
                String.format("%.1f", rate));
        return rate;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void run(CrankPlatform platform, URI base, List<byte[]> images, int clients, String name,
                            double decodeRate) throws Exception {
        int requests = Math.max(Integer.getInteger("crank.bench.requests", 192), clients * 8);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        Map<String, Long> cpuBefore = cpuByThreadGroup();
        long processCpuBefore = processCpuNanos();
        long started = System.nanoTime();
        List<Future<Double>> results = new ArrayList<>();
        AtomicInteger rejected = new AtomicInteger();
        for (int r = 0; r < requests; r++) {
            byte[] image = images.get(r % images.size());
            results.add(pool.submit(() -> {
                ClientResponse response = platform.post(base, PATH, "image/jpeg", image);
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
            } catch (ExecutionException e) {
                rejected.incrementAndGet();
                logger.warn("BENCHMARK request failed: {}", e.getCause().toString());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        int served = requests - rejected.get();
        logger.info("BENCHMARK {} clients={} requests={} served={} rejected_or_failed={} throughput={} images/s "
                        + "({} of decode-only) mean processing_time_ms={}",
                name, clients, requests, served, rejected.get(), String.format("%.1f", served / seconds),
                String.format("%.2f", served / seconds / decodeRate),
                String.format("%.1f", served == 0 ? 0 : processing / served));
        Map<String, Long> cpuAfter = cpuByThreadGroup();
        double processCpu = (processCpuNanos() - processCpuBefore) / 1e6 / Math.max(1, served);
        StringBuilder perImage = new StringBuilder();
        cpuAfter.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .forEach(e -> perImage.append(String.format(Locale.ROOT, "%s %.2f ms; ", e.getKey(),
                        e.getValue() / 1e6 / Math.max(1, served))));
        logger.info("BENCHMARK {} clients={} cpu per image: process {} ms (GC and JIT included); by thread group: {}",
                name, clients, String.format(Locale.ROOT, "%.2f", processCpu), perImage);
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time of every live thread, summed by name without its trailing numbers ("crank-x-handler-4-2" -> "crank-x-handler"). */
    private static Map<String, Long> cpuByThreadGroup() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = threads.getThreadCpuTime(info.getThreadId());
            if (nanos > 0) {
                cpu.merge(info.getThreadName().replaceAll("[-#0-9 ]+$", ""), nanos, Long::sum);
            }
        }
        return cpu;
    }
}
