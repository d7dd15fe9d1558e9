package dev.crank.testing;

import static java.util.Objects.requireNonNull;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;

import dev.crank.controller.ControllerApplication;
import dev.crank.controller.ControllerSettings;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankClient;
import dev.crank.core.DevPki;
import dev.crank.core.RegistrationState;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs your worker for a test: on {@code 127.0.0.1}, port 0, over real mutual TLS with a development
 * PKI made in a temporary folder, optionally registered with a real controller, and hands the test an
 * admin {@link CrankClient}. A {@code static} field starts once per class, an instance field once per test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static CrankWorkerExtension<TextStatsWorker> crank = CrankWorkerExtension.of(TextStatsWorker::new).withController();
 *
 * @Test
 * void countsWords() {
 *     ClientResponse response = crank.invoke("analyze:text_stats", "{\"text\":\"One two.\"}");
 *     assertThat(response.status()).isEqualTo(200);
 * }
 * }</pre>
 *
 * <p>Outside JUnit, {@link #start()} and {@link #close()} do the same by hand.
 *
 * @param <W> the worker type
 */
public final class CrankWorkerExtension<W extends WorkerApplication>
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(CrankWorkerExtension.class);
    private static final Pattern CAPABILITY = Pattern.compile("([a-z][a-z0-9_]*):([a-z][a-z0-9_]*)");
    private static final String LOOPBACK = "127.0.0.1";

    private final Function<WorkerConfig, W> factory;
    private String workerId = "test-worker";
    private boolean withController;
    private Duration timeout = Duration.ofSeconds(15);
    private Consumer<WorkerConfig.Builder> customizer = builder -> {};

    private Running state;
    private boolean startedPerClass;

    private CrankWorkerExtension(Function<WorkerConfig, W> factory) {
        this.factory = requireNonNull(factory, "factory");
    }

    /** An extension that builds the worker with {@code factory}, usually the worker's constructor. */
    public static <W extends WorkerApplication> CrankWorkerExtension<W> of(Function<WorkerConfig, W> factory) {
        return new CrankWorkerExtension<>(factory);
    }

    /** Also runs a controller; the worker registers with it before the first test runs. Default: standalone. */
    public CrankWorkerExtension<W> withController() {
        this.withController = true;
        return this;
    }

    /** The worker id (and certificate identity); default {@code test-worker}. */
    public CrankWorkerExtension<W> workerId(String workerId) {
        this.workerId = requireNonNull(workerId, "workerId");
        return this;
    }

    /** Deadline of every call and of the wait for registration; default 15 s. */
    public CrankWorkerExtension<W> timeout(Duration timeout) {
        requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        this.timeout = timeout;
        return this;
    }

    /** Adjusts the worker's configuration before it is built: limits, metadata, data dir... */
    public CrankWorkerExtension<W> configure(Consumer<WorkerConfig.Builder> customizer) {
        this.customizer = requireNonNull(customizer, "customizer");
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
        startedPerClass = true;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (startedPerClass) {
            startedPerClass = false;
            close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (state == null) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!startedPerClass) {
            close();
        }
    }

    /** Creates the PKI, starts the controller (if asked) and the worker, and waits for registration. */
    public synchronized CrankWorkerExtension<W> start() {
        if (state != null) {
            throw new IllegalStateException(workerId + " already started");
        }
        Running started = Running.create(workerId);
        try {
            if (withController) {
                started.controller = new ControllerApplication(
                        WorkerConfig.builder(ControllerApplication.CONTROLLER_ID, started.pki.controllerMaterial())
                                .bindHost(LOOPBACK)
                                .dataDir(started.dir.resolve("controller"))
                                .shutdownTimeout(Duration.ofSeconds(5))
                                .build(),
                        ControllerSettings.defaults(started.dir.resolve("controller")));
                started.controller.start();
            }
            WorkerConfig.Builder builder = WorkerConfig.builder(workerId, started.pki.workerMaterial(workerId))
                    .bindHost(LOOPBACK)
                    .dataDir(started.dir.resolve(workerId))
                    .registrationTimeout(Duration.ofSeconds(2))
                    .shutdownTimeout(Duration.ofSeconds(5));
            if (started.controller != null) {
                builder.controllerUrl(URI.create("https://localhost:" + started.controller.port()));
            }
            customizer.accept(builder);
            started.worker = requireNonNull(factory.apply(builder.build()), "the factory returned null");
            started.worker.start();
            if (started.controller != null) {
                awaitRegistration(started);
            }
        } catch (RuntimeException | Error e) {
            started.close();
            throw e;
        }
        state = started;
        logger.debug("{} listens on {}", workerId, started.worker.url());
        return this;
    }

    /** Stops the worker and the controller and deletes the temporary PKI and data; idempotent. */
    @Override
    public synchronized void close() {
        if (state != null) {
            state.close();
            state = null;
        }
    }

    /** The running worker. */
    @SuppressWarnings("unchecked")
    public W worker() {
        return (W) running().worker;
    }

    /** {@code https://localhost:<port>} of the worker. */
    public URI workerUrl() {
        return URI.create("https://localhost:" + running().worker.port());
    }

    /** {@code https://localhost:<port>} of the controller; fails unless {@link #withController()} was asked for. */
    public URI controllerUrl() {
        return URI.create("https://localhost:" + controller().orElseThrow(() ->
                new IllegalStateException("no controller: build the extension with withController()")).port());
    }

    public Optional<ControllerApplication> controller() {
        return Optional.ofNullable(running().controller);
    }

    /** An mTLS client holding the admin certificate ({@code spiffe://crank.local/admin/admin}). */
    public CrankClient client() {
        return running().admin;
    }

    /** The temporary development CA: issue more certificates with it (another worker, a foreign identity). */
    public DevPki pki() {
        return running().pki;
    }

    /** {@code POST /invoke/{verb}/{name}} on the worker with a JSON body. */
    public ClientResponse invoke(String capability, String json) {
        return invoke(capability, "application/json", requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8));
    }

    /** {@code POST /invoke/{verb}/{name}} on the worker with any body. */
    public ClientResponse invoke(String capability, String contentType, byte[] body) {
        Matcher matcher = CAPABILITY.matcher(requireNonNull(capability, "capability"));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("capability: '" + capability + "' (expected: verb:name, e.g. greet:hello_world)");
        }
        return post("/invoke/" + matcher.group(1) + "/" + matcher.group(2), contentType, body);
    }

    /** A GET on the worker: {@code get("/health")}. */
    public ClientResponse get(String path) {
        return send("GET", workerUrl().resolve(path), Map.of(), new byte[0]);
    }

    /** A POST on the worker. */
    public ClientResponse post(String path, String contentType, byte[] body) {
        return send("POST", workerUrl().resolve(path), Map.of("content-type", contentType), body);
    }

    /** {@code verb:name} as the worker declares it on {@code GET /capabilities}: for {@code matchesOutputSchema(...)}. */
    public CapabilitySchema capability(String capability) {
        return DeclaredCapabilities.find(get("/capabilities"), capability);
    }

    /** {@code POST /route} on the controller: which worker serves {@code verb:name}. */
    public ClientResponse route(String capability) {
        Matcher matcher = CAPABILITY.matcher(requireNonNull(capability, "capability"));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("capability: '" + capability + "' (expected: verb:name, e.g. greet:hello_world)");
        }
        String json = "{\"verb\":\"" + matcher.group(1) + "\",\"capability\":\"" + matcher.group(2) + "\"}";
        return send("POST", controllerUrl().resolve("/route"), Map.of("content-type", "application/json"),
                json.getBytes(StandardCharsets.UTF_8));
    }

    private ClientResponse send(String method, URI uri, Map<String, String> headers, byte[] body) {
        return client().send(new ClientRequest(method, uri, headers, body, timeout)).join();
    }

    private Running running() {
        Running current = state;
        if (current == null) {
            throw new IllegalStateException(workerId + " is not running: register the extension with @RegisterExtension, "
                    + "or call start()");
        }
        return current;
    }

    private void awaitRegistration(Running started) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ControllerApplication controller = started.controller;
        while (!(started.worker.registrationState() == RegistrationState.REGISTERED
                && controller.registry().worker(workerId).map(controller.registry()::isHealthy).orElse(false))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(workerId + " did not register with the controller within " + timeout
                        + " (registration state: " + started.worker.registrationState() + ")");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + workerId + " to register", e);
            }
        }
    }

    /** Everything one start owns, released in reverse order. */
    private static final class Running {
        final Path dir;
        final DevPki pki;
        final CrankClient admin;
        ControllerApplication controller;
        WorkerApplication worker;

        private Running(Path dir, DevPki pki, CrankClient admin) {
            this.dir = dir;
            this.pki = pki;
            this.admin = admin;
        }

        static Running create(String workerId) {
            Path dir = TempDirs.create("crank-" + workerId + "-");
            try {
                DevPki pki = DevPki.open(dir.resolve("pki"));
                return new Running(dir, pki, CrankClient.builder(pki.adminMaterial("admin")).build());
            } catch (RuntimeException e) {
                TempDirs.delete(dir);
                throw e;
            }
        }

        void close() {
            if (worker != null) {
                worker.close();
            }
            if (controller != null) {
                controller.close();
            }
            admin.close();
            TempDirs.delete(dir);
        }
    }
}
