package dev.crank.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankClient;
import dev.crank.core.CrankResponse;
import dev.crank.core.DevPki;
import dev.crank.core.HealthCheck;
import dev.crank.core.Routes;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code health URL} exit codes against a real worker's probes, and {@code admin.p12} from {@code pki init}. */
class OperatorCommandsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** A worker whose readiness the test switches through the {@code checkReadiness} hook. */
    static final class ProbedWorker extends WorkerApplication {
        final AtomicBoolean modelLoaded = new AtomicBoolean(true);

        ProbedWorker(WorkerConfig config) {
            super(config);
        }

        @Override
        protected List<CapabilitySchema> capabilities() {
            return List.of(CapabilitySchema.builder("echo", "text").version("1.0.0").build());
        }

        @Override
        protected void configure(Routes routes) {
            routes.capability("echo:text", request -> CrankResponse.json(request.json()));
        }

        @Override
        protected void checkReadiness(List<HealthCheck> checks) {
            checks.add(HealthCheck.of("model", modelLoaded.get(), modelLoaded.get() ? "loaded" : "not loaded yet"));
        }
    }

    private int run(String... args) {
        return Main.commandLine(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    void healthExitsZeroWhenReadyAndOneWhenACheckFailsOrNobodyAnswers() {
        DevPki pki = DevPki.open(dir.resolve("pki"));
        pki.adminMaterial("admin");
        ProbedWorker worker = new ProbedWorker(WorkerConfig.builder("probed", pki.workerMaterial("probed"))
                .bindHost("127.0.0.1").dataDir(dir).build());
        worker.start();
        String base = "https://localhost:" + worker.port();
        try (CrankClient admin = CrankClient.builder(pki.adminMaterial("admin")).build()) {
            assertThat(run("health", base, "--data-dir", dir.toString())).as(err.toString()).isEqualTo(0);
            assertThat(out.toString()).contains("healthy: 200 ready");

            JsonNode ready = admin.get(URI.create(base + "/health/ready"), Duration.ofSeconds(10)).join().json();
            assertThat(ready.get("checks")).extracting(check -> check.get("name").asText()).containsExactly("lifecycle", "model");

            worker.modelLoaded.set(false);
            ClientResponse notReady = admin.get(URI.create(base + "/health/ready"), Duration.ofSeconds(10)).join();
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.json().get("status").asText()).isEqualTo("not_ready");
            assertThat(run("health", base + "/health/ready", "--data-dir", dir.toString())).isEqualTo(1);
            assertThat(err.toString()).contains("unhealthy: 503 not_ready; model: not loaded yet");
            assertThat(run("health", base + "/health/live", "--data-dir", dir.toString())).as("alive while not ready").isEqualTo(0);
        } finally {
            worker.close();
        }
        assertThat(run("health", base, "--data-dir", dir.toString(), "--timeout", "2s")).as("nobody listens any more").isEqualTo(1);
        assertThat(run("health", "http" + "://localhost:1/health", "--data-dir", dir.toString())).as("plain HTTP refused").isEqualTo(2);
    }

    @Test
    void pkiInitWritesAdminP12WithTheGivenPassword() throws Exception {
        Path pki = dir.resolve("given");
        assertThat(run("pki", "init", "--dir", pki.toString(), "--p12-password", "s3cret-pass")).as(err.toString()).isEqualTo(0);
        KeyStore store = load(pki.resolve("admin.p12"), "s3cret-pass");
        String alias = store.aliases().nextElement();
        assertThat(store.isKeyEntry(alias)).isTrue();
        assertThat(store.getCertificateChain(alias)).hasSize(2);
        assertThat(out.toString()).contains("admin.p12").doesNotContain("s3cret-pass");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("admin.p12")))).isEqualTo("rw-------");
    }

    @Test
    void pkiInitPrintsAGeneratedPasswordOnceAndKeepsTheFileAfterwards() throws Exception {
        Path pki = dir.resolve("generated");
        assertThat(run("pki", "init", "--dir", pki.toString())).isEqualTo(0);
        Matcher password = Pattern.compile("password \\(shown only now\\): (\\S+)").matcher(out.toString());
        assertThat(password.find()).as(out.toString()).isTrue();
        byte[] first = Files.readAllBytes(pki.resolve("admin.p12"));
        assertThat(load(pki.resolve("admin.p12"), password.group(1)).size()).isEqualTo(1);

        out.getBuffer().setLength(0);
        assertThat(run("pki", "init", "--dir", pki.toString())).isEqualTo(0);
        assertThat(out.toString()).doesNotContain("shown only now").contains("admin.p12 exists");
        assertThat(Files.readAllBytes(pki.resolve("admin.p12"))).isEqualTo(first);
    }

    private static KeyStore load(Path file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}
