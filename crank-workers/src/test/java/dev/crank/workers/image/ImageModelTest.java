package dev.crank.workers.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.testing.CrankPlatform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model directories as an operator brings them through {@code CRANK_IMAGE_MODEL_DIR}. */
class ImageModelTest {

    @TempDir
    Path dir;

    @Test
    void theWorkerServesTheModelInTheDirectoryItIsPointedTo() throws IOException {
        Path model = copyDefaultModel(dir.resolve("operator-model"));
        rewrite(model.resolve(ModelSpec.PROPERTIES), "name=crank-image-category", "name=operator-model");
        rewrite(model.resolve(ModelSpec.PROPERTIES), "version=3.3.2", "version=2.3.4");
        rewrite(model.resolve(ModelSpec.SYNSET), "blank", "empty");

        try (CrankPlatform platform = CrankPlatform.withoutController(dir)) {
            ImageClassifierWorker worker = platform.start(new ImageClassifierWorker(
                    platform.config(ImageClassifierWorker.WORKER_ID).build(), ImageClassifierSettings.defaults().withModelDir(model)));
            JsonNode answer = platform.invoke(worker, "classify", "image_category",
                    TestImages.json(TestImages.encode(TestImages.filled(300, 300, java.awt.Color.WHITE), "png"), 6)).json();

            assertThat(answer.get("model").get("name").asText()).isEqualTo("operator-model");
            assertThat(answer.get("model").get("version").asText()).isEqualTo("2.3.4");
            assertThat(answer.get("predictions").get(0).get("label").asText()).isEqualTo("empty");
        }
    }

    @Test
    void refusesADirectoryWhoseLabelsDoNotMatchTheOutputs() throws IOException {
        Path model = copyDefaultModel(dir.resolve("wrong-labels"));
        Files.write(model.resolve(ModelSpec.SYNSET), List.of("a", "b", "c"), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ImageModel.load(model, Device.cpu()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("synset.txt");
    }

    @Test
    void refusesADirectoryWithoutLabelsOrWeights() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> ImageModel.load(empty, Device.cpu())).hasMessageContaining("no synset.txt");

        Files.write(empty.resolve(ModelSpec.SYNSET), List.of("cat", "dog"), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ImageModel.load(empty, Device.cpu()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot load the model");
    }

    @Test
    void readsTorchScriptDefaultsForAnOperatorsImageModel() {
        java.util.Properties properties = new java.util.Properties();
        ModelSpec spec = ModelSpec.parse(properties, List.of("cat", "dog"), "resnet");

        assertThat(spec.format()).isEqualTo(ModelSpec.Format.TORCHSCRIPT);
        assertThat(spec.channels()).isEqualTo(3);
        assertThat(spec.temperature()).isEqualTo(1f);
        assertThat(spec.imageWidth()).isEqualTo(224);
        assertThat(spec.imageHeight()).isEqualTo(224);
        assertThat(spec.imageMean()).containsExactly(0.485f, 0.456f, 0.406f);
        assertThat(spec.logits()).isTrue();
        assertThat(spec.name()).isEqualTo("resnet");
        assertThat(spec.convStride()).as("conv.stride").isEqualTo(1);

        properties.setProperty("image.size", "299x299");
        properties.setProperty("output", "probabilities");
        ModelSpec inception = ModelSpec.parse(properties, List.of("cat", "dog"), "inception");
        assertThat(inception.imageWidth()).isEqualTo(299);
        assertThat(inception.logits()).isFalse();

        properties.setProperty("conv.stride", "2");
        assertThat(ModelSpec.parse(properties, List.of("cat", "dog"), "x").convStride()).isEqualTo(2);
        properties.setProperty("conv.stride", "3");
        assertThatThrownBy(() -> ModelSpec.parse(properties, List.of("cat", "dog"), "x")).hasMessageContaining("conv.stride");
        properties.remove("conv.stride");

        properties.setProperty("image.size", "big");
        assertThatThrownBy(() -> ModelSpec.parse(properties, List.of("cat", "dog"), "x")).hasMessageContaining("image.size");
    }

    @Test
    void theDefaultModelLoadsOfflineAndPreparesItsPlanes() throws IOException {
        try (ImageModel model = ImageModel.loadDefault(Device.cpu())) {
            ModelSpec spec = model.spec();
            assertThat(spec.format()).isEqualTo(ModelSpec.Format.DJL);
            assertThat(spec.aspectChannel()).isTrue();
            assertThat(spec.members()).as("an ensemble of networks trained apart").isGreaterThan(1);
            assertThat(spec.temperature()).as("fitted on the calibration part, never sharpening the members' mean")
                    .isGreaterThanOrEqualTo(1f);
            Pixels white = Pixels.of(TestImages.filled(200, 100, java.awt.Color.WHITE), ImageClassification.WORKING_SIZE);
            float[] input = model.prepare(white);
            int plane = spec.imageWidth() * spec.imageHeight();
            assertThat(input).hasSize(4 * plane);
            assertThat(input[0]).isCloseTo((1 - spec.imageMean()[0]) / spec.imageStd()[0], org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(input[3 * plane]).as("ln(200/100)").isCloseTo((float) Math.log(2), org.assertj.core.data.Offset.offset(1e-5f));
            List<List<ImageModel.Prediction>> batch = model.classify(List.of(input, input));
            assertThat(batch).hasSize(2);
            assertThat(batch.get(0).stream().mapToDouble(ImageModel.Prediction::confidence).sum()).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-4));
            assertThat(batch.get(0)).isEqualTo(batch.get(1));
        }
    }

    @Test
    void theTemperatureSoftensConfidences() throws IOException {
        Path hot = copyDefaultModel(dir.resolve("hot"));
        String properties = Files.readString(hot.resolve(ModelSpec.PROPERTIES), StandardCharsets.UTF_8);
        Files.writeString(hot.resolve(ModelSpec.PROPERTIES), properties.replaceAll("(?m)^temperature=.*$", "temperature=1"),
                StandardCharsets.UTF_8);
        Path cool = copyDefaultModel(dir.resolve("cool"));
        Files.writeString(cool.resolve(ModelSpec.PROPERTIES), properties.replaceAll("(?m)^temperature=.*$", "temperature=4"),
                StandardCharsets.UTF_8);
        try (ImageModel t1 = ImageModel.load(hot, Device.cpu()); ImageModel t4 = ImageModel.load(cool, Device.cpu())) {
            float[] input = t1.prepare(Pixels.of(TestImages.picture(300, 200, 11), ImageClassification.WORKING_SIZE));
            ImageModel.Prediction sharp = t1.classify(List.of(input)).get(0).get(0);
            ImageModel.Prediction soft = t4.classify(List.of(input)).get(0).get(0);
            assertThat(soft.label()).isEqualTo(sharp.label());
            assertThat(soft.confidence()).isLessThan(sharp.confidence());
        }
    }

    private static Path copyDefaultModel(Path target) throws IOException {
        Files.createDirectories(target);
        for (String file : List.of(ModelSpec.PROPERTIES, ModelSpec.SYNSET, ModelSpec.PREFIX + "-0000.params")) {
            try (InputStream in = ImageModel.class.getResourceAsStream(ImageModel.DEFAULT_RESOURCE + file)) {
                assertThat(in).as(file).isNotNull();
                Files.copy(in, target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }

    private static void rewrite(Path file, String from, String to) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
    }
}
