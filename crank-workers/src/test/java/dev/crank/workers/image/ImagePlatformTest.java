package dev.crank.workers.image;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.testing.CrankPlatform;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both image workers behind one controller: one capability, two workers, calls routed to both. */
class ImagePlatformTest {

    @TempDir
    Path dir;

    @Test
    void bothImageWorkersServeOneCapabilityThroughTheController() {
        try (CrankPlatform platform = CrankPlatform.start(dir)) {
            ImageClassifierWorker cpu = platform.start(new ImageClassifierWorker(
                    ImageClassification.withImageBodyLimit(platform.config(ImageClassifierWorker.WORKER_ID).build())));
            GpuImageClassifierWorker gpu = platform.start(new GpuImageClassifierWorker(
                    ImageClassification.withImageBodyLimit(platform.config(GpuImageClassifierWorker.WORKER_ID).build()),
                    ImageClassifierSettings.defaults().withCpuFallback(true)));
            platform.awaitRegistered(cpu);
            platform.awaitRegistered(gpu);

            JsonNode capability = platform.get(platform.controllerUrl(), "/capabilities").json().get(ImageClassification.CAPABILITY);
            assertThat(capability).isNotNull();
            assertThat(capability.get("workers").asInt()).isEqualTo(2);
            assertThat(capability.get("healthy_workers").asInt()).isEqualTo(2);

            String body = TestImages.json(TestImages.encode(TestImages.picture(320, 240, 99), "png"), 2);
            Set<String> routedTo = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                JsonNode route = platform.route("classify", "image_category").json();
                routedTo.add(route.get("worker_id").asText());
                ClientResponse answer = platform.postJson(URI.create(route.get("worker_url").asText()),
                        "/invoke/classify/image_category", body);
                assertThat(answer.status()).as("%s", answer.bodyText()).isEqualTo(200);
                assertThat(answer.json().get("predictions")).hasSize(2);
            }
            assertThat(routedTo).containsExactlyInAnyOrder(ImageClassifierWorker.WORKER_ID, GpuImageClassifierWorker.WORKER_ID);
        }
    }
}
