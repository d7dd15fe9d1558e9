package dev.crank.core;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * How a {@link WorkerApplication} runs. Build it with {@link #builder(String, TlsMaterial)}; every
 * default is in the builder's Javadoc. Without a controller URL the worker runs standalone.
 */
public record WorkerConfig(
        String workerId,
        String bindHost,
        int port,
        Optional<URI> advertiseUrl,
        List<URI> controllerUrls,
        TlsMaterial tls,
        Duration heartbeatInterval,
        Duration registrationTimeout,
        Duration shutdownTimeout,
        ServerLimits limits,
        Path dataDir,
        Map<String, String> metadata,
        Clock clock,
        Optional<MeterRegistry> meterRegistry,
        Optional<ExecutorService> handlerExecutor,
        Optional<ScheduledExecutorService> scheduler) {

    public WorkerConfig {
        requireNonNull(workerId, "workerId");
        if (!workerId.matches("[A-Za-z0-9._-]{1,128}")) {
            throw new IllegalArgumentException("workerId: '" + workerId + "' (expected: [A-Za-z0-9._-]{1,128})");
        }
        requireNonNull(bindHost, "bindHost");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
        requireNonNull(advertiseUrl, "advertiseUrl").ifPresent(url -> requireHttps("advertiseUrl", url));
        controllerUrls = List.copyOf(requireNonNull(controllerUrls, "controllerUrls"));
        controllerUrls.forEach(url -> requireHttps("CONTROLLER_URL", url));
        requireNonNull(tls, "tls");
        positive("heartbeatInterval", heartbeatInterval);
        positive("registrationTimeout", registrationTimeout);
        positive("shutdownTimeout", shutdownTimeout);
        requireNonNull(limits, "limits");
        requireNonNull(dataDir, "dataDir");
        metadata = Map.copyOf(metadata);
        requireNonNull(clock, "clock");
        requireNonNull(meterRegistry, "meterRegistry");
        requireNonNull(handlerExecutor, "handlerExecutor");
        requireNonNull(scheduler, "scheduler");
    }

    /** This configuration with other server limits. */
    public WorkerConfig withLimits(ServerLimits limits) {
        return new WorkerConfig(workerId, bindHost, port, advertiseUrl, controllerUrls, tls, heartbeatInterval, registrationTimeout,
                shutdownTimeout, limits, dataDir, metadata, clock, meterRegistry, handlerExecutor, scheduler);
    }

    /** The first controller to register with; empty: standalone. */
    public Optional<URI> controllerUrl() {
        return controllerUrls.stream().findFirst();
    }

    public static Builder builder(String workerId, TlsMaterial tls) {
        return new Builder(workerId, tls);
    }

    /**
     * A builder filled from the operator's environment ({@code System.getenv()}), checked before anything is
     * created: {@code CRANK_DATA_DIR} (default {@code ./crank-data}), {@code CRANK_BIND_HOST},
     * {@code CRANK_HTTPS_PORT} (default {@code defaultPort}), {@code CONTROLLER_URL} (one or a comma-separated
     * fail-over list; unset: standalone), {@code CRANK_ADVERTISE_URL}, {@code CRANK_HEARTBEAT_INTERVAL},
     * {@code CRANK_REGISTRATION_TIMEOUT}, {@code CRANK_SHUTDOWN_TIMEOUT}, {@code CRANK_REQUEST_HEAD_TIMEOUT},
     * {@code CRANK_MAX_CONNECTIONS}, {@code CRANK_MAX_CONNECTIONS_PER_PEER}, and {@code CRANK_TLS_CERT},
     * {@code CRANK_TLS_KEY}, {@code CRANK_TLS_CA} (PEM, all three or none; none: the development PKI in
     * {@code <data dir>/pki}). Unset variables keep the builder's defaults.
     *
     * <pre>{@code
     * new MyWorker(WorkerConfig.fromEnvironment("my-worker", 8600, System.getenv()).build()).run();
     * }</pre>
     */
    public static Builder fromEnvironment(String workerId, int defaultPort, Map<String, String> env) {
        return fromEnvironment(workerId, defaultPort, Environment.of(env), pki -> pki.workerMaterial(workerId));
    }

    /**
     * {@link #fromEnvironment(String, int, Map)} over an {@link Environment} (a command line lays its flags over
     * it), taking the TLS material from the development PKI with {@code devMaterial} when {@code CRANK_TLS_*}
     * is unset.
     */
    public static Builder fromEnvironment(String workerId, int defaultPort, Environment env, Function<DevPki, TlsMaterial> devMaterial) {
        requireNonNull(devMaterial, "devMaterial");
        Path dataDir = env.path("CRANK_DATA_DIR").orElse(Path.of("crank-data"));
        int port = env.port("CRANK_HTTPS_PORT").orElse(defaultPort);
        List<URI> controllers = env.httpsUrls("CONTROLLER_URL");
        Optional<URI> advertiseUrl = env.httpsUrl("CRANK_ADVERTISE_URL");
        ServerLimits defaults = ServerLimits.defaults();
        ServerLimits limits = defaults
                .withRequestHeadTimeout(env.duration("CRANK_REQUEST_HEAD_TIMEOUT").orElse(defaults.requestHeadTimeout()))
                .withMaxConnections(env.positiveInt("CRANK_MAX_CONNECTIONS").orElse(defaults.maxConnections()),
                        env.positiveInt("CRANK_MAX_CONNECTIONS_PER_PEER").orElse(defaults.maxConnectionsPerPeer()));
        Optional<Duration> heartbeat = env.duration("CRANK_HEARTBEAT_INTERVAL");
        Optional<Duration> registration = env.duration("CRANK_REGISTRATION_TIMEOUT");
        Optional<Duration> shutdown = env.duration("CRANK_SHUTDOWN_TIMEOUT");
        // TLS last: the development PKI is written to disk, so only once every other value is known good.
        TlsMaterial tls = env.tls("CRANK_TLS").orElseGet(() -> devMaterial.apply(DevPki.open(dataDir.resolve("pki"))));
        Builder builder = builder(workerId, tls).dataDir(dataDir).port(port).controllerUrls(controllers).limits(limits);
        env.get("CRANK_BIND_HOST").ifPresent(builder::bindHost);
        advertiseUrl.ifPresent(builder::advertiseUrl);
        heartbeat.ifPresent(builder::heartbeatInterval);
        registration.ifPresent(builder::registrationTimeout);
        shutdown.ifPresent(builder::shutdownTimeout);
        return builder;
    }

    /** Refuses anything but an absolute {@code https://} URL, with a message an operator can act on. */
    public static URI requireHttps(String setting, URI url) {
        if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException(setting + ": '" + url + "' is refused: Crank speaks HTTPS with mutual TLS only "
                    + "(expected: https://host:port)");
        }
        return url;
    }

    private static void positive(String name, Duration value) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    /** Options of a worker. */
    public static final class Builder {
        private final String workerId;
        private final TlsMaterial tls;
        private String bindHost = "0.0.0.0";
        private int port;
        private Optional<URI> advertiseUrl = Optional.empty();
        private List<URI> controllerUrls = List.of();
        private Duration heartbeatInterval = Duration.ofSeconds(30);
        private Duration registrationTimeout = Duration.ofSeconds(5);
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private ServerLimits limits = ServerLimits.defaults();
        private Path dataDir = Path.of("crank-data");
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private Optional<MeterRegistry> meterRegistry = Optional.empty();
        private Optional<ExecutorService> handlerExecutor = Optional.empty();
        private Optional<ScheduledExecutorService> scheduler = Optional.empty();

        private Builder(String workerId, TlsMaterial tls) {
            this.workerId = requireNonNull(workerId, "workerId");
            this.tls = requireNonNull(tls, "tls");
        }

        /** Address to listen on; default {@code 0.0.0.0}. */
        public Builder bindHost(String bindHost) {
            this.bindHost = requireNonNull(bindHost, "bindHost");
            return this;
        }

        /** Port to listen on; default 0 (any free port). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The URL the controller gives callers; default {@code https://localhost:<port>}. */
        public Builder advertiseUrl(URI url) {
            this.advertiseUrl = Optional.of(url);
            return this;
        }

        /** The controller to register with; default none (standalone). Only {@code https://} is accepted. */
        public Builder controllerUrl(URI url) {
            this.controllerUrls = List.of(requireNonNull(url, "url"));
            return this;
        }

        /**
         * Several controllers sharing one registry: the worker registers with the first that answers and
         * moves to the next when one is unreachable or answers 5xx, without registering again.
         */
        public Builder controllerUrls(List<URI> urls) {
            this.controllerUrls = List.copyOf(urls);
            return this;
        }

        /** Default 30 s. */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        /** Time allowed to register and to deregister; default 5 s. */
        public Builder registrationTimeout(Duration timeout) {
            this.registrationTimeout = timeout;
            return this;
        }

        /** The whole graceful-shutdown budget; default 10 s. */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = timeout;
            return this;
        }

        /** Default {@link ServerLimits#defaults()}. */
        public Builder limits(ServerLimits limits) {
            this.limits = limits;
            return this;
        }

        /** Where workers keep state; default {@code ./crank-data}. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Registration metadata such as {@code device}; {@code host} and {@code version} are added by the framework. */
        public Builder metadata(String key, String value) {
            this.metadata.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
            return this;
        }

        /** The clock expiry and timestamps are read from; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * An embedder's registry that also receives every Crank meter (tagged {@code worker_id}); default none.
         * {@code GET /metrics} keeps serving Crank's own Prometheus registry either way.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Optional.of(requireNonNull(registry, "registry"));
            return this;
        }

        /**
         * The executor handlers run on, instead of a pool of {@link ServerLimits#maxHandlerThreads()} threads of the
         * worker's own; it stays the caller's (the worker does not shut it down). A task it rejects is answered 503.
         */
        public Builder handlerExecutor(ExecutorService executor) {
            this.handlerExecutor = Optional.of(requireNonNull(executor, "executor"));
            return this;
        }

        /**
         * Where registration and heartbeats are scheduled; default a daemon thread of the worker's own. A given
         * scheduler stays the caller's (a test passes a manual one); the worker cancels only its own tasks.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Optional.of(requireNonNull(scheduler, "scheduler"));
            return this;
        }

        public WorkerConfig build() {
            return new WorkerConfig(workerId, bindHost, port, advertiseUrl, controllerUrls, tls, heartbeatInterval,
                    registrationTimeout, shutdownTimeout, limits, dataDir, metadata, clock, meterRegistry, handlerExecutor, scheduler);
        }
    }
}
