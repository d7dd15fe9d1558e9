package dev.crank.runtime;

import dev.crank.controller.CapabilityPolicy;
import dev.crank.controller.ControllerApplication;
import dev.crank.controller.ControllerSettings;
import dev.crank.controller.EtcdRegistryStore;
import dev.crank.controller.EtcdSettings;
import dev.crank.core.DevPki;
import dev.crank.core.ServerLimits;
import dev.crank.core.TlsMaterial;
import dev.crank.core.WorkerConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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

    private final Map<String, String> env;
    private final Main flags;

    Settings(Main flags, Map<String, String> env) {
        this.flags = flags;
        this.env = env;
    }

    Path dataDir() {
        return Optional.ofNullable(flags.dataDir).orElseGet(() -> Path.of(env("CRANK_DATA_DIR").orElse("crank-data")));
    }

    int port(int defaultPort) {
        if (flags.port != null) {
            return flags.port;
        }
        return env("CRANK_HTTPS_PORT").map(value -> parsePort("CRANK_HTTPS_PORT", value)).orElse(defaultPort);
    }

    String bindHost() {
        return Optional.ofNullable(flags.bindHost).orElseGet(() -> env("CRANK_BIND_HOST").orElse("0.0.0.0"));
    }

    Optional<URI> controllerUrl() {
        return controllerUrls().stream().findFirst();
    }

    /** {@code CONTROLLER_URL}: one URL or a comma-separated list, tried in order (fail-over). */
    List<URI> controllerUrls() {
        return Optional.ofNullable(flags.controllerUrl).or(() -> env("CONTROLLER_URL")).stream()
                .flatMap(value -> Arrays.stream(value.split(","))).map(String::trim).filter(value -> !value.isEmpty())
                .map(value -> url("CONTROLLER_URL", value)).toList();
    }

    Optional<URI> advertiseUrl() {
        return Optional.ofNullable(flags.advertiseUrl).or(() -> env("CRANK_ADVERTISE_URL"))
                .map(value -> url("CRANK_ADVERTISE_URL", value));
    }

    Duration duration(String flagValue, String variable, Duration defaultValue) {
        return Optional.ofNullable(flagValue).or(() -> env(variable))
                .map(value -> Durations.parse(variable, value))
                .orElse(defaultValue);
    }

    /** The PEM files of {@code CRANK_TLS_*}, all three or none; with none, the dev PKI in the data dir. */
    boolean usesDevPki() {
        return env("CRANK_TLS_CERT").isEmpty() && env("CRANK_TLS_KEY").isEmpty() && env("CRANK_TLS_CA").isEmpty();
    }

    TlsMaterial tls(String workerId, boolean controller) {
        if (!usesDevPki()) {
            String cert = env("CRANK_TLS_CERT").orElseThrow(() -> missing("CRANK_TLS_CERT"));
            String key = env("CRANK_TLS_KEY").orElseThrow(() -> missing("CRANK_TLS_KEY"));
            String ca = env("CRANK_TLS_CA").orElseThrow(() -> missing("CRANK_TLS_CA"));
            return new TlsMaterial(Path.of(cert), Path.of(key), Path.of(ca)).verifyReadable();
        }
        DevPki pki = devPki();
        pki.adminMaterial("admin");
        AdminPkcs12.writeIfAbsent(pki, flags.out());
        return controller ? pki.controllerMaterial() : pki.workerMaterial(workerId);
    }

    DevPki devPki() {
        return DevPki.open(dataDir().resolve("pki"));
    }

    WorkerConfig.Builder worker(String workerId, int defaultPort, boolean controller) {
        List<URI> controllerUrls = controller ? List.of() : controllerUrls();
        WorkerConfig.Builder builder = WorkerConfig.builder(workerId, tls(workerId, controller))
                .bindHost(bindHost())
                .port(port(defaultPort))
                .dataDir(dataDir())
                .heartbeatInterval(duration(flags.heartbeatInterval, "CRANK_HEARTBEAT_INTERVAL", Duration.ofSeconds(30)))
                .registrationTimeout(duration(flags.registrationTimeout, "CRANK_REGISTRATION_TIMEOUT", Duration.ofSeconds(5)))
                .shutdownTimeout(duration(flags.shutdownTimeout, "CRANK_SHUTDOWN_TIMEOUT", Duration.ofSeconds(10)))
                .limits(limits());
        advertiseUrl().ifPresent(builder::advertiseUrl);
        if (!controllerUrls.isEmpty()) {
            builder.controllerUrls(controllerUrls);
        }
        return builder;
    }

    ControllerSettings controllerSettings() {
        Duration timeout = duration(flags.heartbeatTimeout, "CONTROLLER_HEARTBEAT_TIMEOUT", ControllerSettings.DEFAULT_HEARTBEAT_TIMEOUT);
        ControllerSettings settings = ControllerSettings.defaults(dataDir()).withHeartbeatTimeout(timeout).withEvictionGrace(timeout);
        Optional<Path> stateFile = Optional.ofNullable(flags.stateFile).or(() -> env("CONTROLLER_STATE_FILE").map(Path::of));
        ControllerSettings stored = registry(stateFile.map(settings::withStateFile).orElse(settings), timeout);
        Optional<Path> policy = Optional.ofNullable(flags.policy).or(() -> env("CONTROLLER_POLICY").map(Path::of));
        return policy.map(file -> stored.withPolicy(CapabilityPolicy.load(file))).orElse(stored);
    }

    /** {@code --registry sqlite|etcd}; etcd with its endpoints, prefix and TLS material. */
    private ControllerSettings registry(ControllerSettings settings, Duration heartbeatTimeout) {
        String kind = Optional.ofNullable(flags.registry).or(() -> env("CRANK_REGISTRY")).orElse("sqlite").trim().toLowerCase(Locale.ROOT);
        if (kind.equals("sqlite")) {
            return settings;
        }
        if (!kind.equals("etcd")) {
            throw new IllegalArgumentException("CRANK_REGISTRY: '" + kind + "' (expected: sqlite or etcd)");
        }
        String endpoints = Optional.ofNullable(flags.etcdEndpoints).or(() -> env("CRANK_ETCD_ENDPOINTS")).orElseThrow(() ->
                new IllegalArgumentException("--registry etcd needs CRANK_ETCD_ENDPOINTS (or --etcd-endpoints): https://host:port,..."));
        String prefix = Optional.ofNullable(flags.etcdPrefix).or(() -> env("CRANK_ETCD_PREFIX")).orElse(EtcdSettings.DEFAULT_PREFIX);
        EtcdSettings etcd = new EtcdSettings(EtcdSettings.parseEndpoints(endpoints), etcdTls(), prefix, EtcdSettings.DEFAULT_CALL_TIMEOUT);
        return settings.withStore(new EtcdRegistryStore(etcd, heartbeatTimeout));
    }

    /** {@code CRANK_ETCD_CERT/KEY/CA}, all three or none; with none, the controller's own material. */
    private TlsMaterial etcdTls() {
        Optional<String> cert = env("CRANK_ETCD_CERT");
        Optional<String> key = env("CRANK_ETCD_KEY");
        Optional<String> ca = env("CRANK_ETCD_CA");
        if (cert.isEmpty() && key.isEmpty() && ca.isEmpty()) {
            return tls(ControllerApplication.CONTROLLER_ID, true);
        }
        if (cert.isEmpty() || key.isEmpty() || ca.isEmpty()) {
            throw new IllegalArgumentException("CRANK_ETCD_CERT, CRANK_ETCD_KEY and CRANK_ETCD_CA go together");
        }
        return new TlsMaterial(Path.of(cert.get()), Path.of(key.get()), Path.of(ca.get())).verifyReadable();
    }

    private Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    /** The HTTP limits an operator sets through the environment; the rest are {@link ServerLimits#defaults()}. */
    private ServerLimits limits() {
        ServerLimits defaults = ServerLimits.defaults();
        return defaults.withRequestHeadTimeout(duration(null, "CRANK_REQUEST_HEAD_TIMEOUT", defaults.requestHeadTimeout()))
                .withMaxConnections(positive("CRANK_MAX_CONNECTIONS", defaults.maxConnections()),
                        positive("CRANK_MAX_CONNECTIONS_PER_PEER", defaults.maxConnectionsPerPeer()));
    }

    private int positive(String variable, int defaultValue) {
        return env(variable).map(value -> {
            try {
                int parsed = Integer.parseInt(value);
                if (parsed > 0) {
                    return parsed;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the message
            }
            throw new IllegalArgumentException(variable + ": '" + value + "' (expected: a positive integer)");
        }).orElse(defaultValue);
    }

    private static int parsePort(String setting, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message
        }
        throw new IllegalArgumentException(setting + ": '" + value + "' (expected: a port 0-65535)");
    }

    private static URI url(String setting, String value) {
        try {
            return WorkerConfig.requireHttps(setting, new URI(value));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(setting + ": '" + value + "' is not a URL (expected: https://host:port)");
        }
    }

    private static IllegalArgumentException missing(String variable) {
        return new IllegalArgumentException(variable + " is not set: CRANK_TLS_CERT, CRANK_TLS_KEY and CRANK_TLS_CA go together");
    }
}
