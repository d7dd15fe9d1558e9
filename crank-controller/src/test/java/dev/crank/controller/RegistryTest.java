package dev.crank.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankJson;
import dev.crank.core.testing.Await;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry on its embedded database, on an injected clock. */
class RegistryTest {

    private static final List<CapabilitySchema> GREET = List.of(CapabilitySchema.builder("greet", "hello_world").version("1.0.0").build());

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final InstantSource clock = now::get;
    private final List<Registry> opened = new ArrayList<>();

    private void advance(Duration duration) {
        now.updateAndGet(instant -> instant.plus(duration));
    }

    @AfterEach
    void close() {
        opened.forEach(Registry::close);
    }

    @Test
    void expiresThenEvictsOnTheInjectedClock() {
        Registry registry = open(settings());
        registry.register("crank-a", URI.create("https://localhost:1"), GREET, CrankJson.object());

        advance(Duration.ofSeconds(90));
        assertThat(registry.healthyFor("greet:hello_world")).isNotEmpty();
        advance(Duration.ofMillis(1));
        assertThat(registry.healthyFor("greet:hello_world")).isEmpty();
        assertThat(registry.sweep()).isZero();

        assertThat(registry.heartbeat("crank-a", CrankJson.object())).isTrue();
        assertThat(registry.healthyFor("greet:hello_world")).as("a heartbeat revives an expired worker").isNotEmpty();

        advance(Duration.ofSeconds(180));
        assertThat(registry.sweep()).as("the heartbeat moved its deadline").isZero();
        advance(Duration.ofSeconds(1));
        assertThat(registry.sweep()).isEqualTo(1);
        assertThat(registry.workers()).isEmpty();
        assertThat(registry.providers("greet:hello_world")).isEmpty();
        assertThat(registry.heartbeat("crank-a", CrankJson.object())).as("evicted workers must register again").isFalse();
        assertThat(reopenedIds()).isEmpty();
    }

    @Test
    void aMassExpiryEvictsOnlyTheSilentOnesInOneSweep() {
        Registry registry = open(settings());
        for (int i = 0; i < 2_000; i++) {
            registry.register("w-" + i, URI.create("https://localhost:1"), GREET, CrankJson.object());
        }
        advance(Duration.ofSeconds(100));
        for (int i = 0; i < 2_000; i += 2) {
            registry.heartbeat("w-" + i, CrankJson.object());
        }
        advance(Duration.ofSeconds(81));

        assertThat(registry.sweep()).isEqualTo(1_000);
        assertThat(registry.size()).isEqualTo(1_000);
        assertThat(registry.healthyFor("greet:hello_world")).hasSize(1_000).allMatch(w -> Integer.parseInt(w.workerId().substring(2)) % 2 == 0);
        assertThat(reopenedIds()).hasSize(1_000);
    }

    @Test
    void concurrentRegistrationsShareOneTransaction() throws Exception {
        CountDownLatch firstBatchHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
        SqliteRegistryStore database = new SqliteRegistryStore(dir.resolve("registry.db"));
        RegistryStore observed = new ForwardingStore(database) {
            @Override
            public CompletableFuture<Void> write(List<RegistryChange> changes) {
                batches.add(changes.size());
                if (batches.size() == 1) {
                    firstBatchHeld.countDown();
                    Await.until("the test releases the first batch", Duration.ofSeconds(30), () -> release.getCount() == 0);
                }
                return super.write(changes);
            }
        };
        Registry registry = open(settings().withStore(observed));
        ExecutorService callers = Executors.newFixedThreadPool(64);
        try {
            List<Future<?>> calls = new ArrayList<>();
            calls.add(callers.submit(() -> registry.register("w-0", URI.create("https://localhost:1"), GREET, CrankJson.object())));
            firstBatchHeld.await();
            for (int i = 1; i < 64; i++) {
                String id = "w-" + i;
                calls.add(callers.submit(() -> registry.register(id, URI.create("https://localhost:1"), GREET, CrankJson.object())));
            }
            Await.until("63 registrations queued", Duration.ofSeconds(30), () -> registry.writerQueue() == 63);
            release.countDown();
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            callers.shutdownNow();
        }

        assertThat(batches).as("the 63 registrations queued behind the first fsync share the next one").containsExactly(1, 63);
        assertThat(registry.size()).isEqualTo(64);
        assertThat(reopenedIds()).hasSize(64);
    }

    @Test
    void aReadOnlyOrFullStoreRefusesWith503AndChangesNothingUntilItRecovers() throws Exception {
        SqliteRegistryStore database = new SqliteRegistryStore(dir.resolve("registry.db"));
        Registry registry = open(settings().withStore(database));
        registry.register("crank-a", URI.create("https://localhost:1"), GREET, CrankJson.object());

        database.pragma("query_only = 1");
        assertUnavailable(() -> registry.register("crank-b", URI.create("https://localhost:2"), GREET, CrankJson.object()));
        assertUnavailable(() -> registry.deregister("crank-a"));
        assertThat(registry.worker("crank-b")).isEmpty();
        assertThat(registry.worker("crank-a")).isPresent();
        assertThat(registry.healthyFor("greet:hello_world")).as("routing goes on").extracting(RegisteredWorker::workerId).containsExactly("crank-a");

        database.pragma("query_only = 0");
        long pages;
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("registry.db"));
             var statement = connection.createStatement();
             var result = statement.executeQuery("PRAGMA page_count")) {
            result.next();
            pages = result.getLong(1);
        }
        database.pragma("max_page_count = " + pages);
        ObjectNode bulky = CrankJson.object().put("notes", "x".repeat(200_000));
        assertUnavailable(() -> registry.register("crank-c", URI.create("https://localhost:3"), GREET, bulky));
        assertThat(registry.worker("crank-c")).isEmpty();

        database.pragma("max_page_count = 1073741823");
        registry.register("crank-c", URI.create("https://localhost:3"), GREET, bulky);
        assertThat(registry.deregister("crank-a")).as("recovered by itself").isTrue();
        assertThat(registry.workers()).extracting(RegisteredWorker::workerId).containsExactly("crank-c");
        assertThat(reopenedIds()).as("memory and disk agree").containsExactly("crank-c");
    }

    @Test
    void restoresFromTheDatabaseAndRoutesAfterTheFirstHeartbeat() {
        Registry first = open(settings());
        first.register("crank-a", URI.create("https://localhost:1"), GREET, CrankJson.object().put("device", "cpu"));
        first.register("crank-b", URI.create("https://localhost:2"), GREET, CrankJson.object());
        first.deregister("crank-b");
        first.close();

        Registry restored = create(settings());
        assertThat(restored.restore()).isEqualTo(1);
        assertThat(restored.healthyFor("greet:hello_world")).isEmpty();
        assertThat(restored.heartbeat("crank-a", CrankJson.object())).isTrue();
        assertThat(restored.healthyFor("greet:hello_world")).singleElement().extracting(RegisteredWorker::workerUrl)
                .isEqualTo(URI.create("https://localhost:1"));
        assertThat(restored.workers().get(0).metadata().get("device").asText()).isEqualTo("cpu");
    }

    @Test
    void importsTheFirstRoundSnapshotOnceAndSkipsBadEntries() throws Exception {
        Path legacy = dir.resolve("controller").resolve("registry.jsonl");
        Files.createDirectories(legacy.getParent());
        String good = "{\"worker_id\":\"crank-a\",\"worker_url\":\"https://localhost:8600\",\"capabilities\":[{\"verb\":\"greet\","
                + "\"name\":\"hello_world\",\"version\":\"1.0.0\"}],\"metadata\":{\"device\":\"cpu\"},\"registered_at\":\"2026-01-01T00:00:00Z\","
                + "\"last_heartbeat\":\"2026-01-01T00:00:00Z\"}";
        Files.writeString(legacy, String.join("\n", good,
                good.replace("crank-a", "crank-port").replace("8600", "99999"),
                good.replace("crank-a", "crank-secret").replace("https://localhost", "https://user:pw@localhost"),
                good.replace("crank-a", "crank-v2").replace("1.0.0", "2.0.0"),
                good.replace("crank-a", "crank-ref").replace("\"version\":\"1.0.0\"", "\"version\":\"1.0.0\",\"input_schema\":{\"$ref\":\"jar:file:/x!/s\"}"),
                good.replace("crank-a", "crank-c"),
                "{not json"), StandardCharsets.UTF_8);

        Registry registry = create(ControllerSettings.defaults(dir));
        assertThat(registry.restore()).isEqualTo(2);
        assertThat(registry.workers()).extracting(RegisteredWorker::workerId).containsExactly("crank-a", "crank-c");
        assertThat(registry.worker("crank-a").get().registeredAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(legacy).doesNotExist();
        assertThat(legacy.resolveSibling("registry.jsonl.imported")).exists();
        registry.close();

        Registry again = create(ControllerSettings.defaults(dir));
        assertThat(again.restore()).as("imported once; the database has them now").isEqualTo(2);
    }

    @Test
    void aDamagedDatabaseStopsTheStartAndIsLeftUntouched() throws Exception {
        Path file = dir.resolve("controller").resolve("registry.db");
        Files.createDirectories(file.getParent());
        byte[] garbage = "this is not an SQLite database, but it is somebody's file".repeat(100).getBytes(StandardCharsets.UTF_8);
        Files.write(file, garbage);

        Registry registry = new Registry(clock, ControllerSettings.defaults(dir), new Contracts());
        assertThatThrownBy(registry::restore).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("left untouched");
        assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
        assertThat(file.resolveSibling("registry.db-wal")).doesNotExist();
    }

    private static void assertUnavailable(Runnable change) {
        assertThatThrownBy(change::run).isInstanceOfSatisfying(CrankException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.code()).isEqualTo("STORE_UNAVAILABLE");
            assertThat(e.retryAfter()).isPresent();
        });
    }

    /** A registry on {@code settings}, not restored yet (restore() opens the store and starts the writer). */
    private Registry create(ControllerSettings settings) {
        Registry registry = new Registry(clock, settings, new Contracts());
        opened.add(registry);
        return registry;
    }

    private Registry open(ControllerSettings settings) {
        Registry registry = create(settings);
        registry.restore();
        return registry;
    }

    /** What a fresh store reads from the same file now. */
    private List<String> reopenedIds() {
        try (SqliteRegistryStore store = new SqliteRegistryStore(dir.resolve("registry.db"))) {
            return store.load().stream().map(RegistryStore.Stored::workerId).toList();
        }
    }

    private ControllerSettings settings() {
        return ControllerSettings.defaults(dir).withStateFile(dir.resolve("registry.db"))
                .withHeartbeatTimeout(Duration.ofSeconds(90)).withEvictionGrace(Duration.ofSeconds(90));
    }

    /** A real store seen through a decorator that tests use to watch or hold its batches. */
    private static class ForwardingStore implements RegistryStore {
        private final RegistryStore delegate;

        ForwardingStore(RegistryStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<Stored> load() {
            return delegate.load();
        }

        @Override
        public CompletableFuture<Void> write(List<RegistryChange> changes) {
            return delegate.write(changes);
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
