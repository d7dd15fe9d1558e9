package dev.crank.workers.image.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.crank.workers.image.ImageModel;
import dev.crank.workers.image.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CombineImageModelsTest {

    @TempDir
    Path dir;

    @Test
    void theCombinedModelAnswersTheMeanOfItsMembersEachAtItsOwnTemperature() throws Exception {
        Path a = member("a", List.of(4, 8), 0.7f);
        Path b = member("b", List.of(4, 8), 2.5f);

        ModelSpec spec = CombineImageModels.combine(List.of(a, b), dir.resolve("both"), "9.9.9");

        assertThat(spec.members()).isEqualTo(2);
        assertThat(spec.version()).isEqualTo("9.9.9");
        Random random = new Random(3);
        try (ImageModel first = ImageModel.load(a, Device.cpu());
                ImageModel second = ImageModel.load(b, Device.cpu());
                ImageModel both = ImageModel.load(dir.resolve("both"), Device.cpu())) {
            assertThat(both.spec().members()).isEqualTo(2);
            for (int n = 0; n < 5; n++) {
                float[] input = new float[spec.channels() * spec.imageWidth() * spec.imageHeight()];
                for (int i = 0; i < input.length; i++) {
                    input[i] = (float) random.nextGaussian() * 3;
                }
                double[] expected = new double[spec.labels().size()];
                for (ImageModel model : List.of(first, second)) {
                    for (ImageModel.Prediction p : model.classify(List.of(input)).get(0)) {
                        expected[spec.labels().indexOf(p.label())] += p.confidence() / 2;
                    }
                }
                List<ImageModel.Prediction> answer = both.classify(List.of(input)).get(0);
                for (ImageModel.Prediction p : answer) {
                    assertThat(p.confidence()).as("input %d, %s", n, p.label())
                            .isCloseTo(expected[spec.labels().indexOf(p.label())], Offset.offset(1e-5));
                }
            }
        }
    }

    @Test
    void refusesMembersOfDifferentNetworks() throws Exception {
        Path a = member("a", List.of(4, 8), 1f);
        Path b = member("b", List.of(4, 16), 1f);

        assertThatThrownBy(() -> CombineImageModels.combine(List.of(a, b), dir.resolve("both"), null))
                .hasMessageContaining("not one network of the same kind");
        assertThatThrownBy(() -> CombineImageModels.combine(List.of(a), dir.resolve("one"), null))
                .hasMessageContaining("expected 2-");
    }

    /** A network of random weights (as initialised) on a 32 x 32 input, first convolution of stride 2. */
    private Path member(String name, List<Integer> conv, float temperature) throws Exception {
        ModelSpec spec = new ModelSpec("test", "1.0.0", ModelSpec.Format.DJL, TrainImageModel.LABELS, conv, 2, 1, List.of(8),
                32, 32, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}, true, true, temperature);
        Path out = dir.resolve(name);
        try (Model model = Model.newInstance("test", Device.cpu(), "PyTorch")) {
            model.setBlock(ImageModel.network(spec));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, spec.channels(), 32, 32));
            // Batch-norm statistics and scales as training leaves them, not the identity of a fresh network.
            Random random = new Random(name.hashCode());
            for (var parameter : model.getBlock().getParameters()) {
                if (parameter.getKey().contains("BatchNorm")) {
                    var array = parameter.getValue().getArray();
                    float[] values = new float[(int) array.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = parameter.getKey().endsWith("runningVar") ? 0.2f + 3 * random.nextFloat()
                                : (float) random.nextGaussian();
                    }
                    array.set(values);
                }
            }
            model.setProperty("Epoch", "0");
            model.save(out, ModelSpec.PREFIX);
        }
        spec.write(out, "a test member");
        return out;
    }
}
