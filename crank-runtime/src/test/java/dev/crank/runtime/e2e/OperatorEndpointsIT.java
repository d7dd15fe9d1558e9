package dev.crank.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What an operator reaches with the admin certificate on the shaded jar's processes: the console, the
 * probes, the metrics, the {@code health} command's exit codes, and the {@code admin.p12} of the first start.
 */
class OperatorEndpointsIT {

    @Test
    void consoleProbesMetricsAndHealthCommandOnRealProcesses() throws Exception {
        Path dir = Files.createTempDirectory("crank-operator");
        try (PlatformProcesses platform = new PlatformProcesses(dir)) {
            PlatformProcesses.Node controller = platform.startController();
            platform.awaitHealthy(controller);
            PlatformProcesses.Node hello = platform.startWorker("hello-world");
            platform.awaitRegistered("crank-hello-world");

            ClientResponse ui = platform.get(controller.url().resolve("/ui"));
            assertThat(ui.status()).isEqualTo(200);
            assertThat(ui.header("content-type")).contains("text/html; charset=utf-8");
            assertThat(ui.header("content-security-policy").orElseThrow()).contains("default-src 'none'");
            assertThat(ui.bodyText()).contains("<title>Crank console</title>");
            assertThat(platform.get(controller.url().resolve("/ui/console.js")).status()).isEqualTo(200);

            for (PlatformProcesses.Node node : List.of(controller, hello)) {
                assertThat(platform.get(node.url().resolve("/health/live")).json().get("status").asText()).isEqualTo("live");
                ClientResponse ready = platform.get(node.url().resolve("/health/ready"));
                assertThat(ready.status()).isEqualTo(200);
                assertThat(ready.json().get("checks").get(0).get("name").asText()).isEqualTo("lifecycle");
            }

            assertThat(platform.postJson(controller.url().resolve("/invoke/greet/hello_world"), "{\"message\":\"ops\"}").status())
                    .isEqualTo(200);
            String workerMetrics = platform.get(hello.url().resolve("/metrics")).bodyText();
            assertThat(workerMetrics).contains("jvm_memory_used_bytes{")
                    .containsPattern("crank_capability_requests_seconds_bucket\\{capability=\"greet:hello_world\",status=\"200\","
                            + "worker_id=\"crank-hello-world\",le=");
            assertThat(platform.get(controller.url().resolve("/metrics")).bodyText())
                    .containsPattern("crank_gateway_requests_seconds_bucket\\{[^}]*worker_id=\"crank-controller\"");

            assertThat(health(dir, hello.url() + "/health/ready")).isEqualTo(0);
            assertThat(health(dir, controller.url().toString())).isEqualTo(0);
            assertThat(platform.terminate(hello, Duration.ofSeconds(30))).isEqualTo(0);
            assertThat(health(dir, hello.url() + "/health/live")).as("nobody answers any more").isEqualTo(1);

            Matcher password = Pattern.compile("password \\(shown only now\\): (\\S+)")
                    .matcher(Files.readString(controller.log, StandardCharsets.UTF_8));
            assertThat(password.find()).as("the first start prints the admin.p12 password").isTrue();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve("data/pki/admin.p12"))) {
                store.load(in, password.group(1).toCharArray());
            }
            assertThat(store.size()).isEqualTo(1);
        }
    }

    /** Runs {@code crank-runtime.jar health URL} with the platform's dev PKI and returns its exit code. */
    private static int health(Path dir, String url) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", Path.of("target", "crank-runtime.jar").toAbsolutePath().toString(),
                "health", url, "--timeout", "5s");
        builder.environment().keySet().removeIf(key -> key.startsWith("CRANK_") || key.startsWith("CONTROLLER_"));
        builder.environment().put("CRANK_DATA_DIR", dir.resolve("data").toString());
        builder.redirectErrorStream(true).redirectOutput(dir.resolve("health-" + System.nanoTime() + ".log").toFile());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("crank health ends").isTrue();
        return process.exitValue();
    }
}
