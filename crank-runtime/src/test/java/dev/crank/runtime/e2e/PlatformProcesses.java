package dev.crank.runtime.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;
import dev.crank.core.CrankClient;
import dev.crank.core.DevPki;
import dev.crank.controller.RegistryStore;
import dev.crank.controller.SqliteRegistryStore;
import dev.crank.testing.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The platform as an operator runs it: the shaded {@code crank-runtime.jar} started as separate
 * processes (controller and workers) sharing one data dir and its dev PKI, on free loopback ports,
 * with short heartbeat settings passed through the environment.
 */
final class PlatformProcesses implements AutoCloseable {

    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration EXPIRY = Duration.ofSeconds(3);
    /** Short, so the slow-head probes of the whole-platform suite end quickly; set through CRANK_REQUEST_HEAD_TIMEOUT. */
    static final Duration HEAD_TIMEOUT = Duration.ofSeconds(2);
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Path JAR = Path.of("target", "crank-runtime.jar").toAbsolutePath();

    /** One started process. */
    static final class Node {
        final String name;
        final int port;
        final Process process;
        final Path log;

        Node(String name, int port, Process process, Path log) {
            this.name = name;
            this.port = port;
            this.process = process;
            this.log = log;
        }

        URI url() {
            return URI.create("https://localhost:" + port);
        }

        String logTail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }
    }

    private final Path dir;
    private final List<Node> nodes = new ArrayList<>();
    private final CrankClient admin;
    private int controllerPort;

    PlatformProcesses(Path dir) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the end-to-end suite runs after 'package'");
        }
        this.dir = dir;
        this.controllerPort = freePort();
        this.admin = CrankClient.builder(DevPki.open(dir.resolve("data").resolve("pki")).adminMaterial("admin")).build();
    }

    URI controllerUrl() {
        return URI.create("https://localhost:" + controllerPort);
    }

    /** The controller's registry database. */
    Path stateFile() {
        return dir.resolve("data").resolve("controller").resolve("registry.db");
    }

    /** The worker ids in the registry database, read as a restarted controller would (the controller must be down). */
    List<String> storedWorkerIds() {
        try (SqliteRegistryStore store = new SqliteRegistryStore(stateFile())) {
            return store.load().stream().map(RegistryStore.Stored::workerId).toList();
        }
    }

    /** Removes the registry database with its write-ahead log, as an operator who lost the disk would. */
    void deleteState() throws IOException {
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(stateFile().resolveSibling(stateFile().getFileName() + suffix));
        }
    }

    /** Every worker id {@code /workers} lists, following its pages. */
    List<String> allWorkerIds() {
        List<String> ids = new ArrayList<>();
        String path = "/workers?limit=10000";
        while (path != null) {
            JsonNode page = get(controllerUrl().resolve(path)).json();
            page.get("workers").forEach(worker -> ids.add(worker.get("worker_id").asText()));
            path = page.has("next") ? "/workers?limit=10000&after=" + page.get("next").asText() : null;
        }
        return ids;
    }

    Node startController() throws IOException {
        return start("controller", controllerPort, Map.of(), "--role", "controller");
    }

    /** Another controller process on {@code port}, with extra environment (a shared registry, say). */
    Node startController(String name, int port, Map<String, String> extraEnv) throws IOException {
        return start(name, port, extraEnv, "--role", "controller");
    }

    /** The dev PKI every process of this platform uses. */
    DevPki pki() {
        return DevPki.open(dir.resolve("data").resolve("pki"));
    }

    Node startWorker(String name) throws IOException {
        return startWorker(name, Map.of("CONTROLLER_URL", controllerUrl().toString()));
    }

    Node startWorker(String name, Map<String, String> extraEnv) throws IOException {
        return start(name, freePort(), extraEnv, "--worker", name);
    }

    private Node start(String name, int port, Map<String, String> extraEnv, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("CRANK_") || key.startsWith("CONTROLLER_"));
        env.put("CRANK_DATA_DIR", dir.resolve("data").toString());
        env.put("CRANK_HTTPS_PORT", Integer.toString(port));
        env.put("CRANK_BIND_HOST", "127.0.0.1");
        env.put("CRANK_HEARTBEAT_INTERVAL", HEARTBEAT.toMillis() + "ms");
        env.put("CONTROLLER_HEARTBEAT_TIMEOUT", EXPIRY.toMillis() + "ms");
        env.put("CRANK_REGISTRATION_TIMEOUT", "2s");
        env.put("CRANK_REQUEST_HEAD_TIMEOUT", HEAD_TIMEOUT.toMillis() + "ms");
        env.put("CRANK_GPU_FALLBACK", "cpu");
        env.put("OPT_OUT_TRACKING", "true");
        env.put("DJL_OFFLINE", "true");
        env.putAll(extraEnv);
        Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile()).directory(dir.toFile());
        Node node = new Node(name, port, builder.start(), log);
        nodes.add(node);
        return node;
    }

    /** Waits until {@code /health} answers 200. */
    void awaitHealthy(Node node) {
        Await.until(node.name + " healthy\n" + node.logTail(), TIMEOUT, () -> {
            if (!node.process.isAlive()) {
                throw new AssertionError(node.name + " exited with " + node.process.exitValue() + ":\n" + node.logTail());
            }
            return call("GET", node.url().resolve("/health"), "").map(response -> response.status() == 200).orElse(false);
        });
    }

    /** Waits until the controller lists {@code workerId} as healthy and the worker knows it is registered. */
    void awaitRegistered(String workerId) {
        Await.until(workerId + " registered", TIMEOUT, () -> workers().stream().anyMatch(worker ->
                worker.get("worker_id").asText().equals(workerId) && worker.get("is_healthy").asBoolean()
                && call("GET", URI.create(worker.get("worker_url").asText()).resolve("/status"), "")
                        .map(status -> status.json().path("registration").path("state").asText().equals("registered"))
                        .orElse(false)));
    }

    boolean isRoutable(String workerId) {
        return workers().stream().anyMatch(worker -> worker.get("worker_id").asText().equals(workerId)
                && worker.get("is_healthy").asBoolean());
    }

    List<JsonNode> workers() {
        List<JsonNode> workers = new ArrayList<>();
        call("GET", controllerUrl().resolve("/workers"), "").filter(response -> response.status() == 200)
                .ifPresent(response -> response.json().get("workers").forEach(workers::add));
        return workers;
    }

    ClientResponse get(URI uri) {
        return call("GET", uri, "").orElseThrow(() -> new AssertionError("no answer from " + uri));
    }

    ClientResponse postJson(URI uri, String json) {
        return call("POST", uri, json).orElseThrow(() -> new AssertionError("no answer from " + uri));
    }

    CrankClient admin() {
        return admin;
    }

    Optional<ClientResponse> call(String method, URI uri, String json) {
        try {
            return Optional.of(admin.send(new ClientRequest(method, uri, Map.of("content-type", "application/json"),
                    json.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(20))).get(25, TimeUnit.SECONDS));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    void kill9(Node node) throws Exception {
        new ProcessBuilder("kill", "-9", Long.toString(node.process.pid())).start().waitFor();
        node.process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Sends SIGTERM and returns the exit code, waiting at most {@code within}. */
    int terminate(Node node, Duration within) throws Exception {
        new ProcessBuilder("kill", "-TERM", Long.toString(node.process.pid())).start().waitFor();
        if (!node.process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(node.name + " did not exit within " + within + ":\n" + node.logTail());
        }
        return node.process.exitValue();
    }

    Map<String, String> logs() {
        Map<String, String> logs = new LinkedHashMap<>();
        nodes.forEach(node -> logs.put(node.name, node.logTail()));
        return logs;
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            node.process.destroyForcibly();
        }
        for (Node node : nodes) {
            try {
                node.process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        admin.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
