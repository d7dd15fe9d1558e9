package dev.crank.workers.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageClassifierSettingsTest {

    @Test
    void defaultsWithAnEmptyEnvironment() {
        ImageClassifierSettings settings = ImageClassifierSettings.fromEnvironment(Map.of());

        assertThat(settings.modelDir()).isEmpty();
        assertThat(settings.cpuFallback()).isFalse();
        assertThat(settings.batchMax()).isEqualTo(32);
        assertThat(settings.batchWait()).isEqualTo(Duration.ofMillis(5));
        assertThat(settings.maxPixels()).isEqualTo(40_000_000L);
        assertThat(settings.maxImageBytes()).isEqualTo(20 * 1024 * 1024);
    }

    @Test
    void readsTheVariables() {
        ImageClassifierSettings settings = ImageClassifierSettings.fromEnvironment(Map.of(
                "CRANK_IMAGE_MODEL_DIR", "/opt/models/resnet",
                "CRANK_GPU_FALLBACK", "cpu",
                "CRANK_GPU_BATCH_MAX", "8",
                "CRANK_GPU_BATCH_WAIT", "2s"));

        assertThat(settings.modelDir()).contains(Path.of("/opt/models/resnet"));
        assertThat(settings.cpuFallback()).isTrue();
        assertThat(settings.batchMax()).isEqualTo(8);
        assertThat(settings.batchWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(ImageClassifierSettings.fromEnvironment(Map.of("CRANK_GPU_BATCH_WAIT", "12")).batchWait())
                .isEqualTo(Duration.ofMillis(12));
    }

    @Test
    void refusesMalformedValuesNamingTheVariable() {
        assertThatThrownBy(() -> ImageClassifierSettings.fromEnvironment(Map.of("CRANK_GPU_FALLBACK", "gpu")))
                .hasMessageContaining("CRANK_GPU_FALLBACK: 'gpu'");
        assertThatThrownBy(() -> ImageClassifierSettings.fromEnvironment(Map.of("CRANK_GPU_BATCH_MAX", "lots")))
                .hasMessageContaining("CRANK_GPU_BATCH_MAX: 'lots'");
        assertThatThrownBy(() -> ImageClassifierSettings.fromEnvironment(Map.of("CRANK_GPU_BATCH_MAX", "0")))
                .hasMessageContaining("CRANK_GPU_BATCH_MAX: 0");
        assertThatThrownBy(() -> ImageClassifierSettings.fromEnvironment(Map.of("CRANK_GPU_BATCH_WAIT", "soon")))
                .hasMessageContaining("CRANK_GPU_BATCH_WAIT: 'soon'");
        assertThatThrownBy(() -> ImageClassifierSettings.fromEnvironment(Map.of("CRANK_GPU_BATCH_WAIT", "1m")))
                .hasMessageContaining("expected: 0ms-10s");
    }

    @Test
    void offlineGuardRefusesAnEnvironmentThatWantsTheNetwork() {
        assertThatThrownBy(() -> OfflineDjl.requireOfflineEnvironment(Map.of("DJL_OFFLINE", "false")))
                .hasMessageContaining("DJL_OFFLINE=false is refused");
        assertThatThrownBy(() -> OfflineDjl.requireOfflineEnvironment(Map.of("OPT_OUT_TRACKING", "no")))
                .hasMessageContaining("OPT_OUT_TRACKING=no is refused");
        OfflineDjl.requireOfflineEnvironment(Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "TRUE"));
        OfflineDjl.configure();
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");
    }
}
