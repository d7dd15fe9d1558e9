package dev.crank.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar carries the workers, not the code that trains or evaluates their models: no class compiled
 * from crank-training's sources is in {@code crank-runtime.jar} (crank-training depends on crank-workers, never
 * the other way round, and crank-runtime does not depend on it).
 */
class RuntimeJarContentsIT {

    private static final Path JAR = Path.of("target", "crank-runtime.jar").toAbsolutePath();
    private static final Path TRAINING_SOURCES = Path.of("..", "crank-training", "src", "main", "java").toAbsolutePath().normalize();

    @Test
    void theRuntimeJarHoldsNoTrainingClasses() throws IOException {
        List<String> trainingClasses = classesOf(TRAINING_SOURCES);
        assertThat(trainingClasses).as("classes compiled from %s", TRAINING_SOURCES)
                .contains("dev/crank/workers/image/training/TrainImageModel.class",
                        "dev/crank/workers/emailclassifier/SpamModelTrainer.class");

        Set<String> entries;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            entries = jar.stream().map(ZipEntry::getName).collect(Collectors.toSet());
        }
        // The workers whose models crank-training makes are in the jar, with their models.
        assertThat(entries).contains("dev/crank/workers/image/ImageModel.class",
                "dev/crank/workers/emailclassifier/SpamModel.class",
                "dev/crank/workers/image/model/model.properties");
        assertThat(trainingClasses).noneMatch(entries::contains);
        assertThat(entries).noneMatch(name -> name.startsWith("dev/crank/workers/image/training/")
                || name.startsWith("dev/crank/workers/tools/"));
    }

    /** {@code a/b/C.class} for every {@code a/b/C.java} under {@code root}. */
    private static List<String> classesOf(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .map(file -> root.relativize(file).toString().replace('\\', '/'))
                    .filter(name -> !name.endsWith("package-info.java"))
                    .map(name -> name.substring(0, name.length() - ".java".length()) + ".class")
                    .toList();
        }
    }
}
