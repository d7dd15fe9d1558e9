package dev.crank.workers.image;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankJson;
import dev.crank.core.JsonSchemaValidator;
import dev.crank.testing.CrankPlatform;
import dev.crank.workers.image.training.SyntheticImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageClassifierWorkerTest {

    private static final Logger logger = LoggerFactory.getLogger(ImageClassifierWorkerTest.class);
    /** Not the training seed (42) nor the evaluation seed of the training command. */
    private static final long SAMPLE_SEED = 31_337L;
    private static final int SAMPLES_PER_LABEL = 4;

    private CrankPlatform platform;
    private ImageClassifierWorker worker;

    @BeforeAll
    void start(@TempDir Path dir) {
        platform = CrankPlatform.withoutController(dir);
        worker = platform.start(new ImageClassifierWorker(
                ImageClassification.withImageBodyLimit(platform.config(ImageClassifierWorker.WORKER_ID).build())));
    }

    @AfterAll
    void stop() {
        platform.close();
    }

    @Test
    void classifiesFreshlyGeneratedSamplesOfEveryLabel() {
        Map<String, Integer> correct = new LinkedHashMap<>();
        int total = 0;
        int right = 0;
        for (String label : SyntheticImages.LABELS) {
            for (int i = 0; i < SAMPLES_PER_LABEL; i++) {
                BufferedImage image = SyntheticImages.generate(label, SAMPLE_SEED, i);
                String format = label.equals("photo") ? "jpeg" : "png";
                JsonNode answer = classify(TestImages.json(TestImages.encode(image, format), 3));
                String predicted = answer.get("predictions").get(0).get("label").asText();
                logger.info("{} #{} -> {} {}", label, i, predicted, answer.get("predictions").get(0).get("confidence").asDouble());
                total++;
                if (predicted.equals(label)) {
                    right++;
                    correct.merge(label, 1, Integer::sum);
                }
            }
        }
        logger.info("generated samples: {}/{} correct, per label {}", right, total, correct);
        // Models 2.0.x learn from real renders (tools/build-image-set.sh); the synthetic paintings are only
        // augmentation now, so they are a sanity check, not the measure: that is the held-out real set, whose
        // figures docs/workers/image-classifier.md gives. Model 1 (trained on paintings only) cleared 9/10 here.
        assertThat(right).as("correct of %d fresh samples", total).isGreaterThanOrEqualTo(total * 3 / 4);
        for (String label : SyntheticImages.LABELS) {
            assertThat(correct.getOrDefault(label, 0)).as("correct %s samples of %d", label, SAMPLES_PER_LABEL)
                    .isGreaterThanOrEqualTo(SAMPLES_PER_LABEL / 2); // model 2.0.0: screenshots 2 of 4 painted ones (2.0.1 passes too)
        }
    }

    @Test
    void answersWithPredictionsAnalysisAndModelThatMatchTheOutputSchema() {
        BufferedImage image = SyntheticImages.generate("chart", SAMPLE_SEED, 100);
        JsonNode answer = classify(TestImages.json(TestImages.encode(image, "png"), 4));

        JsonSchemaValidator output = JsonSchemaValidator.of(CrankJson.parse(ImageClassification.OUTPUT_SCHEMA));
        assertThat(output.validate(answer)).isEmpty();
        assertThat(answer.get("predictions")).hasSize(4);
        double[] confidences = new double[4];
        for (int i = 0; i < 4; i++) {
            confidences[i] = answer.get("predictions").get(i).get("confidence").asDouble();
        }
        assertThat(confidences).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        JsonNode analysis = answer.get("analysis");
        assertThat(analysis.get("width").asInt()).isEqualTo(image.getWidth());
        assertThat(analysis.get("height").asInt()).isEqualTo(image.getHeight());
        assertThat(analysis.get("format").asText()).isEqualTo("png");
        assertThat(analysis.get("dominant_colors")).isNotEmpty();
        assertThat(answer.get("model").get("name").asText()).isEqualTo("crank-image-category");
        assertThat(answer.get("model").get("device").asText()).isEqualTo("cpu");
    }

    @Test
    void measuresAWhitePageAsBrightFlatAndBlank() {
        JsonNode answer = classify(TestImages.json(TestImages.encode(TestImages.filled(640, 480, Color.WHITE), "png")));

        JsonNode analysis = answer.get("analysis");
        assertThat(analysis.get("brightness").asDouble()).isEqualTo(1.0);
        assertThat(analysis.get("contrast").asDouble()).isZero();
        assertThat(analysis.get("scene").asText()).isEqualTo("bright");
        assertThat(analysis.get("edge_density").asDouble()).isZero();
        assertThat(analysis.get("dominant_colors").get(0).get("hex").asText()).isEqualTo("#ffffff");
        assertThat(analysis.get("dominant_colors").get(0).get("share").asDouble()).isEqualTo(1.0);
        assertThat(answer.get("predictions").get(0).get("label").asText()).isEqualTo("blank");
        assertThat(answer.get("predictions")).hasSize(3);
    }

    @Test
    void measuresHalfBlackHalfWhiteAsMixedWithAnEdge() {
        BufferedImage image = TestImages.filled(200, 100, Color.BLACK);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(100, 0, 100, 100);
        g.dispose();
        JsonNode analysis = classify(TestImages.json(TestImages.encode(image, "bmp"))).get("analysis");

        assertThat(analysis.get("format").asText()).isEqualTo("bmp");
        assertThat(analysis.get("scene").asText()).isEqualTo("mixed");
        assertThat(analysis.get("brightness").asDouble()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
        assertThat(analysis.get("contrast").asDouble()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
        assertThat(analysis.get("edge_density").asDouble()).isBetween(0.001, 0.05);
        assertThat(analysis.get("dominant_colors")).hasSize(2);
    }

    @Test
    void measuresADarkPhotoAsDark() {
        JsonNode analysis = classify(TestImages.json(TestImages.encode(TestImages.filled(300, 200, new Color(20, 24, 30)), "jpeg")))
                .get("analysis");

        assertThat(analysis.get("scene").asText()).isEqualTo("dark");
        assertThat(analysis.get("format").asText()).isEqualTo("jpeg");
    }

    @Test
    void readsRawImageBodiesWithTopKFromTheQuery() {
        byte[] jpeg = TestImages.encode(SyntheticImages.generate("photo", SAMPLE_SEED, 200), "jpeg");
        ClientResponse response = platform.post(base(), "/invoke/classify/image_category?top_k=6", "image/jpeg", jpeg);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("predictions")).hasSize(6);
        assertThat(response.json().get("analysis").get("format").asText()).isEqualTo("jpeg");
    }

    @Test
    void acceptsADataUrlAndGif() {
        byte[] gif = TestImages.encode(SyntheticImages.generate("diagram", SAMPLE_SEED, 300), "gif");
        String body = "{\"image_base64\":\"data:image/gif;base64," + java.util.Base64.getEncoder().encodeToString(gif) + "\",\"top_k\":1}";
        JsonNode answer = classify(body);

        assertThat(answer.get("predictions")).hasSize(1);
        assertThat(answer.get("analysis").get("format").asText()).isEqualTo("gif");
    }

    @Test
    void statusAndRegistrationSayCpu() {
        JsonNode status = platform.get(base(), "/status").json();

        assertThat(status.get("device").asText()).isEqualTo("cpu");
        assertThat(status.get("model").get("labels").asText()).isEqualTo(String.join(",", SyntheticImages.LABELS));
        assertThat(status.get("images_classified").asLong()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void declaresTheCapabilityWithRawImageTypes() {
        JsonNode capabilities = platform.get(base(), "/capabilities").json();

        assertThat(capabilities).hasSize(1);
        assertThat(capabilities.get(0).get("verb").asText()).isEqualTo("classify");
        assertThat(capabilities.get(0).get("name").asText()).isEqualTo("image_category");
        assertThat(capabilities.get(0).get("requires_gpu").asBoolean()).isFalse();
    }

    private JsonNode classify(String json) {
        ClientResponse response = platform.postJson(base(), "/invoke/classify/image_category", json);
        assertThat(response.status()).as("%s", response.bodyText()).isEqualTo(200);
        return response.json();
    }

    private URI base() {
        return URI.create("https://localhost:" + worker.port());
    }
}
