package dev.crank.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.ClientResponse;
import dev.crank.core.CrankClient;
import dev.crank.core.DevPki;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The platform as separate processes of {@code crank-runtime.jar}: start-up to registered and idle
 * RSS of hello-world ({@code --mode startup}), {@code kill -9} of a worker to "not routable"
 * ({@code --mode kill}, controller expiry {@code --heartbeat-timeout}, default the runtime's 90 s), and
 * RSS of {@code --all} under gateway load ({@code --mode all}). Child JVMs run with default flags.
 */
final class LifecycleBench {

    private final Path jar;
    private final Path dir;
    private final DevPki pki;
    private final CrankClient admin;
    private final List<Process> processes = new ArrayList<>();

    private LifecycleBench(Path jar, Path dir) {
        this.jar = jar;
        this.dir = dir;
        this.pki = Harness.pki(dir);
        this.admin = CrankClient.builder(pki.adminMaterial("admin")).build();
    }

    static void run(Args args) throws Exception {
        Path jar = Path.of(args.string("runtime-jar", "crank-runtime/target/crank-runtime.jar"));
        if (!Files.isReadable(jar)) {
            throw new IllegalArgumentException("--runtime-jar: " + jar + " not found (build it: mvn -B -q -pl crank-runtime -am package -DskipTests)");
        }
        String mode = args.string("mode", "startup");
        Harness.header("lifecycle " + mode, "jar=" + jar + " " + String.join(" ", args.optional("heartbeat-timeout").map(t -> "heartbeat-timeout=" + t)
                .orElse("heartbeat-timeout=default"), args.optional("heartbeat-interval").map(t -> "heartbeat-interval=" + t).orElse("")));
        Path dir = Harness.scratch("lifecycle");
        LifecycleBench bench = new LifecycleBench(jar, dir);
        try {
            switch (mode) {
                case "startup" -> bench.startup(args.integer("runs", 5));
                case "kill" -> bench.kill(args.integer("runs", 1), args.optional("heartbeat-timeout"), args.optional("heartbeat-interval"));
                case "all" -> bench.all(args.duration("duration", Duration.ofSeconds(30)), args.integer("connections", 16));
                default -> throw new IllegalArgumentException("--mode: " + mode + " (expected: startup, kill or all)");
            }
        } finally {
            bench.close();
            Harness.deleteQuietly(dir);
        }
    }

    private void startup(int runs) throws Exception {
        int controllerPort = freePort();
        startController(controllerPort, Optional.empty());
        for (int run = 1; run <= runs; run++) {
            int port = freePort();
            long t0 = System.nanoTime();
            Process worker = startWorker(port, controllerPort, Optional.empty());
            long registered = awaitRegistered(controllerPort, port, t0);
            Harness.sleep(Duration.ofSeconds(5));
            long rss = rssKb(worker);
            Harness.result("startup-to-registered run " + run, "%.0f ms (process launch to healthy in the controller's /workers), "
                    + "idle RSS %d MB", (registered - t0) / 1e6, rss / 1024);
            stop(worker);
        }
    }

    private void kill(int runs, Optional<String> heartbeatTimeout, Optional<String> heartbeatInterval) throws Exception {
        int controllerPort = freePort();
        startController(controllerPort, heartbeatTimeout);
        for (int run = 1; run <= runs; run++) {
            int port = freePort();
            Process worker = startWorker(port, controllerPort, heartbeatInterval);
            awaitRegistered(controllerPort, port, System.nanoTime());
            if (heartbeatInterval.isPresent()) {
                Harness.sleep(Args.parseDuration(heartbeatInterval.get()).multipliedBy(2)); // a few heartbeats before the kill
            } else {
                Harness.sleep(Duration.ofSeconds(1));
            }
            Instant lastHeartbeat = Instant.parse(worker(controllerPort, port).orElseThrow().path("last_heartbeat").asText());
            worker.destroyForcibly(); // SIGKILL
            long killed = System.nanoTime();
            Instant killedAt = Instant.now();
            worker.waitFor();
            long gone;
            while (true) {
                ClientResponse route = admin.postJson(URI.create("https://localhost:" + controllerPort + "/route"),
                        Map.of("verb", "greet", "capability", "hello_world"), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
                if (route.status() == 404) {
                    gone = System.nanoTime();
                    break;
                }
                Harness.sleep(Duration.ofMillis(50));
            }
            double age = Duration.between(lastHeartbeat, killedAt).toMillis() / 1000.0;
            Harness.result("kill-9-to-unroutable run " + run, "%.2f s (last heartbeat %.2f s before the kill; expiry %s)",
                    (gone - killed) / 1e9, age, heartbeatTimeout.orElse("90s default"));
        }
    }

    private void all(Duration duration, int connections) throws Exception {
        int controllerPort = freePort();
        Process platform = start("all", List.of("--all", "--port", Integer.toString(controllerPort), "--bind-host", "127.0.0.1"));
        long t0 = System.nanoTime();
        awaitHealthy(controllerPort);
        while (routeStatus(controllerPort) != 200) {
            if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(120)) {
                throw new IllegalStateException("--all: hello-world not routable after 120 s; see " + dir.resolve("all.log"));
            }
            Harness.sleep(Duration.ofMillis(50));
        }
        Harness.sleep(Duration.ofSeconds(5));
        Harness.result("--all idle RSS", "%d MB", rssKb(platform) / 1024);
        AtomicLong maxRss = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxRss.accumulateAndGet(rssKb(platform), Math::max);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        try (LoadGenerator generator = LoadGenerator.create(Harness.local(controllerPort), pki.adminMaterial("admin"), 1)) {
            LoadGenerator.Result result = generator.run(seq -> LoadGenerator.Request.postJson(Harness.HELLO_PATH, Harness.HELLO_BODY),
                    LoadGenerator.Options.closedLoop(connections, Duration.ZERO, duration));
            sampler.interrupt();
            sampler.join();
            Harness.result("--all RSS under gateway load", "max %d MB over %s at %.0f req/s (%s)", maxRss.get() / 1024, duration,
                    result.throughput(), result.summary());
        }
    }

    private void startController(int port, Optional<String> heartbeatTimeout) throws Exception {
        List<String> args = new ArrayList<>(List.of("--role", "controller", "--port", Integer.toString(port), "--bind-host", "127.0.0.1"));
        heartbeatTimeout.ifPresent(timeout -> args.addAll(List.of("--heartbeat-timeout", timeout)));
        start("controller", args);
        awaitHealthy(port);
    }

    private Process startWorker(int port, int controllerPort, Optional<String> heartbeatInterval) throws IOException {
        List<String> args = new ArrayList<>(List.of("--worker", "hello-world", "--port", Integer.toString(port), "--bind-host", "127.0.0.1",
                "--controller-url", "https://localhost:" + controllerPort));
        heartbeatInterval.ifPresent(interval -> args.addAll(List.of("--heartbeat-interval", interval)));
        return start("worker-" + port, args);
    }

    private Process start(String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toAbsolutePath().toString()));
        command.addAll(args);
        command.addAll(List.of("--data-dir", dir.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().put("OPT_OUT_TRACKING", "true");
        builder.environment().put("DJL_OFFLINE", "true");
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private void awaitHealthy(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (admin.get(URI.create("https://localhost:" + port + "/health"), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS).status() == 200) {
                    return;
                }
            } catch (Exception e) {
                // not listening yet
            }
            Harness.sleep(Duration.ofMillis(20));
        }
        throw new IllegalStateException("nothing healthy on port " + port + " after 60 s; logs in " + dir);
    }

    /** Polls the controller until hello-world on {@code port} is healthy there; returns that instant (nanoTime). */
    private long awaitRegistered(int controllerPort, int port, long since) throws Exception {
        while (System.nanoTime() - since < TimeUnit.SECONDS.toNanos(60)) {
            Optional<JsonNode> worker = worker(controllerPort, port);
            if (worker.isPresent() && worker.get().path("is_healthy").asBoolean()) {
                return System.nanoTime();
            }
            Harness.sleep(Duration.ofMillis(5));
        }
        throw new IllegalStateException("worker on port " + port + " not registered after 60 s; logs in " + dir);
    }

    private Optional<JsonNode> worker(int controllerPort, int port) throws Exception {
        JsonNode workers = admin.get(URI.create("https://localhost:" + controllerPort + "/workers"), Duration.ofSeconds(2))
                .get(5, TimeUnit.SECONDS).json().path("workers");
        for (JsonNode worker : workers) {
            if (worker.path("worker_url").asText().endsWith(":" + port)) {
                return Optional.of(worker);
            }
        }
        return Optional.empty();
    }

    private int routeStatus(int controllerPort) {
        try {
            return admin.postJson(URI.create("https://localhost:" + controllerPort + "/route"), Map.of("verb", "greet", "capability", "hello_world"),
                    Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS).status();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM: graceful, deregisters
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** VmRSS of a process in KiB (0 when it is gone). */
    static long rssKb(Process process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void close() throws InterruptedException {
        for (Process process : processes) {
            if (process.isAlive()) {
                stop(process);
            }
        }
        admin.close();
    }
}
