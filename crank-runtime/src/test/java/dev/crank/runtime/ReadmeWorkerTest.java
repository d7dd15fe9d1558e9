package dev.crank.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;

import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import dev.crank.testing.CrankWorkerExtension;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The third-party worker on the README compiles exactly as printed, and answers as it says. */
class ReadmeWorkerTest {

    private static final String MARKER = "<!-- readme-worker:";

    @Test
    void theReadmeWorkerCompilesAndAnswers(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("GreeterWorker.java");
        Files.writeString(source, javaBlockAfterMarker(readme()), StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", dir.toString(), "-Xlint:all", "-Werror"),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(source)).call();
        assertThat(compiled).as("javac says: %s", diagnostics).isTrue();

        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
             CrankWorkerExtension<WorkerApplication> crank = CrankWorkerExtension.of(config -> create(loader, config))
                     .workerId("greeter").start()) {
            ClientResponse greeting = crank.invoke("greet:hello", "{\"name\":\"Ada\"}");
            ClientResponse nameless = crank.invoke("greet:hello", "{\"nom\":\"Ada\"}");
            ClientResponse capabilities = crank.get("/capabilities");

            assertThat(greeting.status()).isEqualTo(200);
            assertThat(greeting.json().path("greeting").asText()).isEqualTo("Hello, Ada");
            assertThat(nameless.status()).isEqualTo(400);
            assertThat(nameless.json().path("code").asText()).isEqualTo("INVALID_INPUT");
            assertThat(capabilities.bodyText()).as("the generated schema is published").contains("\"maxLength\":100");
        }
    }

    private static WorkerApplication create(ClassLoader loader, WorkerConfig config) {
        try {
            return (WorkerApplication) loader.loadClass("GreeterWorker").getConstructor(WorkerConfig.class).newInstance(config);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot create the README's GreeterWorker", e);
        }
    }

    /** The first {@code ```java} block after the marker line. */
    static String javaBlockAfterMarker(List<String> lines) {
        int at = 0;
        while (at < lines.size() && !lines.get(at).startsWith(MARKER)) {
            at++;
        }
        while (at < lines.size() && !lines.get(at).equals("```java")) {
            at++;
        }
        StringBuilder block = new StringBuilder();
        for (at++; at < lines.size() && !lines.get(at).equals("```"); at++) {
            block.append(lines.get(at)).append('\n');
        }
        if (block.isEmpty()) {
            throw new AssertionError("README.md has no ```java block after '" + MARKER + "'");
        }
        return block.toString();
    }

    private static List<String> readme() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("README.md");
            if (Files.exists(candidate) && Files.exists(dir.resolve("crank-core"))) {
                return Files.readAllLines(candidate, StandardCharsets.UTF_8);
            }
            dir = dir.getParent();
        }
        throw new AssertionError("README.md not found above " + Path.of("").toAbsolutePath());
    }
}
