package dev.crank.bench;

import dev.crank.controller.ControllerApplication;
import dev.crank.controller.ControllerSettings;
import dev.crank.core.DevPki;
import dev.crank.core.WorkerConfig;
import dev.crank.workers.helloworld.HelloWorldWorker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/** What every in-process harness shares: a scratch folder with a dev PKI, servers on 127.0.0.1 port 0, a report header. */
final class Harness {

    static final String HELLO_BODY = "{\"message\":\"World\",\"options\":{\"uppercase\":true}}";
    static final String HELLO_PATH = "/invoke/greet/hello_world";

    private Harness() {}

    static Path scratch(String name) {
        try {
            return Files.createTempDirectory("crank-bench-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DevPki pki(Path dir) {
        return DevPki.open(dir.resolve("pki"));
    }

    /** A controller with default settings (90 s expiry, state file persisted) on 127.0.0.1, port 0. */
    static ControllerApplication controller(DevPki pki, Path dataDir) {
        return controller(pki, dataDir, ControllerSettings.defaults(dataDir));
    }

    static ControllerApplication controller(DevPki pki, Path dataDir, ControllerSettings settings) {
        ControllerApplication controller = new ControllerApplication(WorkerConfig.builder(ControllerApplication.CONTROLLER_ID,
                pki.controllerMaterial()).bindHost("127.0.0.1").port(0).dataDir(dataDir).build(), settings);
        controller.start();
        return controller;
    }

    /** hello-world on 127.0.0.1, port 0; registered with {@code controller} when given. */
    static HelloWorldWorker helloWorld(DevPki pki, Path dataDir, Optional<URI> controller) {
        WorkerConfig.Builder config = WorkerConfig.builder(HelloWorldWorker.WORKER_ID, pki.workerMaterial(HelloWorldWorker.WORKER_ID))
                .bindHost("127.0.0.1").port(0).dataDir(dataDir.resolve("hello-world"));
        controller.ifPresent(config::controllerUrl);
        HelloWorldWorker worker = new HelloWorldWorker(config.build());
        worker.start();
        return worker;
    }

    static URI local(int port) {
        return URI.create("https://localhost:" + port);
    }

    /** The 1-, 5- and 15-minute load averages. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static void header(String bench, String settings) {
        System.out.printf("# %s  %s  cores=%d  java=%s  load=%s%n# settings: %s%n", bench,
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), loadAverage(), settings);
    }

    static void result(String name, String format, Object... args) {
        System.out.printf("RESULT %-34s %s  [load %s]%n", name, String.format(Locale.ROOT, format, args), loadAverage());
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // scratch data in the temp folder: leaving it is harmless
        }
    }
}
