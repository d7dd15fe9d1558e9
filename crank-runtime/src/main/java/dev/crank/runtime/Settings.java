package dev.crank.runtime;

import dev.crank.controller.CapabilityPolicy;
import dev.crank.controller.ControllerApplication;
import dev.crank.controller.ControllerSettings;
import dev.crank.controller.EtcdRegistryStore;
import dev.crank.controller.EtcdSettings;
import dev.crank.core.DevPki;
import dev.crank.core.Environment;
import dev.crank.core.TlsMaterial;
import dev.crank.core.WorkerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves every setting in the documented order: command-line flag, then environment variable,
 * then default. One instance per process.
 */
final class Settings {

    static final int CONTROLLER_PORT = 9000;

    private final Environment env;
    private final Main flags;

    /** The flags laid over the environment: {@link WorkerConfig#fromEnvironment} reads both as one. */
    Settings(Main flags, Map<String, String> variables) {
        this.flags = flags;
        this.env = Environment.of(variables)
                .with("CRANK_DATA_DIR", flags.dataDir)
                .with("CRANK_HTTPS_PORT", flags.port)
                .with("CRANK_BIND_HOST", flags.bindHost)
                .with("CONTROLLER_URL", flags.controllerUrl)
                .with("CRANK_ADVERTISE_URL", flags.advertiseUrl)
                .with("CRANK_HEARTBEAT_INTERVAL", flags.heartbeatInterval)
                .with("CRANK_REGISTRATION_TIMEOUT", flags.registrationTimeout)
                .with("CRANK_SHUTDOWN_TIMEOUT", flags.shutdownTimeout)
                .with("CONTROLLER_HEARTBEAT_TIMEOUT", flags.heartbeatTimeout)
                .with("CONTROLLER_STATE_FILE", flags.stateFile)
                .with("CONTROLLER_POLICY", flags.policy)
                .with("CRANK_REGISTRY", flags.registry)
                .with("CRANK_ETCD_ENDPOINTS", flags.etcdEndpoints)
                .with("CRANK_ETCD_PREFIX", flags.etcdPrefix);
    }

    Path dataDir() {
        return env.path("CRANK_DATA_DIR").orElse(Path.of("crank-data"));
    }

    int port(int defaultPort) {
        return env.port("CRANK_HTTPS_PORT").orElse(defaultPort);
    }

    String bindHost() {
        return env.get("CRANK_BIND_HOST").orElse("0.0.0.0");
    }

    Optional<URI> controllerUrl() {
        return controllerUrls().stream().findFirst();
    }

    /** {@code CONTROLLER_URL}: one URL or a comma-separated list, tried in order (fail-over). */
    List<URI> controllerUrls() {
        return env.httpsUrls("CONTROLLER_URL");
    }

    Duration duration(String variable, Duration defaultValue) {
        return env.duration(variable).orElse(defaultValue);
    }

    /** The PEM files of {@code CRANK_TLS_*}, all three or none; with none, the dev PKI in the data dir. */
    boolean usesDevPki() {
        return env.tls("CRANK_TLS").isEmpty();
    }

    TlsMaterial tls(String workerId, boolean controller) {
        return env.tls("CRANK_TLS").orElseGet(() -> devMaterial(devPki(), workerId, controller));
    }

    private TlsMaterial devMaterial(DevPki pki, String workerId, boolean controller) {
        pki.adminMaterial("admin");
        AdminPkcs12.writeIfAbsent(pki, flags.out());
        return controller ? pki.controllerMaterial() : pki.workerMaterial(workerId);
    }

    DevPki devPki() {
        return DevPki.open(dataDir().resolve("pki"));
    }

    WorkerConfig.Builder worker(String workerId, int defaultPort, boolean controller) {
        WorkerConfig.Builder builder = WorkerConfig.fromEnvironment(workerId, defaultPort, env,
                pki -> devMaterial(pki, workerId, controller));
        return controller ? builder.controllerUrls(List.of()) : builder;
    }

    ControllerSettings controllerSettings() {
        Duration timeout = duration("CONTROLLER_HEARTBEAT_TIMEOUT", ControllerSettings.DEFAULT_HEARTBEAT_TIMEOUT);
        ControllerSettings settings = ControllerSettings.defaults(dataDir()).withHeartbeatTimeout(timeout).withEvictionGrace(timeout);
        Optional<Path> stateFile = env.path("CONTROLLER_STATE_FILE");
        ControllerSettings stored = registry(stateFile.map(settings::withStateFile).orElse(settings), timeout);
        Optional<Path> policy = env.path("CONTROLLER_POLICY");
        return policy.map(file -> stored.withPolicy(CapabilityPolicy.load(file))).orElse(stored);
    }

    /** {@code --registry sqlite|etcd}; etcd with its endpoints, prefix and TLS material. */
    private ControllerSettings registry(ControllerSettings settings, Duration heartbeatTimeout) {
        String kind = env.get("CRANK_REGISTRY").orElse("sqlite").trim().toLowerCase(Locale.ROOT);
        if (kind.equals("sqlite")) {
            return settings;
        }
        if (!kind.equals("etcd")) {
            throw new IllegalArgumentException("CRANK_REGISTRY: '" + kind + "' (expected: sqlite or etcd)");
        }
        String endpoints = env.get("CRANK_ETCD_ENDPOINTS").orElseThrow(() ->
                new IllegalArgumentException("--registry etcd needs CRANK_ETCD_ENDPOINTS (or --etcd-endpoints): https://host:port,..."));
        String prefix = env.get("CRANK_ETCD_PREFIX").orElse(EtcdSettings.DEFAULT_PREFIX);
        EtcdSettings etcd = new EtcdSettings(EtcdSettings.parseEndpoints(endpoints), etcdTls(), prefix, EtcdSettings.DEFAULT_CALL_TIMEOUT);
        return settings.withStore(new EtcdRegistryStore(etcd, heartbeatTimeout));
    }

    /** {@code CRANK_ETCD_CERT/KEY/CA}, all three or none; with none, the controller's own material. */
    private TlsMaterial etcdTls() {
        return env.tls("CRANK_ETCD").orElseGet(() -> tls(ControllerApplication.CONTROLLER_ID, true));
    }
}
