package dev.crank.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankJson;
import dev.crank.core.DevPki;
import dev.crank.core.testing.Await;
import dev.crank.core.testing.EtcdCluster;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two registries (two controllers) on one real etcd member over mutual TLS. */
class EtcdRegistryStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;

    private static DevPki pki;
    private static EtcdCluster etcd;
    private static int prefixes;

    private final List<Registry> opened = new ArrayList<>();
    private String prefix;

    @BeforeAll
    static void startEtcd() {
        EtcdCluster.assumeInstalled();
        pki = DevPki.open(dir.resolve("pki"));
        etcd = EtcdCluster.start(dir.resolve("etcd"), pki, 1);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @AfterEach
    void close() {
        opened.forEach(Registry::close);
    }

    private Registry controller(Duration heartbeatTimeout) {
        if (prefix == null) {
            prefix = "/crank/test-" + (++prefixes) + "/";
        }
        EtcdSettings settings = EtcdSettings.of(etcd.clientUrls(), pki.controllerMaterial()).withPrefix(prefix);
        ControllerSettings controller = ControllerSettings.defaults(dir.resolve("unused")).withHeartbeatTimeout(heartbeatTimeout)
                .withStore(new EtcdRegistryStore(settings, heartbeatTimeout));
        Registry registry = new Registry(Clock.systemUTC(), controller, new Contracts());
        opened.add(registry);
        registry.restore();
        return registry;
    }

    private static List<CapabilitySchema> greet(String version) {
        return List.of(CapabilitySchema.builder("greet", "hello_world").version(version).build());
    }

    @Test
    void aRegistrationOnOneControllerIsRoutableOnTheOtherAndEitherRenewsIt() {
        Registry a = controller(Duration.ofSeconds(30));
        Registry b = controller(Duration.ofSeconds(30));
        a.register("crank-a", URI.create("https://localhost:1"), greet("1.0.0"), CrankJson.object());

        assertThat(a.healthyFor("greet:hello_world")).extracting(RegisteredWorker::workerId).containsExactly("crank-a");
        Await.until("b follows a's registration", WAIT, () -> b.healthyFor("greet:hello_world").size() == 1);
        assertThat(b.heartbeat("crank-a", CrankJson.object())).as("a heartbeat on the other controller renews the lease").isTrue();
        assertThat(b.heartbeat("crank-unknown", CrankJson.object())).isFalse();
        Await.until("both count two controllers", WAIT, () -> a.liveControllers() == 2 && b.liveControllers() == 2);

        assertThat(b.deregister("crank-a")).isTrue();
        assertThat(b.healthyFor("greet:hello_world")).as("gone on the controller that answered").isEmpty();
        Await.until("a follows the deregistration", WAIT, () -> a.worker("crank-a").isEmpty());
        assertThat(a.heartbeat("crank-a", CrankJson.object())).isFalse();
    }

    @Test
    void aRestartedControllerLoadsTheSharedRegistryAsRoutable() {
        Registry a = controller(Duration.ofSeconds(30));
        a.register("crank-a", URI.create("https://localhost:1"), greet("1.0.0"), CrankJson.object());
        a.close();
        opened.remove(a);

        Registry again = controller(Duration.ofSeconds(30));
        assertThat(again.healthyFor("greet:hello_world")).as("its lease is alive: no re-registration needed")
                .extracting(RegisteredWorker::workerId).containsExactly("crank-a");
        assertThat(again.heartbeat("crank-a", CrankJson.object())).isTrue();
    }

    @Test
    void twoControllersCannotAcceptConflictingContracts() {
        Registry a = controller(Duration.ofSeconds(30));
        Registry b = controller(Duration.ofSeconds(30));
        a.register("crank-a", URI.create("https://localhost:1"), greet("1.0.0"), CrankJson.object());

        assertThatThrownBy(() -> b.register("crank-b", URI.create("https://localhost:2"), greet("2.0.0"), CrankJson.object()))
                .isInstanceOfSatisfying(CrankException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("VERSION_CONFLICT");
                });
        b.register("crank-b", URI.create("https://localhost:2"), greet("1.1.0"), CrankJson.object());
        Await.until("a sees both", WAIT, () -> a.healthyFor("greet:hello_world").size() == 2);
    }

    @Test
    void conflictingRegistrationsRacingOnTwoControllersNeverBothWin() throws Exception {
        Registry a = controller(Duration.ofSeconds(30));
        Registry b = controller(Duration.ofSeconds(30));
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 20; i++) {
                List<CapabilitySchema> one = List.of(CapabilitySchema.builder("greet", "race_" + i).version("1.0.0").build());
                List<CapabilitySchema> two = List.of(CapabilitySchema.builder("greet", "race_" + i).version("2.0.0").build());
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                String first = "crank-a-" + i;
                String second = "crank-b-" + i;
                var onA = threads.submit(() -> outcome(start, () -> a.register(first, URI.create("https://localhost:1"), one, CrankJson.object())));
                var onB = threads.submit(() -> outcome(start, () -> b.register(second, URI.create("https://localhost:2"), two, CrankJson.object())));
                start.countDown();
                List<String> outcomes = List.of(onA.get(), onB.get());
                assertThat(outcomes).as("race " + i).containsExactlyInAnyOrder("accepted", "409 VERSION_CONFLICT");
                String key = "greet:race_" + i;
                Await.until("both views agree on " + key, WAIT, () -> a.healthyFor(key).size() == 1 && b.healthyFor(key).size() == 1
                        && a.healthyFor(key).get(0).workerId().equals(b.healthyFor(key).get(0).workerId()));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static String outcome(java.util.concurrent.CountDownLatch start, Runnable registration) throws InterruptedException {
        start.await();
        try {
            registration.run();
            return "accepted";
        } catch (CrankException e) {
            return e.status() + " " + e.code();
        }
    }

    @Test
    void aWorkerNobodyRenewsExpiresFromEveryController() {
        Registry a = controller(Duration.ofSeconds(2));
        Registry b = controller(Duration.ofSeconds(2));
        a.register("crank-a", URI.create("https://localhost:1"), greet("1.0.0"), CrankJson.object());
        Await.until("b follows", WAIT, () -> b.worker("crank-a").isPresent());

        Await.until("the lease runs out and both forget the worker", WAIT,
                () -> a.worker("crank-a").isEmpty() && b.worker("crank-a").isEmpty());
        assertThat(a.heartbeat("crank-a", CrankJson.object())).as("it must register again").isFalse();
    }

    @Test
    void aCertificateFromAnotherAuthorityIsAClearErrorWithinTheDeadline() {
        DevPki other = DevPki.open(dir.resolve("other-pki"));
        EtcdSettings settings = EtcdSettings.of(etcd.clientUrls(), other.controllerMaterial()).withCallTimeout(Duration.ofSeconds(3));
        try (EtcdRegistryStore store = new EtcdRegistryStore(settings, Duration.ofSeconds(30))) {
            assertThatThrownBy(store::load).isInstanceOf(RegistryStore.StoreUnavailableException.class)
                    .hasMessageContaining(etcd.clientUrls().get(0).toString())
                    .hasMessageContaining("other-pki");
        }
    }

    @Test
    void aViewThatFellBehindACompactionListsAgainAndReportsTheDifference() throws Exception {
        String own = "/crank/compaction-test/";
        EtcdSettings settings = EtcdSettings.of(etcd.clientUrls(), pki.controllerMaterial()).withPrefix(own);
        EtcdKeys keys = new EtcdKeys(own);
        try (io.etcd.jetcd.Client client = EtcdRegistryStore.client(settings)) {
            var kv = client.getKVClient();
            kv.put(keys.worker("crank-old"), EtcdKeys.bytes("{\"worker_id\":\"crank-old\"}")).get(5, java.util.concurrent.TimeUnit.SECONDS);
            EtcdView view = new EtcdView(kv, client.getWatchClient(), keys, Duration.ofSeconds(5));
            try {
                assertThat(view.load()).extracting(RegistryStore.Stored::workerId).containsExactly("crank-old");
                // While nobody follows: one removal, one addition, then a compaction past both.
                kv.delete(keys.worker("crank-old")).get(5, java.util.concurrent.TimeUnit.SECONDS);
                long revision = kv.put(keys.worker("crank-new"), EtcdKeys.bytes("{\"worker_id\":\"crank-new\"}"))
                        .get(5, java.util.concurrent.TimeUnit.SECONDS).getHeader().getRevision();
                kv.compact(revision).get(5, java.util.concurrent.TimeUnit.SECONDS);

                java.util.Map<String, java.util.Optional<com.fasterxml.jackson.databind.node.ObjectNode>> seen = new java.util.concurrent.ConcurrentHashMap<>();
                view.follow(seen::putAll);
                Await.until("the re-list reports the removal and the addition", WAIT,
                        () -> seen.containsKey("crank-old") && seen.containsKey("crank-new"));
                assertThat(seen.get("crank-old")).isEmpty();
                assertThat(seen.get("crank-new")).isPresent();

                kv.put(keys.worker("crank-later"), EtcdKeys.bytes("{\"worker_id\":\"crank-later\"}")).get(5, java.util.concurrent.TimeUnit.SECONDS);
                Await.until("the watch resumed after the re-list", WAIT, () -> seen.containsKey("crank-later"));
            } finally {
                view.close();
            }
        }
    }

    @Test
    void concurrentRegistrationsBeyondOneTransactionAreSplitWithinEtcdsOperationLimit() throws Exception {
        Registry a = controller(Duration.ofSeconds(30));
        Registry b = controller(Duration.ofSeconds(30));
        // 300 registrations of 5 capabilities each (weight 6): at least 15 transactions of at most 128 operations.
        List<CapabilitySchema> five = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            five.add(CapabilitySchema.builder("greet", "bulk_" + k).version("1.0.0").build());
        }
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(32);
        try {
            List<java.util.concurrent.Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String id = "crank-bulk-" + i;
                calls.add(callers.submit(() -> a.register(id, URI.create("https://localhost:1"), five, CrankJson.object())));
            }
            for (java.util.concurrent.Future<?> call : calls) {
                call.get(60, java.util.concurrent.TimeUnit.SECONDS); // rethrows a 503 (etcd refused too large a transaction)
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(a.size()).as("every acknowledged registration is routable at once on the controller that took it").isEqualTo(300);
        assertThat(a.healthyFor("greet:bulk_4")).hasSize(300);
        Await.until("the other controller follows all of them", WAIT, () -> b.size() == 300);
        assertThat(b.healthyFor("greet:bulk_0")).hasSize(300);
        assertThat(b.heartbeat("crank-bulk-299", CrankJson.object())).isTrue();
    }

    @Test
    void aRegistrationTooLargeForOneTransactionIsRefusedWithoutTouchingEtcd() {
        Registry a = controller(Duration.ofSeconds(30));
        List<CapabilitySchema> many = new ArrayList<>();
        for (int k = 0; k < EtcdRegistryStore.MAX_TXN_OPS; k++) {
            many.add(CapabilitySchema.builder("greet", "many_" + k).version("1.0.0").build());
        }
        assertThatThrownBy(() -> a.register("crank-many", URI.create("https://localhost:1"), many, CrankJson.object()))
                .isInstanceOfSatisfying(CrankException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("TOO_MANY_CAPABILITIES");
                });
        a.register("crank-many", URI.create("https://localhost:1"), many.subList(0, EtcdRegistryStore.MAX_TXN_OPS - 1), CrankJson.object());
        assertThat(a.worker("crank-many")).isPresent();
    }

    @Test
    void plainHttpEndpointsAreRefused() {
        assertThatThrownBy(() -> EtcdSettings.parseEndpoints("https://127.0.0.1:2379,http" + "://127.0.0.1:2380"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HTTPS with mutual TLS only");
    }
}
