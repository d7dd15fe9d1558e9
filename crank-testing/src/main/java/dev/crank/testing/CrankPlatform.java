package dev.crank.testing;

import dev.crank.controller.ControllerApplication;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A whole platform for a test: a real controller and any number of real workers on 127.0.0.1, port 0,
 * over mutual TLS with a CA made for the test in {@code dir}, plus an admin client. Short heartbeat
 * intervals keep the tests fast. For one worker, {@link CrankWorkerExtension} is shorter. Needs
 * {@code crank-controller} on the test class path.
 *
 * <pre>{@code
 * try (CrankPlatform platform = CrankPlatform.start(tempDir)) {
 *     HelloWorldWorker worker = platform.worker(HelloWorldWorker.WORKER_ID, HelloWorldWorker::new);
 *     platform.awaitRegistered(worker);
 *     platform.invoke(worker, "greet", "hello_world", "{\"message\":\"World\"}");
 * }
 * }</pre>
 */
public final class CrankPlatform implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    public static final Duration HEARTBEAT = Duration.ofMillis(200);

    private final Path dir;
    private final DevPki pki;
    private final CrankClient admin;
    private final List<WorkerApplication> started = new ArrayList<>();
    private ControllerApplication controller;

    private CrankPlatform(Path dir) {
        this.dir = dir;
        this.pki = DevPki.open(dir.resolve("pki"));
        this.admin = CrankClient.builder(pki.adminMaterial("admin")).build();
    }

    /** A platform with a running controller. */
    public static CrankPlatform start(Path dir) {
        CrankPlatform platform = new CrankPlatform(dir);
        platform.startController(Clock.systemUTC(), ControllerSettings.defaults(dir));
        return platform;
    }

    /** A platform with no controller yet (see {@link #startController}). */
    public static CrankPlatform withoutController(Path dir) {
        return new CrankPlatform(dir);
    }

    public ControllerApplication startController(Clock clock, ControllerSettings settings) {
        return startController(clock, settings, 0);
    }

    public ControllerApplication startController(Clock clock, ControllerSettings settings, int port) {
        controller = new ControllerApplication(WorkerConfig.builder(ControllerApplication.CONTROLLER_ID, pki.controllerMaterial())
                .bindHost("127.0.0.1").port(port).dataDir(dir).heartbeatInterval(HEARTBEAT).clock(clock).build(), settings);
        controller.start();
        started.add(controller);
        return controller;
    }

    public ControllerApplication controller() {
        return controller;
    }

    public URI controllerUrl() {
        return URI.create("https://localhost:" + controller.port());
    }

    public DevPki pki() {
        return pki;
    }

    public CrankClient admin() {
        return admin;
    }

    /** A config for {@code workerId} registered with this platform's controller. */
    public WorkerConfig.Builder config(String workerId) {
        WorkerConfig.Builder builder = WorkerConfig.builder(workerId, pki.workerMaterial(workerId))
                .bindHost("127.0.0.1")
                .dataDir(dir.resolve(workerId))
                .heartbeatInterval(HEARTBEAT)
                .registrationTimeout(Duration.ofSeconds(2))
                .shutdownTimeout(Duration.ofSeconds(5));
        if (controller != null) {
            builder.controllerUrl(controllerUrl());
        }
        return builder;
    }

    /** Starts a worker registered with the controller. */
    public <W extends WorkerApplication> W worker(String workerId, Function<WorkerConfig, W> factory) {
        return start(factory.apply(config(workerId).build()));
    }

    public <W extends WorkerApplication> W start(W worker) {
        worker.start();
        started.add(worker);
        return worker;
    }

    public void awaitRegistered(WorkerApplication worker) {
        Await.until(worker.workerId() + " registered", TIMEOUT, () -> worker.registrationState() == RegistrationState.REGISTERED
                && controller.registry().worker(worker.workerId()).map(controller.registry()::isHealthy).orElse(false));
    }

    public ClientResponse get(URI base, String path) {
        return admin.get(base.resolve(path), TIMEOUT).join();
    }

    public ClientResponse post(URI base, String path, String contentType, byte[] body) {
        return admin.send(new ClientRequest("POST", base.resolve(path), Map.of("content-type", contentType), body, TIMEOUT)).join();
    }

    public ClientResponse postJson(URI base, String path, String json) {
        return post(base, path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code POST /invoke/{verb}/{name}} on the worker with a JSON body. */
    public ClientResponse invoke(WorkerApplication worker, String verb, String name, String json) {
        return postJson(URI.create("https://localhost:" + worker.port()), "/invoke/" + verb + "/" + name, json);
    }

    /** {@code verb:name} as {@code worker} declares it on {@code GET /capabilities}: for {@code matchesOutputSchema(...)}. */
    public CapabilitySchema capability(WorkerApplication worker, String key) {
        return DeclaredCapabilities.find(get(URI.create("https://localhost:" + worker.port()), "/capabilities"), key);
    }

    /** {@code POST /route} on the controller. */
    public ClientResponse route(String verb, String name) {
        return postJson(controllerUrl(), "/route", "{\"verb\":\"" + verb + "\",\"capability\":\"" + name + "\"}");
    }

    @Override
    public void close() {
        List<WorkerApplication> reversed = new ArrayList<>(started);
        Collections.reverse(reversed);
        reversed.forEach(WorkerApplication::close);
        admin.close();
    }
}
