package dev.crank.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.testing.Await;
import dev.crank.core.testing.EtcdCluster;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several controller processes of the shaded jar sharing one registry in a real etcd (over mutual
 * TLS): fail-over of a worker without re-registration, restarts, etcd's leader killed during a
 * registration burst, and etcd down altogether.
 */
class HighAvailabilityIT {

    private static final String HELLO = "crank-hello-world";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @BeforeAll
    static void needsEtcd() {
        EtcdCluster.assumeInstalled();
    }

    private static Map<String, String> shared(EtcdCluster etcd, Duration expiry) {
        return Map.of("CRANK_REGISTRY", "etcd", "CRANK_ETCD_ENDPOINTS", etcd.endpoints(),
                "CONTROLLER_HEARTBEAT_TIMEOUT", expiry.toMillis() + "ms");
    }

    private static URI url(int port) {
        return URI.create("https://localhost:" + port);
    }

    @Test
    void aWorkerMovesToTheOtherControllerWithoutRegisteringAgainAndSurvivesRestartingThemAll() throws Exception {
        try (PlatformProcesses platform = new PlatformProcesses(dir);
             EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), platform.pki(), 1)) {
            Map<String, String> env = shared(etcd, Duration.ofSeconds(60)); // longer than restarting both controllers
            int portA = PlatformProcesses.freePort();
            int portB = PlatformProcesses.freePort();
            PlatformProcesses.Node a = platform.startController("controller-a", portA, env);
            PlatformProcesses.Node b = platform.startController("controller-b", portB, env);
            platform.awaitHealthy(a);
            platform.awaitHealthy(b);
            PlatformProcesses.Node worker = platform.startWorker("hello-world", Map.of("CONTROLLER_URL", url(portA) + "," + url(portB)));
            Await.until("registered through a", WAIT, () -> registration(platform, worker).path("heartbeats_acknowledged").asLong() > 0);
            assertThat(registration(platform, worker).path("controller_url").asText()).isEqualTo(url(portA).toString());
            Await.until("b routes to the worker registered through a", WAIT, () -> routes(platform, url(portB)));

            long acknowledged = registration(platform, worker).path("heartbeats_acknowledged").asLong();
            long failovers = registration(platform, worker).path("controller_failovers").asLong();
            platform.kill9(a);
            long killed = System.nanoTime();
            Await.until("a heartbeat acknowledged by b", WAIT, () -> {
                JsonNode registration = registration(platform, worker);
                return registration.path("controller_url").asText().equals(url(portB).toString())
                        && registration.path("heartbeats_acknowledged").asLong() > acknowledged;
            });
            double moved = (System.nanoTime() - killed) / 1e9;
            System.out.printf("[e2e] controller kill -9 -> first heartbeat acknowledged by the other after %.2f s (heartbeat %d ms)%n",
                    moved, PlatformProcesses.HEARTBEAT.toMillis());
            assertThat(routes(platform, url(portB))).isTrue();
            ClientResponse invoked = platform.postJson(url(portB).resolve("/invoke/greet/hello_world"), "{\"message\":\"still here\"}");
            assertThat(invoked.status()).as(invoked.bodyText()).isEqualTo(200);
            assertThat(registration(platform, worker).path("registrations").asLong()).as("zero re-registrations").isEqualTo(1);
            assertThat(registration(platform, worker).path("controller_failovers").asLong())
                    .as("the heartbeat that found a gone moved straight to b").isEqualTo(failovers + 1);
            assertThat(moved).as("within one heartbeat interval of the next beat").isLessThanOrEqualTo(
                    PlatformProcesses.HEARTBEAT.toMillis() * 1.1 / 1000 + 3.0);

            platform.kill9(b);
            PlatformProcesses.Node a2 = platform.startController("controller-a", portA, env);
            PlatformProcesses.Node b2 = platform.startController("controller-b", portB, env);
            platform.awaitHealthy(a2);
            platform.awaitHealthy(b2);
            Await.until("both restarted controllers route to the worker", WAIT, () -> routes(platform, url(portA)) && routes(platform, url(portB)));
            long before = registration(platform, worker).path("heartbeats_acknowledged").asLong();
            Await.until("heartbeats acknowledged again", WAIT,
                    () -> registration(platform, worker).path("heartbeats_acknowledged").asLong() > before);
            assertThat(registration(platform, worker).path("registrations").asLong())
                    .as("restarting every controller needs no re-registration").isEqualTo(1);
        }
    }

    @Test
    void withEtcdDownControllersKeepRoutingRefuseRegistrationsAndRecoverWhenItReturns() throws Exception {
        try (PlatformProcesses platform = new PlatformProcesses(dir);
             EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), platform.pki(), 1)) {
            int port = PlatformProcesses.freePort();
            PlatformProcesses.Node controller = platform.startController("controller", port, shared(etcd, Duration.ofSeconds(60)));
            platform.awaitHealthy(controller);
            PlatformProcesses.Node worker = platform.startWorker("hello-world", Map.of("CONTROLLER_URL", url(port).toString()));
            Await.until("registered", WAIT, () -> routes(platform, url(port)));

            etcd.killAll();
            Await.until("the controller reports a stale view", WAIT, () -> store(platform, url(port)).path("stale").asBoolean());
            assertThat(routes(platform, url(port))).as("routing continues from the last view").isTrue();
            ClientResponse refused = platform.postJson(url(port).resolve("/register"), registration("crank-late"));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.json().path("code").asText()).isEqualTo("STORE_UNAVAILABLE");
            assertThat(platform.get(url(port).resolve("/metrics")).bodyText()).contains("crank_registry_stale{worker_id=\"crank-controller\"} 1.0");

            etcd.restartAll();
            Await.until("the controller reports a current view", WAIT, () -> !store(platform, url(port)).path("stale").asBoolean());
            Await.until("registrations are taken again", WAIT, () -> platform.call("POST", url(port).resolve("/register"),
                    registration("crank-late")).map(ClientResponse::status).orElse(-1) == 200);
            long before = registration(platform, worker).path("heartbeats_acknowledged").asLong();
            Await.until("the worker's heartbeats renew its lease again", WAIT,
                    () -> registration(platform, worker).path("heartbeats_acknowledged").asLong() > before);
            assertThat(routes(platform, url(port))).isTrue();
            assertThat(registration(platform, worker).path("registrations").asLong()).as("etcd's return needs no re-registration").isEqualTo(1);
        }
    }

    @Test
    void killingTheEtcdLeaderDuringAThousandRegistrationsLosesNoAcknowledgedOne() throws Exception {
        try (PlatformProcesses platform = new PlatformProcesses(dir);
             EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), platform.pki(), 3)) {
            Map<String, String> env = shared(etcd, Duration.ofMinutes(10)); // nobody heartbeats these registrations
            int port = PlatformProcesses.freePort();
            PlatformProcesses.Node controller = platform.startController("controller", port, env);
            platform.awaitHealthy(controller);

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
            AtomicInteger sent = new AtomicInteger();
            ExecutorService senders = Executors.newFixedThreadPool(16);
            int leader = etcd.leader();
            for (int i = 0; i < 1000; i++) {
                String id = "crank-bulk-" + i;
                senders.execute(() -> {
                    if (sent.incrementAndGet() == 250) {
                        etcd.kill(leader);
                    }
                    int status = platform.call("POST", url(port).resolve("/register"), registration(id))
                            .map(ClientResponse::status).orElse(-1);
                    answers.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
                    if (status == 200) {
                        acknowledged.add(id);
                    }
                });
            }
            senders.shutdown();
            assertThat(senders.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
            System.out.printf("[e2e] 1000 registrations, etcd leader killed after 250 were sent: answers %s%n", answers);

            Await.until("the controller takes registrations again by itself", WAIT, () -> platform.call("POST",
                    url(port).resolve("/register"), registration("crank-after")).map(ClientResponse::status).orElse(-1) == 200);
            int fresh = PlatformProcesses.freePort();
            PlatformProcesses.Node reader = platform.startController("controller-reader", fresh, env);
            platform.awaitHealthy(reader);
            List<String> stored = workerIds(platform, url(fresh));
            assertThat(acknowledged).as("answered 200 by the controller").isNotEmpty();
            assertThat(stored).as("every acknowledged registration, as a fresh controller lists etcd").containsAll(acknowledged);
            assertThat(workerIds(platform, url(port))).as("and as the controller that took them sees it").containsAll(acknowledged);
        }
    }

    @Test
    void threeControllersTogetherNeverSendAWorkerMoreThanItsBound() throws Exception {
        try (PlatformProcesses platform = new PlatformProcesses(dir);
             EtcdCluster etcd = EtcdCluster.start(dir.resolve("etcd"), platform.pki(), 1)) {
            Map<String, String> env = shared(etcd, Duration.ofSeconds(60));
            List<URI> controllers = new ArrayList<>();
            List<PlatformProcesses.Node> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int port = PlatformProcesses.freePort();
                controllers.add(url(port));
                nodes.add(platform.startController("controller-" + i, port, env));
            }
            nodes.forEach(platform::awaitHealthy);
            PlatformProcesses.Node worker = platform.startWorker("streaming", Map.of("CONTROLLER_URL",
                    controllers.stream().map(URI::toString).collect(java.util.stream.Collectors.joining(","))));
            String key = "stream:text_events";
            Await.until("every controller sees the worker and three controllers", WAIT, () -> controllers.stream().allMatch(c ->
                    store(platform, c).path("live_controllers").asInt() == 3 && provider(platform, c, key).path("healthy").asBoolean()));
            int bound = provider(platform, controllers.get(0), key).path("max_concurrency").asInt();
            int share = (bound + 2) / 3;

            AtomicInteger mostAtWorker = new AtomicInteger();
            AtomicInteger mostViaGateways = new AtomicInteger();
            AtomicInteger mostViaOne = new AtomicInteger();
            java.util.concurrent.atomic.AtomicBoolean bursting = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (bursting.get()) {
                    int sum = 0;
                    for (URI controller : controllers) {
                        int mine = provider(platform, controller, key).path("in_flight_via_gateway").asInt();
                        mostViaOne.accumulateAndGet(mine, Math::max);
                        sum += mine;
                    }
                    mostViaGateways.accumulateAndGet(sum, Math::max);
                    platform.call("GET", worker.url().resolve("/status"), "").filter(r -> r.status() == 200).ifPresent(r ->
                            mostAtWorker.accumulateAndGet(r.json().path("in_flight_by_capability").path(key).asInt(), Math::max));
                }
            });
            sampler.start();
            String body = "{\"content\":\"one two three four five\",\"chunk_size\":1,\"interval_ms\":300}";
            List<java.util.concurrent.CompletableFuture<ClientResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 10 * bound; i++) {
                calls.add(platform.admin().send(new ClientRequest("POST", controllers.get(i % 3).resolve("/invoke/stream/text_events"),
                        Map.of("content-type", "application/json"), body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        Duration.ofSeconds(60))));
            }
            Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            for (var call : calls) {
                statuses.merge(call.get(90, TimeUnit.SECONDS).status(), 1, Integer::sum);
            }
            bursting.set(false);
            sampler.join();
            System.out.printf("[e2e] %d calls through 3 gateways, bound %d (share %d): answers %s, most in flight at the worker %d, "
                    + "via all gateways %d, via one %d%n", 10 * bound, bound, share, statuses, mostAtWorker.get(), mostViaGateways.get(), mostViaOne.get());
            assertThat(statuses).containsKey(200);
            assertThat(mostAtWorker.get()).as("never more than max_concurrency at the worker").isLessThanOrEqualTo(bound);
            assertThat(mostViaOne.get()).as("each controller admits at most its share").isLessThanOrEqualTo(share);
            assertThat(mostViaGateways.get()).as("together at most the shares").isLessThanOrEqualTo(3 * share);
        }
    }

    private static JsonNode provider(PlatformProcesses platform, URI controller, String key) {
        return platform.call("GET", controller.resolve("/catalog"), "").filter(r -> r.status() == 200)
                .map(r -> r.json().path("capabilities").path(key).path("providers").path(0))
                .orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    }

    private static String registration(String workerId) {
        return "{\"worker_id\":\"" + workerId + "\",\"worker_url\":\"https://localhost:1\","
                + "\"capabilities\":[{\"verb\":\"bulk\",\"name\":\"load\",\"version\":\"1.0.0\"}]}";
    }

    private static JsonNode registration(PlatformProcesses platform, PlatformProcesses.Node worker) {
        return platform.call("GET", worker.url().resolve("/status"), "").filter(r -> r.status() == 200)
                .map(r -> r.json().path("registration")).orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    }

    private static JsonNode store(PlatformProcesses platform, URI controller) {
        return platform.call("GET", controller.resolve("/status"), "").filter(r -> r.status() == 200)
                .map(r -> r.json().path("registry_store")).orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    }

    private static boolean routes(PlatformProcesses platform, URI controller) {
        Optional<ClientResponse> route = platform.call("POST", controller.resolve("/route"),
                "{\"verb\":\"greet\",\"capability\":\"hello_world\"}");
        return route.filter(r -> r.status() == 200).map(r -> r.json().path("worker_id").asText().equals(HELLO)).orElse(false);
    }

    private static List<String> workerIds(PlatformProcesses platform, URI controller) {
        List<String> ids = new ArrayList<>();
        String path = "/workers?limit=10000";
        while (path != null) {
            JsonNode page = platform.get(controller.resolve(path)).json();
            page.get("workers").forEach(worker -> ids.add(worker.get("worker_id").asText()));
            path = page.has("next") ? "/workers?limit=10000&after=" + page.get("next").asText() : null;
        }
        return ids;
    }
}
