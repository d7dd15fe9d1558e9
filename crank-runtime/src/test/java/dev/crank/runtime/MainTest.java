package dev.crank.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return Main.commandLine(env, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        assertThat(run(Map.of(), "--help")).isZero();

        assertThat(out.toString()).contains("--role", "--worker", "--all", "--port", "--controller-url", "--data-dir",
                "--heartbeat-interval", "default 30s", "CRANK_REGISTRATION_TIMEOUT", "default 5s", "default 10s",
                "CONTROLLER_HEARTBEAT_TIMEOUT", "default 90s", "hello-world", "pki", "--registry", "--etcd-endpoints", "--etcd-prefix",
                "comma-separated list");
    }

    @Test
    void unknownWorkerGetsAClearErrorListingTheValidOnes() {
        assertThat(run(Map.of(), "--worker", "nope", "--data-dir", dir.toString())).isEqualTo(2);

        assertThat(err.toString()).contains("unknown worker 'nope'", "hello-world");
    }

    @Test
    void plainHttpControllerUrlIsRefusedBeforeAnythingStarts() {
        int status = run(Map.of("CONTROLLER_URL", "http" + "://localhost:9000"), "--worker", "hello-world", "--data-dir", dir.toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("CONTROLLER_URL", "is refused", "https://");
        assertThat(Files.exists(dir.resolve("pki"))).as("nothing was created").isFalse();
    }

    @Test
    void aDamagedRegistryDatabaseStopsTheControllerWithAClearErrorAndIsLeftUntouched() throws Exception {
        Path database = dir.resolve("controller").resolve("registry.db");
        Files.createDirectories(database.getParent());
        byte[] garbage = "not an SQLite database".repeat(200).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Files.write(database, garbage);

        int status = run(Map.of("CRANK_HTTPS_PORT", "0", "CRANK_BIND_HOST", "127.0.0.1"), "--role", "controller", "--data-dir", dir.toString());

        assertThat(status).isNotZero();
        assertThat(err.toString()).contains(database.toString(), "left untouched");
        assertThat(Files.readAllBytes(database)).isEqualTo(garbage);
    }

    @Test
    void aPolicyFileThatIsNotOneStopsTheControllerBeforeItListens() throws Exception {
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, "{\"rules\": {}}");

        int status = run(Map.of("CRANK_HTTPS_PORT", "0"), "--role", "controller", "--data-dir", dir.toString(), "--policy", policy.toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("capability policy", policy.toString());
    }

    @Test
    void registryOptionsGetClearErrorsBeforeTheControllerStarts() {
        assertThat(run(Map.of(), "--role", "controller", "--registry", "zookeeper", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("CRANK_REGISTRY", "'zookeeper'", "sqlite or etcd");

        assertThat(run(Map.of(), "--role", "controller", "--registry", "etcd", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("needs CRANK_ETCD_ENDPOINTS");

        assertThat(run(Map.of("CRANK_REGISTRY", "etcd", "CRANK_ETCD_ENDPOINTS", "https://127.0.0.1:2379,http" + "://127.0.0.1:2381"),
                "--role", "controller", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("CRANK_ETCD_ENDPOINTS", "is refused", "https://");

        assertThat(run(Map.of("CRANK_ETCD_CERT", "/x.crt"), "--role", "controller", "--registry", "etcd",
                "--etcd-endpoints", "https://127.0.0.1:2379", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("CRANK_ETCD_KEY and CRANK_ETCD_CA are not set", "go together");
    }

    @Test
    void aControllerUrlListIsSplitOnCommasAndEachMustBeHttps() {
        Main flags = new Main(Map.of(), new PrintWriter(out));
        Settings settings = new Settings(flags, Map.of("CONTROLLER_URL", "https://a.example:9000, https://b.example:9000,"));
        assertThat(settings.controllerUrls()).containsExactly(URI.create("https://a.example:9000"), URI.create("https://b.example:9000"));
        assertThat(settings.controllerUrl()).contains(URI.create("https://a.example:9000"));

        Settings mixed = new Settings(flags, Map.of("CONTROLLER_URL", "https://a.example:9000,http" + "://b.example:9000"));
        org.assertj.core.api.Assertions.assertThatThrownBy(mixed::controllerUrls)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is refused");
    }

    @Test
    void requiresExactlyOneMode() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(run(Map.of(), "--all", "--role", "controller")).isEqualTo(2);
        assertThat(err.toString()).contains("choose exactly one");
    }

    @Test
    void flagsOverrideEnvironmentWhichOverridesDefaults() {
        Main flags = new Main(Map.of(), new PrintWriter(out));
        Settings defaults = new Settings(flags, Map.of());
        assertThat(defaults.port(8500)).isEqualTo(8500);
        assertThat(defaults.bindHost()).isEqualTo("0.0.0.0");
        assertThat(defaults.dataDir()).isEqualTo(Path.of("crank-data"));

        Map<String, String> env = Map.of("CRANK_HTTPS_PORT", "8600", "CRANK_BIND_HOST", "127.0.0.1", "CRANK_DATA_DIR", "/tmp/x",
                "CRANK_HEARTBEAT_INTERVAL", "500ms");
        Settings fromEnv = new Settings(flags, env);
        assertThat(fromEnv.port(8500)).isEqualTo(8600);
        assertThat(fromEnv.bindHost()).isEqualTo("127.0.0.1");
        assertThat(fromEnv.duration("CRANK_HEARTBEAT_INTERVAL", Duration.ofSeconds(30))).isEqualTo(Duration.ofMillis(500));

        flags.port = 8700;
        flags.heartbeatInterval = "2m";
        Settings withFlags = new Settings(flags, env);
        assertThat(withFlags.port(8500)).isEqualTo(8700);
        assertThat(withFlags.duration("CRANK_HEARTBEAT_INTERVAL", Duration.ofSeconds(30))).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void theWorkerConfigTakesFlagsOverTheEnvironment() {
        Main flags = new Main(Map.of(), new PrintWriter(out));
        flags.dataDir = dir;
        flags.port = 8701;
        flags.heartbeatInterval = "2m";
        Map<String, String> env = Map.of("CRANK_HTTPS_PORT", "8600", "CRANK_HEARTBEAT_INTERVAL", "500ms",
                "CRANK_SHUTDOWN_TIMEOUT", "3s", "CONTROLLER_URL", "https://a.example:9000");

        dev.crank.core.WorkerConfig config = new Settings(flags, env).worker("hello-world", 8500, false).build();

        assertThat(config.port()).isEqualTo(8701);
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.controllerUrls()).containsExactly(URI.create("https://a.example:9000"));
        assertThat(config.dataDir()).isEqualTo(dir);
        assertThat(new Settings(flags, env).worker("controller", 9000, true).build().controllerUrls()).isEmpty();
    }

    @Test
    void pkiInitCreatesTheCaAndACertificatePerIdentity() throws Exception {
        Path pki = dir.resolve("pki");
        assertThat(run(Map.of(), "pki", "init", "--dir", pki.toString())).isZero();

        assertThat(pki.resolve("ca.crt")).exists();
        for (String name : new String[] {"ca", "controller", "admin", "crank-hello-world"}) {
            assertThat(pki.resolve(name + ".crt")).exists();
            assertThat(Files.getPosixFilePermissions(pki.resolve(name + ".key")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        assertThat(out.toString()).contains("Development PKI ready");
    }
}
