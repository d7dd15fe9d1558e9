package dev.crank.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigEnvironmentTest {

    @TempDir
    Path dir;

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("CRANK_DATA_DIR", dir.toString()));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void unsetVariablesKeepTheDefaultsAndTheDevPkiIsUsed() {
        WorkerConfig config = WorkerConfig.fromEnvironment("text-stats", 8600, env()).build();

        assertThat(config.port()).isEqualTo(8600);
        assertThat(config.bindHost()).isEqualTo("0.0.0.0");
        assertThat(config.controllerUrls()).isEmpty();
        assertThat(config.dataDir()).isEqualTo(dir);
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.limits()).isEqualTo(ServerLimits.defaults());
        assertThat(config.tls().certificateChain()).isEqualTo(dir.resolve("pki").resolve("text-stats.crt"));
    }

    @Test
    void everyVariableReachesTheConfig() {
        WorkerConfig config = WorkerConfig.fromEnvironment("text-stats", 8600, env(
                "CRANK_HTTPS_PORT", "0",
                "CRANK_BIND_HOST", " 127.0.0.1 ",
                "CONTROLLER_URL", "https://a.example:9000, https://b.example:9000,",
                "CRANK_ADVERTISE_URL", "https://worker.example:8600",
                "CRANK_HEARTBEAT_INTERVAL", "500ms",
                "CRANK_REGISTRATION_TIMEOUT", "2s",
                "CRANK_SHUTDOWN_TIMEOUT", "1m",
                "CRANK_REQUEST_HEAD_TIMEOUT", "3s",
                "CRANK_MAX_CONNECTIONS", "50",
                "CRANK_MAX_CONNECTIONS_PER_PEER", "5")).build();

        assertThat(config.port()).isZero();
        assertThat(config.bindHost()).isEqualTo("127.0.0.1");
        assertThat(config.controllerUrls()).containsExactly(URI.create("https://a.example:9000"), URI.create("https://b.example:9000"));
        assertThat(config.advertiseUrl()).contains(URI.create("https://worker.example:8600"));
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.registrationTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.limits().requestHeadTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.limits().maxConnections()).isEqualTo(50);
        assertThat(config.limits().maxConnectionsPerPeer()).isEqualTo(5);
    }

    @Test
    void aPartialTlsTripleIsAClearErrorBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment("text-stats", 8600, env("CRANK_TLS_CERT", "/etc/crank/worker.crt")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CRANK_TLS_KEY and CRANK_TLS_CA are not set")
                .hasMessageContaining("go together");
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment("text-stats", 8600,
                env("CRANK_TLS_CERT", "/a.crt", "CRANK_TLS_KEY", "/a.key")))
                .hasMessageContaining("CRANK_TLS_CA is not set");
        assertThat(Files.exists(dir.resolve("pki"))).isFalse();
    }

    @Test
    void aFullTlsTripleIsUsedWhenReadable() {
        TlsMaterial issued = DevPki.open(dir.resolve("own")).workerMaterial("text-stats");
        WorkerConfig config = WorkerConfig.fromEnvironment("text-stats", 8600, env(
                "CRANK_TLS_CERT", issued.certificateChain().toString(),
                "CRANK_TLS_KEY", issued.privateKey().toString(),
                "CRANK_TLS_CA", issued.trustedCa().toString())).build();

        assertThat(config.tls()).isEqualTo(issued);
        assertThat(Files.exists(dir.resolve("pki"))).as("no dev PKI").isFalse();

        assertThatThrownBy(() -> WorkerConfig.fromEnvironment("text-stats", 8600, env(
                "CRANK_TLS_CERT", dir.resolve("missing.crt").toString(),
                "CRANK_TLS_KEY", issued.privateKey().toString(),
                "CRANK_TLS_CA", issued.trustedCa().toString())))
                .hasMessageContaining("not readable", "missing.crt");
    }

    @Test
    void badValuesNameTheVariableTheValueAndWhatWasExpected() {
        assertRefused("CRANK_HTTPS_PORT", "70000", "CRANK_HTTPS_PORT: '70000' (expected: a port 0-65535)");
        assertRefused("CRANK_HTTPS_PORT", "http", "CRANK_HTTPS_PORT: 'http'");
        assertRefused("CONTROLLER_URL", "https://a.example:9000,http" + "://b.example:9000", "is refused");
        assertRefused("CONTROLLER_URL", "https://a b", "is not a URL");
        assertRefused("CRANK_ADVERTISE_URL", "localhost:8600", "CRANK_ADVERTISE_URL");
        assertRefused("CRANK_HEARTBEAT_INTERVAL", "30", "CRANK_HEARTBEAT_INTERVAL: '30' (expected: a duration");
        assertRefused("CRANK_SHUTDOWN_TIMEOUT", "0s", "more than zero");
        assertRefused("CRANK_REQUEST_HEAD_TIMEOUT", "-1s", "CRANK_REQUEST_HEAD_TIMEOUT");
        assertRefused("CRANK_MAX_CONNECTIONS", "0", "CRANK_MAX_CONNECTIONS: '0' (expected: a positive integer)");
        assertRefused("CRANK_MAX_CONNECTIONS_PER_PEER", "many", "CRANK_MAX_CONNECTIONS_PER_PEER: 'many'");
        assertThat(Files.exists(dir.resolve("pki"))).as("nothing was created").isFalse();
    }

    @Test
    void blankValuesCountAsUnsetAndFlagsLaidOverWin() {
        Environment env = Environment.of(env("CRANK_HTTPS_PORT", "8601", "CRANK_BIND_HOST", "  "));
        assertThat(env.get("CRANK_BIND_HOST")).isEmpty();
        assertThat(env.with("CRANK_HTTPS_PORT", 8602).port("CRANK_HTTPS_PORT")).contains(8602);
        assertThat(env.with("CRANK_HTTPS_PORT", null).port("CRANK_HTTPS_PORT")).contains(8601);
        assertThat(Environment.parseDuration("x", "2h")).isEqualTo(Duration.ofHours(2));
    }

    private void assertRefused(String variable, String value, String message) {
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment("text-stats", 8600, env(variable, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
