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

    /** A slice of warm-up that a phase repeats until the JIT compilers are idle. */
    interface Slice {
        void run() throws InterruptedException;
    }

    /** Below this much compiling in one slice the JIT counts as idle. */
    static final long SETTLED_JIT_MILLIS = 100;
    private static final int MAX_SETTLE_SLICES = 24;

    /**
     * Repeats {@code slice} (of about {@code length}; at least once, at most 24 times) until the JIT compilers spent
     * less than {@link #SETTLED_JIT_MILLIS} in one, so that a phase measures compiled code: on two cores a compiler
     * still at work takes a core from the phase and its queue of requests.
     */
    static void untilCompiled(String what, Duration length, Slice slice) throws InterruptedException {
        long spent;
        int slices = 0;
        do {
            long before = jitMillis();
            slice.run();
            spent = jitMillis() - before;
            slices++;
        } while (spent >= SETTLED_JIT_MILLIS && slices < MAX_SETTLE_SLICES);
        System.out.printf("# %s: %d warm-up slices of %d s until the JIT compilers were idle (%d ms compiling in the last)%n",
                what, slices, length.toSeconds(), spent);
    }

    /**
     * Time the JIT compilers spent so far, in milliseconds (-1 where the JVM does not say); their threads are not Java
     * threads, so {@link CpuPerCall} counts them under jvm.
     */
    static long jitMillis() {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }
}
