package dev.crank.workers.image;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.HealthState;
import dev.crank.testing.CrankPlatform;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class GpuImageClassifierWorkerTest {

    private static final Logger logger = LoggerFactory.getLogger(GpuImageClassifierWorkerTest.class);

    @TempDir
    Path dir;

    @Test
    void refusesToStartWithoutAGpuUnlessToldToFallBack() {
        OfflineDjl.configure();
        Assumptions.assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a GPU");
        try (CrankPlatform platform = CrankPlatform.withoutController(dir)) {
            GpuImageClassifierWorker worker = new GpuImageClassifierWorker(
                    platform.config(GpuImageClassifierWorker.WORKER_ID).build(), ImageClassifierSettings.defaults());

            assertThatThrownBy(worker::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no CUDA GPU")
                    .hasMessageContaining("CRANK_GPU_FALLBACK=cpu");
            assertThat(worker.health()).isEqualTo(HealthState.STOPPED);
        }
    }

    @Test
    void batchesConcurrentRequestsOnTheCpuFallback() {
        try (CrankPlatform platform = CrankPlatform.withoutController(dir)) {
            // A wait long enough that the concurrent requests below meet in the queue even on a busy machine.
            ImageClassifierSettings settings = ImageClassifierSettings.defaults()
                    .withCpuFallback(true)
                    .withBatching(32, Duration.ofMillis(250));
            GpuImageClassifierWorker worker = platform.start(new GpuImageClassifierWorker(
                    platform.config(GpuImageClassifierWorker.WORKER_ID).build(), settings));
            URI base = URI.create("https://localhost:" + worker.port());
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                bodies.add(TestImages.json(TestImages.encode(TestImages.picture(320, 240, 4242 + i), "png"), 1));
            }

            ExecutorService clients = Executors.newFixedThreadPool(bodies.size());
            List<CompletableFuture<ClientResponse>> calls = bodies.stream()
                    .map(body -> CompletableFuture.supplyAsync(() -> platform.postJson(base, "/invoke/classify/image_category", body), clients))
                    .toList();
            clients.shutdown();
            List<JsonNode> batched = new ArrayList<>();
            for (CompletableFuture<ClientResponse> call : calls) {
                ClientResponse response = call.join();
                assertThat(response.status()).as("%s", response.bodyText()).isEqualTo(200);
                assertThat(response.json().get("model").get("device").asText()).isEqualTo("cpu");
                batched.add(response.json().get("predictions").get(0));
            }

            JsonNode batching = platform.get(base, "/status").json().get("batching");
            logger.info("batching after 16 concurrent requests: {}", batching);
            assertThat(batching.get("images").asLong()).isEqualTo(16);
            assertThat(batching.get("max_batch_size").asLong()).isGreaterThan(1);
            assertThat(batching.get("batches").asLong()).isLessThan(16);
            assertThat(worker.batcher().largestBatch()).isGreaterThan(1);
            // A request alone in its batch gets the answer it got inside a batch.
            for (int i = 0; i < bodies.size(); i++) {
                JsonNode alone = platform.postJson(base, "/invoke/classify/image_category", bodies.get(i)).json()
                        .get("predictions").get(0);
                assertThat(alone.get("label").asText()).isEqualTo(batched.get(i).get("label").asText());
                assertThat(alone.get("confidence").asDouble()).isCloseTo(batched.get(i).get("confidence").asDouble(),
                        org.assertj.core.api.Assertions.within(1e-4));
            }
        }
    }

    @Test
    void reportsTheDeviceInStatusAndRegistration() {
        try (CrankPlatform platform = CrankPlatform.start(dir)) {
            GpuImageClassifierWorker worker = platform.start(new GpuImageClassifierWorker(
                    platform.config(GpuImageClassifierWorker.WORKER_ID).build(),
                    ImageClassifierSettings.defaults().withCpuFallback(true)));
            platform.awaitRegistered(worker);
            URI base = URI.create("https://localhost:" + worker.port());

            JsonNode status = platform.get(base, "/status").json();
            assertThat(status.get("device").asText()).isEqualTo("cpu");
            assertThat(status.get("batching").get("max_batch").asInt()).isEqualTo(ImageClassifierSettings.DEFAULT_BATCH_MAX);
            assertThat(status.get("batching").get("max_wait_ms").asDouble()).isEqualTo(5.0);
            assertThat(platform.controller().registry().worker(worker.workerId()).orElseThrow().metadata().get("device").asText())
                    .isEqualTo("cpu");
            JsonNode capability = platform.get(base, "/capabilities").json().get(0);
            assertThat(capability.get("requires_gpu").asBoolean()).isTrue();
        }
    }
}
