package dev.crank.bench;

import dev.crank.controller.ControllerApplication;
import dev.crank.controller.ControllerSettings;
import dev.crank.controller.EtcdRegistryStore;
import dev.crank.controller.EtcdSettings;
import dev.crank.core.CrankClient;
import dev.crank.core.DevPki;
import dev.crank.core.WorkerConfig;
import dev.crank.core.testing.EtcdCluster;
import dev.crank.workers.helloworld.HelloWorldWorker;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The registry on etcd, each figure beside etcd's own rate measured by this harness in the same run
 * on the same member: registrations/s against lease-grant + put/s (jetcd, same concurrency),
 * heartbeats/s at N registered workers against keep-alive/s on N leases, {@code /route} latency at a
 * fixed rate with N workers (then again with etcd stopped: routing reads the local index only), and
 * the time from closing the controller a worker talks to until another controller acknowledges its
 * heartbeat. {@code --phases registrations,heartbeats,route,failover} (default all) picks some. Starts
 * its own etcd member (the {@code etcd} binary must be on the PATH) on loopback with a dev PKI.
 */
final class EtcdBench {

    /** Warm-up slices, repeated until the JIT compilers are idle ({@link Harness#untilCompiled}). */
    private static final Duration SETTLE_SLICE = Duration.ofSeconds(5);

    private EtcdBench() {}

    static void run(Args args) throws Exception {
        int workers = args.integer("workers", 10_000);
        int connections = args.integer("connections", 16);
        Duration warmup = args.duration("warmup", Duration.ofSeconds(3));
        Duration duration = args.duration("duration", Duration.ofSeconds(10));
        double routeRate = args.number("route-rate", 1000);
        int failovers = args.integer("failovers", 3);
        java.util.Set<String> phases = java.util.Set.of(args.string("phases", "registrations,heartbeats,route,failover").split(","));
        // Leases outlive the run: ids registered once and never renewed (and the reference's leases) would otherwise
        // expire in bulk while a later phase measures, which a fleet that heartbeats never does.
        Duration expiry = args.duration("lease-ttl", Duration.ofMinutes(30));
        Harness.header("etcd", String.format("workers=%d connections=%d warmup=%s duration=%s lease-ttl=%s route-rate=%.0f/s failovers=%d phases=%s",
                workers, connections, warmup, duration, expiry, routeRate, failovers, String.join(",", new java.util.TreeSet<>(phases))));
        Path dir = Harness.scratch("etcd");
        DevPki pki = Harness.pki(dir);
        Fleet fleet = new Fleet(pki);
        try (EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), pki, 1); Client client = client(etcd, pki)) {
            ControllerApplication controller = Harness.controller(pki, dir.resolve("c1"), settings(etcd, pki, dir.resolve("c1"), expiry));
            try (LoadGenerator generator = LoadGenerator.create(Harness.local(controller.port()), pki.adminMaterial("admin"), 1)) {
                if (phases.contains("registrations")) {
                    registrations(etcd, client, generator, fleet, connections, warmup, duration, expiry);
                }
                if (phases.contains("heartbeats") || phases.contains("route")) {
                    LoadGenerator.Result primed = generator.run(seq -> LoadGenerator.Request.postJson("/register",
                            fleet.registration(Fleet.workerId(seq), seq)),
                            new LoadGenerator.Options(connections, Duration.ZERO, Duration.ofMinutes(10), 0, workers, Duration.ofSeconds(60)));
                    System.out.printf("# registered %d workers: %s%n", workers, primed.summary());
                }
                if (phases.contains("heartbeats")) {
                    heartbeats(etcd, client, generator, fleet, workers, connections, warmup, duration, expiry);
                }
                if (phases.contains("route")) {
                    LoadGenerator.RequestSource route = seq -> LoadGenerator.Request.postJson("/route",
                            "{\"verb\":\"greet\",\"capability\":\"bench_" + (seq % Fleet.CAPABILITY_KINDS) + "\"}");
                    LoadGenerator.Options paced = LoadGenerator.Options.openLoop(routeRate, connections, warmup, duration);
                    route("route on etcd N=" + workers + " @" + (int) routeRate + "/s", generator.run(route, paced));
                    // Routing reads the local index only: with etcd stopped it must not change.
                    etcd.killAll();
                    try {
                        route("route on etcd N=" + workers + " @" + (int) routeRate + "/s, etcd stopped", generator.run(route, paced));
                    } finally {
                        etcd.restartAll();
                    }
                }
            } finally {
                controller.close();
            }
            if (phases.contains("failover")) {
                failover(etcd, pki, dir, failovers);
            }
        } finally {
            Harness.deleteQuietly(dir);
        }
    }

    /** Registrations of new ids through the controller, between two measurements of etcd's lease-grant + put. */
    private static void registrations(EtcdCluster etcd, Client client, LoadGenerator generator, Fleet fleet, int connections, Duration warmup,
                                      Duration duration, Duration ttl) throws InterruptedException {
        String value = fleet.registration(Fleet.workerId(0), 0);
        AtomicLong rawKeys = new AtomicLong();
        Supplier<Rate> grantPutRate = () -> closedLoop(etcd, connections, warmup, duration, seq -> client.getLeaseClient()
                .grant(ttl.toSeconds()).thenCompose(lease -> client.getKVClient().put(bytes("/bench/raw/" + rawKeys.incrementAndGet()), bytes(value),
                        PutOption.builder().withLeaseId(lease.getID()).build())));
        Rate before = grantPutRate.get();
        Harness.result("etcd lease-grant+put (before)", "%.0f/s (jetcd, %d in flight; %s)", before.perSecond(), connections, before.cpu());
        Measured registered = measured(etcd, generator, warmup, duration, connections, "/register",
                (prefix, seq) -> fleet.registration(prefix + seq, seq));
        Rate after = grantPutRate.get();
        Harness.result("etcd lease-grant+put (after)", "%.0f/s (jetcd, %d in flight; %s)", after.perSecond(), connections, after.cpu());
        // etcd slows as it holds more leases and keys, and every phase adds some: the rate before was measured on the
        // smallest store, so the share of it is the strictest of the two figures.
        double rate = registered.result().throughput();
        Harness.result("registrations on etcd", "%.0f/s = %.0f %% of etcd's lease-grant+put (mean of before and after), %.0f %% of the rate before"
                        + "  (%s; %s)", rate, 100 * rate / ((before.perSecond() + after.perSecond()) / 2), 100 * rate / before.perSecond(),
                registered.cpu(), registered.result().summary());
    }

    /** Heartbeats of the registered workers, between two measurements of etcd's keep-alive on as many leases. */
    private static void heartbeats(EtcdCluster etcd, Client client, LoadGenerator generator, Fleet fleet, int workers, int connections,
                                   Duration warmup, Duration duration, Duration ttl) throws Exception {
        List<CompletableFuture<Long>> granted = new ArrayList<>(workers);
        Semaphore slots = new Semaphore(connections);
        for (int i = 0; i < workers; i++) {
            slots.acquire();
            granted.add(client.getLeaseClient().grant(ttl.toSeconds()).thenApply(lease -> lease.getID()).whenComplete((id, error) -> slots.release()));
        }
        List<Long> leases = new ArrayList<>(workers);
        for (CompletableFuture<Long> lease : granted) {
            leases.add(lease.get(60, TimeUnit.SECONDS));
        }
        Supplier<Rate> keepAliveRate = () -> closedLoop(etcd, connections, warmup, duration,
                seq -> client.getLeaseClient().keepAliveOnce(leases.get((int) (seq % workers))));
        Rate before = keepAliveRate.get();
        Harness.result("etcd keep-alive N=" + workers + " (before)", "%.0f/s (jetcd keepAliveOnce, %d in flight; %s)", before.perSecond(),
                connections, before.cpu());
        Measured heartbeats = measured(etcd, generator, warmup, duration, connections, "/heartbeat", (prefix, seq) -> fleet.heartbeat(seq % workers));
        Rate after = keepAliveRate.get();
        Harness.result("etcd keep-alive N=" + workers + " (after)", "%.0f/s (jetcd keepAliveOnce, %d in flight; %s)", after.perSecond(),
                connections, after.cpu());
        double rate = heartbeats.result().throughput();
        Harness.result("heartbeats on etcd N=" + workers, "%.0f/s = %.0f %% of etcd's keep-alive (mean of before and after), %.0f %% of the rate"
                        + " before  (%s; %s)", rate, 100 * rate / ((before.perSecond() + after.perSecond()) / 2), 100 * rate / before.perSecond(),
                heartbeats.cpu(), heartbeats.result().summary());
    }

    private record Rate(double perSecond, String cpu) {}

    private record Measured(LoadGenerator.Result result, String cpu) {}

    /**
     * A closed loop through the controller: a warm-up run first (bodies made with the prefix
     * {@code bench-warm-}), then the measured one ({@code bench-new-}), so that its CPU time is the measured requests' alone.
     */
    private static Measured measured(EtcdCluster etcd, LoadGenerator generator, Duration warmup, Duration duration, int connections, String path,
                                     java.util.function.BiFunction<String, Long, String> body) throws InterruptedException {
        generator.run(seq -> LoadGenerator.Request.postJson(path, body.apply("bench-warm-", seq)),
                LoadGenerator.Options.closedLoop(connections, Duration.ZERO, warmup).withTimeout(Duration.ofSeconds(60)));
        AtomicLong slice = new AtomicLong();
        Harness.untilCompiled(path, SETTLE_SLICE, () -> {
            String prefix = "bench-warm-" + slice.incrementAndGet() + "-";
            generator.run(seq -> LoadGenerator.Request.postJson(path, body.apply(prefix, seq)),
                    LoadGenerator.Options.closedLoop(connections, Duration.ZERO, SETTLE_SLICE).withTimeout(Duration.ofSeconds(60)));
        });
        CpuPerCall threads = new CpuPerCall();
        threads.begin();
        long compiling = Harness.jitMillis();
        Cpu start = Cpu.now(etcd);
        LoadGenerator.Result result = generator.run(seq -> LoadGenerator.Request.postJson(path, body.apply("bench-new-", seq)),
                LoadGenerator.Options.closedLoop(connections, Duration.ZERO, duration).withTimeout(Duration.ofSeconds(60)));
        long operations = Math.max(1, Math.round(result.throughput() * duration.toNanos() / 1e9));
        String cpu = start.perOperation(etcd, operations);
        System.out.printf("# %s CPU by thread group: %s; JIT compiling %d ms in the phase%n", path, threads.end(operations),
                Harness.jitMillis() - compiling);
        return new Measured(result, cpu);
    }

    /** CPU time of this process (controller, load generator, jetcd) and of etcd, to divide by a phase's operations. */
    private record Cpu(long processNanos, long etcdNanos) {
        static Cpu now(EtcdCluster etcd) {
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            return new Cpu(os.getProcessCpuTime(), etcd.cpuTime().toNanos());
        }

        /** "this process X us + etcd Y us per operation" since {@code start}, over {@code operations}. */
        String perOperation(EtcdCluster etcd, long operations) {
            Cpu end = now(etcd);
            return String.format("CPU per operation: this process %.0f us + etcd %.0f us", (end.processNanos - processNanos) / 1e3 / operations,
                    (end.etcdNanos - etcdNanos) / 1e3 / operations);
        }
    }

    private static void route(String name, LoadGenerator.Result paced) {
        Harness.result(name, "p50 %.0f us p99 %.0f us p99.9 %.0f us  (%s)", paced.micros(50), paced.micros(99), paced.micros(99.9), paced.summary());
    }

    /**
     * Two controllers on fixed ports and hello-world with both URLs, heartbeat 1 s: close the one it
     * talks to, time until the other acknowledges its heartbeat, start the closed one again; repeat.
     */
    private static void failover(EtcdCluster etcd, DevPki pki, Path dir, int runs) throws Exception {
        Duration expiry = Duration.ofSeconds(30);
        int[] ports = {freePort(), freePort()};
        ControllerApplication[] controllers = new ControllerApplication[2];
        for (int i = 0; i < 2; i++) {
            controllers[i] = controllerOn(etcd, pki, dir.resolve("f" + i), ports[i], expiry);
        }
        List<URI> urls = List.of(Harness.local(ports[0]), Harness.local(ports[1]));
        HelloWorldWorker worker = new HelloWorldWorker(WorkerConfig.builder(HelloWorldWorker.WORKER_ID, pki.workerMaterial(HelloWorldWorker.WORKER_ID))
                .bindHost("127.0.0.1").port(0).dataDir(dir.resolve("hello")).controllerUrls(urls).heartbeatInterval(Duration.ofSeconds(1)).build());
        worker.start();
        try (CrankClient admin = CrankClient.builder(pki.adminMaterial("admin")).build()) {
            URI status = Harness.local(worker.port()).resolve("/status");
            awaitAcknowledged(admin, status, -1, null);
            for (int run = 0; run < runs; run++) {
                var registration = admin.get(status, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).json().path("registration");
                int current = registration.path("controller_url").asText().equals(urls.get(0).toString()) ? 0 : 1;
                long acknowledged = registration.path("heartbeats_acknowledged").asLong();
                long closed = System.nanoTime();
                controllers[current].close();
                awaitAcknowledged(admin, status, acknowledged, urls.get(1 - current));
                double seconds = (System.nanoTime() - closed) / 1e9;
                Harness.result("failover run " + (run + 1), "%.2f s from closing the controller to a heartbeat acknowledged by the other "
                        + "(heartbeat 1 s, registrations %d)", seconds,
                        admin.get(status, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).json().path("registration").path("registrations").asLong());
                controllers[current] = controllerOn(etcd, pki, dir.resolve("f" + current + "-" + run), ports[current], expiry);
                Harness.sleep(Duration.ofSeconds(2));
            }
        } finally {
            worker.close();
            for (ControllerApplication controller : controllers) {
                controller.close();
            }
        }
    }

    private static void awaitAcknowledged(CrankClient admin, URI status, long after, URI by) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var registration = admin.get(status, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).json().path("registration");
            if (registration.path("heartbeats_acknowledged").asLong() > after
                    && (by == null || registration.path("controller_url").asText().equals(by.toString()))) {
                return;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no heartbeat acknowledged within 60 s");
    }

    private static ControllerSettings settings(EtcdCluster etcd, DevPki pki, Path dataDir, Duration expiry) {
        return ControllerSettings.defaults(dataDir).withHeartbeatTimeout(expiry)
                .withStore(new EtcdRegistryStore(EtcdSettings.of(etcd.clientUrls(), pki.controllerMaterial()), expiry));
    }

    private static ControllerApplication controllerOn(EtcdCluster etcd, DevPki pki, Path dataDir, int port, Duration expiry) {
        ControllerApplication controller = new ControllerApplication(WorkerConfig.builder(ControllerApplication.CONTROLLER_ID,
                pki.controllerMaterial()).bindHost("127.0.0.1").port(port).dataDir(dataDir).build(), settings(etcd, pki, dataDir, expiry));
        controller.start();
        return controller;
    }

    /** Operations per second with {@code inFlight} outstanding, over {@code duration} after {@code warmup}, and their CPU time. */
    private static Rate closedLoop(EtcdCluster etcd, int inFlight, Duration warmup, Duration duration, LongFunction<CompletableFuture<?>> operation) {
        try {
            return measure(etcd, inFlight, warmup, duration, operation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Rate measure(EtcdCluster etcd, int inFlight, Duration warmup, Duration duration, LongFunction<CompletableFuture<?>> operation)
            throws InterruptedException {
        AtomicLong seq = new AtomicLong();
        drive(inFlight, warmup, seq, operation);
        Harness.untilCompiled("reference", SETTLE_SLICE, () -> drive(inFlight, SETTLE_SLICE, seq, operation));
        CpuPerCall threads = new CpuPerCall();
        threads.begin();
        Cpu cpu = Cpu.now(etcd);
        long total = drive(inFlight, duration, seq, operation);
        String used = cpu.perOperation(etcd, Math.max(1, total));
        System.out.printf("# reference CPU by thread group: %s%n", threads.end(Math.max(1, total)));
        return new Rate(total / (duration.toNanos() / 1e9), used);
    }

    /** Runs {@code operation} with {@code inFlight} outstanding for {@code duration}; the operations completed, all of them awaited. */
    private static long drive(int inFlight, Duration duration, AtomicLong seq, LongFunction<CompletableFuture<?>> operation)
            throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            slots.acquire();
            operation.apply(seq.getAndIncrement()).whenComplete((ignored, error) -> {
                if (error != null) {
                    failed.incrementAndGet();
                }
                done.incrementAndGet();
                slots.release();
            });
        }
        long completed = done.get();
        slots.acquire(inFlight);
        if (failed.get() > 0) {
            System.out.printf("# %d operations failed%n", failed.get());
        }
        return completed;
    }

    private static Client client(EtcdCluster etcd, DevPki pki) throws Exception {
        var tls = pki.controllerMaterial();
        return Client.builder().endpoints(etcd.clientUrls())
                .sslContext(GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.OPENSSL)
                        .keyManager(tls.certificateChain().toFile(), tls.privateKey().toFile())
                        .trustManager(tls.trustedCa().toFile()).build())
                .build();
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
