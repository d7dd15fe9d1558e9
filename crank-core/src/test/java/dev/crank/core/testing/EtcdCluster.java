package dev.crank.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.ClientResponse;
import dev.crank.core.CrankClient;
import dev.crank.core.DevPki;
import dev.crank.core.TlsMaterial;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * Real {@code etcd} child processes for tests: one member or a cluster, each on free loopback ports for
 * its client and peer URLs (both https, client certificates required), certificates from a
 * {@link DevPki}, data in a folder of the test. Without an {@code etcd} binary the test is skipped with
 * one line saying how to install it, unless {@code CI} is set: then it fails.
 *
 * <pre>{@code
 * try (EtcdCluster etcd = EtcdCluster.start(tempDir, pki, 3)) {
 *     etcd.clientUrls();      // https://127.0.0.1:port, one per member
 *     etcd.kill(etcd.leader());
 * }
 * }</pre>
 */
public final class EtcdCluster implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(30);

    private final Path dir;
    private final TlsMaterial server;
    private final TlsMaterial client;
    private final List<Member> members = new ArrayList<>();
    private final CrankClient http;

    private static final class Member {
        final String name;
        final int clientPort;
        final int peerPort;
        Process process;

        Member(String name, int clientPort, int peerPort) {
            this.name = name;
            this.clientPort = clientPort;
            this.peerPort = peerPort;
        }

        URI clientUrl() {
            return URI.create("https://127.0.0.1:" + clientPort);
        }

        String peerUrl() {
            return "https://127.0.0.1:" + peerPort;
        }
    }

    private EtcdCluster(Path dir, DevPki pki, int size) {
        this.dir = dir;
        Instant now = Instant.now();
        this.server = pki.issueWithUriNames("etcd-member", List.of(), List.of("localhost", "127.0.0.1"),
                now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)));
        this.client = pki.controllerMaterial();
        this.http = CrankClient.builder(client).connectTimeout(Duration.ofSeconds(2)).build();
        for (int i = 0; i < size; i++) {
            members.add(new Member("m" + i, freePort(), freePort()));
        }
    }

    /** Skips the calling test (or fails it when {@code CI} is set) if no {@code etcd} binary is on the PATH. */
    public static void assumeInstalled() {
        boolean installed = findEtcd() != null;
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("etcd is not installed but CI is set: apt-get install etcd-server");
        }
        Assumptions.assumeTrue(installed, "etcd not installed: skipping the etcd tests (apt-get install etcd-server)");
    }

    /**
     * Starts {@code size} members in {@code dir}, with certificates from {@code pki}, and waits until they serve.
     * Tests call {@link #assumeInstalled()} first (benchmarks use this class too, without JUnit).
     */
    public static EtcdCluster start(Path dir, DevPki pki, int size) {
        if (findEtcd() == null) {
            throw new IllegalStateException("etcd is not installed (apt-get install etcd-server); tests call assumeInstalled() first");
        }
        EtcdCluster cluster = new EtcdCluster(dir, pki, size);
        try {
            for (int i = 0; i < size; i++) {
                cluster.launch(i, "new");
            }
            cluster.awaitHealthy();
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    public List<URI> clientUrls() {
        return members.stream().map(Member::clientUrl).toList();
    }

    /** {@code https://a,https://b} as {@code CRANK_ETCD_ENDPOINTS} takes it. */
    public String endpoints() {
        return clientUrls().stream().map(URI::toString).collect(Collectors.joining(","));
    }

    /** The certificate the members trust as a client (the controller's). */
    public TlsMaterial clientMaterial() {
        return client;
    }

    public int size() {
        return members.size();
    }

    /** CPU time the running members have used so far (for benchmarks: etcd's share of a measured run). */
    public java.time.Duration cpuTime() {
        java.time.Duration total = java.time.Duration.ZERO;
        for (Member member : members) {
            if (member.process != null && member.process.isAlive()) {
                total = total.plus(member.process.info().totalCpuDuration().orElse(java.time.Duration.ZERO));
            }
        }
        return total;
    }

    /** The index of the member that leads now. */
    public int leader() {
        for (int attempt = 0; attempt < 100; attempt++) {
            for (int i = 0; i < members.size(); i++) {
                JsonNode status = status(i);
                if (status != null && status.path("leader").asText().equals(status.path("header").path("member_id").asText())) {
                    return i;
                }
            }
            pause(100);
        }
        throw new AssertionError("no etcd member says it leads");
    }

    /** SIGKILL of one member. */
    public void kill(int member) {
        Process process = members.get(member).process;
        if (process != null) {
            process.destroyForcibly();
            waitFor(process);
        }
    }

    /**
     * SIGSTOP of one member: its sockets stay open and take requests, but it answers nothing until
     * {@link #thaw}; a call to it waits, as on an overloaded or partitioned member.
     */
    public void freeze(int member) {
        signal(member, "STOP");
    }

    /** SIGCONT of a {@link #freeze frozen} member: it answers what it was sent meanwhile. */
    public void thaw(int member) {
        signal(member, "CONT");
    }

    private void signal(int member, String signal) {
        Process process = members.get(member).process;
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("etcd member " + member + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Starts a killed member again on its data (it rejoins the cluster). */
    public void restart(int member) {
        launch(member, "existing");
        awaitHealthy();
    }

    /** Kills every member. */
    public void killAll() {
        for (int i = 0; i < members.size(); i++) {
            kill(i);
        }
    }

    /** Starts every member again on its data. */
    public void restartAll() {
        for (int i = 0; i < members.size(); i++) {
            launch(i, "existing");
        }
        awaitHealthy();
    }

    private void launch(int index, String state) {
        Member member = members.get(index);
        String initialCluster = members.stream().map(m -> m.name + "=" + m.peerUrl()).collect(Collectors.joining(","));
        Path data = dir.resolve(member.name);
        List<String> command = List.of(findEtcd(),
                "--name", member.name, "--data-dir", data.toString(),
                "--listen-client-urls", member.clientUrl().toString(), "--advertise-client-urls", member.clientUrl().toString(),
                "--listen-peer-urls", member.peerUrl(), "--initial-advertise-peer-urls", member.peerUrl(),
                "--initial-cluster", initialCluster, "--initial-cluster-state", state, "--initial-cluster-token", "crank-test",
                "--cert-file", server.certificateChain().toString(), "--key-file", server.privateKey().toString(),
                "--trusted-ca-file", server.trustedCa().toString(), "--client-cert-auth",
                "--peer-cert-file", server.certificateChain().toString(), "--peer-key-file", server.privateKey().toString(),
                "--peer-trusted-ca-file", server.trustedCa().toString(), "--peer-client-cert-auth",
                "--logger", "zap", "--log-level", "warn");
        try {
            Files.createDirectories(dir);
            File log = dir.resolve(member.name + ".log").toFile();
            member.process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start etcd", e);
        }
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + READY.toNanos();
        for (int i = 0; i < members.size(); i++) {
            Member member = members.get(i);
            if (member.process == null || !member.process.isAlive()) {
                continue;
            }
            while (!healthy(member)) {
                if (!member.process.isAlive()) {
                    throw new AssertionError("etcd " + member.name + " exited; see " + dir.resolve(member.name + ".log"));
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("etcd " + member.name + " not healthy after " + READY + "; see " + dir.resolve(member.name + ".log"));
                }
                pause(100);
            }
        }
    }

    private boolean healthy(Member member) {
        try {
            ClientResponse response = http.get(member.clientUrl().resolve("/health"), Duration.ofSeconds(2)).get(3, TimeUnit.SECONDS);
            return response.status() == 200 && response.json().path("health").asText().equals("true");
        } catch (Exception e) {
            return false;
        }
    }

    private JsonNode status(int index) {
        Member member = members.get(index);
        if (member.process == null || !member.process.isAlive()) {
            return null;
        }
        try {
            ClientResponse response = http.postJson(member.clientUrl().resolve("/v3/maintenance/status"), Map.of(),
                    Duration.ofSeconds(2)).get(3, TimeUnit.SECONDS);
            return response.status() == 200 ? response.json() : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static String findEtcd() {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(folder, "etcd");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void waitFor(Process process) {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        for (Member member : members) {
            if (member.process != null) {
                member.process.destroyForcibly();
                waitFor(member.process);
            }
        }
        http.close();
    }
}
