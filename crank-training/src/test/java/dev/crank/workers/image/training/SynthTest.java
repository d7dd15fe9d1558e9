package dev.crank.workers.image.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SynthTest {

    /**
     * The painters pick fonts by index from this list, so its order is part of what a seed means. Taken from
     * {@code Set.of}, it changed from one JVM to the next, and so did the synthetic paintings and every trained
     * model (two runs of one command differed from the first epoch on).
     */
    @Test
    void fontFamiliesComeInTheSameOrderInEveryJvm() {
        List<String> families = Synth.FAMILIES;
        assertThat(families.subList(0, 3)).containsExactly("Serif", "SansSerif", "Dialog");
        assertThat(families.subList(3, families.size())).isSorted().doesNotHaveDuplicates();
    }
}
