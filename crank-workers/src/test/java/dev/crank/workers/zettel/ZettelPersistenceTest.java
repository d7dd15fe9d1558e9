package dev.crank.workers.zettel;

import static dev.crank.testing.CrankAssertions.assertThat;
import static dev.crank.workers.zettel.ZettelFixtures.SONNET_130;
import static dev.crank.workers.zettel.ZettelFixtures.SONNET_18;
import static dev.crank.workers.zettel.ZettelFixtures.VOLTA;
import static dev.crank.workers.zettel.ZettelFixtures.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.HealthState;
import dev.crank.testing.CrankPlatform;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files are the source of truth: restarts, hand edits, corrupt files and concurrent writers. */
class ZettelPersistenceTest {

    @TempDir
    Path dir;

    private CrankPlatform platform;
    private ZettelWorker worker;
    private ZettelFixtures zettels;
    private Path folder;

    @BeforeEach
    void start() {
        platform = CrankPlatform.start(dir);
        worker = platform.worker(ZettelWorker.WORKER_ID, ZettelWorker::new);
        zettels = new ZettelFixtures(platform, worker);
        folder = dir.resolve(ZettelWorker.WORKER_ID).resolve("zettels");
    }

    @AfterEach
    void stop() {
        platform.close();
    }

    @Test
    void restartKeepsEveryZettelLinkAndSearchHit() {
        zettels.store("sonnet-18", SONNET_18, "poetry", "sonnet");
        zettels.store("sonnet-130", SONNET_130, "poetry", "sonnet", "parody");
        zettels.store("volta", VOLTA, "form", "sonnet");
        zettels.ok(op("store").put("content", "Title: \"quoted\"\nsecond line").put("title", "A: \"tricky\"\ntitle"));
        zettels.ok(op("update").put("id", "sonnet-130").put("title", "My mistress' eyes"));
        zettels.store("scratch", "to be deleted", "misc");
        zettels.ok(op("delete").put("id", "scratch"));
        JsonNode listBefore = zettels.ok(op("list"));
        JsonNode searchBefore = zettels.ok(op("search").put("query", "sonnet OR summer OR tricky"));
        JsonNode linksBefore = zettels.ok(op("links").put("id", "sonnet-18"));
        List<JsonNode> retrievedBefore = retrieveAll(listBefore);

        restart();

        platform.awaitRegistered(worker);
        assertThat(zettels.ok(op("list"))).isEqualTo(listBefore);
        assertThat(listBefore.get("total").asInt()).isEqualTo(4);
        assertThat(retrieveAll(listBefore)).isEqualTo(retrievedBefore);
        assertThat(zettels.ok(op("search").put("query", "sonnet OR summer OR tricky"))).isEqualTo(searchBefore);
        assertThat(searchBefore.get("total_hits").asInt()).isEqualTo(4);
        assertThat(zettels.ok(op("links").put("id", "sonnet-18"))).isEqualTo(linksBefore);
        assertThat(linksBefore.get("backlinks")).extracting(z -> z.get("id").asText()).containsExactly("sonnet-130", "volta");
        assertThat(zettels.invoke(op("retrieve").put("id", "scratch"))).isProblem(404, "ZETTEL_NOT_FOUND");
    }

    @Test
    void handEditedFilesArePickedUpAndCorruptFilesAreSkippedAndReported() throws Exception {
        zettels.store("sonnet-18", SONNET_18, "poetry", "sonnet");
        zettels.store("volta", VOLTA, "form");
        worker.close();

        Path sonnet = folder.resolve("sonnet-18.md");
        String edited = Files.readString(sonnet).replace("title: \"Sonnet 18\"", "title: \"Sonnet XVIII (edited)\"")
                .replace("category: \"poetry\"", "category: \"verse\"") + "An added line about the nightingale.\n";
        Files.writeString(sonnet, edited);
        Files.writeString(folder.resolve("couplet.md"), "# The couplet\n\nTwo rhyming lines that close a sonnet; see [[volta]].\n");
        Files.writeString(folder.resolve("broken.md"), "---\ntitle: [never closed\n---\nbody\n");
        Files.writeString(folder.resolve("bad name!.md"), "a zettel whose file name is not an id\n");
        Files.write(folder.resolve("latin1.md"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(folder.resolve("notes.txt"), "not a zettel file; ignored\n");
        Files.writeString(folder.resolve("volta.md.123.zettel-tmp"), "left by a crash");

        restart();

        assertThat(worker.health()).isEqualTo(HealthState.HEALTHY);
        JsonNode sonnet18 = zettels.ok(op("retrieve").put("id", "sonnet-18")).get("zettel");
        assertThat(sonnet18.get("title").asText()).isEqualTo("Sonnet XVIII (edited)");
        assertThat(sonnet18.get("category").asText()).isEqualTo("verse");
        assertThat(ids(zettels.ok(op("search").put("query", "nightingale")))).containsExactly("sonnet-18");
        JsonNode couplet = zettels.ok(op("retrieve").put("id", "couplet")).get("zettel");
        assertThat(couplet.get("title").asText()).isEqualTo("The couplet");
        assertThat(zettels.ok(op("links").put("id", "volta")).get("backlinks"))
                .extracting(z -> z.get("id").asText()).containsExactly("couplet", "sonnet-18");
        assertThat(zettels.ok(op("list")).get("total").asInt()).isEqualTo(3);

        JsonNode status = platform.get(URI.create("https://localhost:" + worker.port()), "/status").json().get("zettel_store");
        assertThat(status.get("skipped_files").asInt()).isEqualTo(3);
        assertThat(status.get("skipped")).extracting(s -> s.get("file").asText())
                .containsExactly("bad name!.md", "broken.md", "latin1.md");
        assertThat(status.get("skipped").get(1).get("reason").asText()).startsWith("the front matter is not valid YAML: ")
                .contains("line 1, column").doesNotContain("\n").doesNotContain(dir.toString());
        assertThat(folder.resolve("volta.md.123.zettel-tmp")).doesNotExist();
        assertThat(folder.resolve("broken.md")).as("a skipped file is left alone").exists();

        // Updating a hand-written file writes it back in the canonical form, keeping its content.
        zettels.ok(op("update").put("id", "couplet").set("tags", op("x").arrayNode().add("form")));
        assertThat(Files.readString(folder.resolve("couplet.md")))
                .startsWith("---\nid: \"couplet\"\ntitle: \"The couplet\"\n")
                .endsWith("# The couplet\n\nTwo rhyming lines that close a sonnet; see [[volta]].\n");
    }

    @Test
    void aSecondWorkerOnTheSameDataDirIsRefused() {
        zettels.store("volta", VOLTA, "form");

        assertThatThrownBy(() -> platform.worker(ZettelWorker.WORKER_ID, ZettelWorker::new))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use by another zettel store");
        assertThat(zettels.ok(op("retrieve").put("id", "volta")).get("zettel").get("title").asText()).isEqualTo("The volta");
    }

    @Test
    void eightThreadsStoringUpdatingAndReadingLoseNothing() throws Exception {
        int threads = 8;
        int perThread = 15;
        Map<String, String> expected = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    go.await();
                    String previous = null;
                    for (int i = 0; i < perThread; i++) {
                        String content = "Thread " + thread + " note " + i + " quatrain"
                                + (previous == null ? "" : " follows [[" + previous + "]]");
                        JsonNode stored = zettels.ok(op("store").put("content", content).put("category", "t" + thread));
                        String id = stored.get("zettel").get("id").asText();
                        String updated = content + "\nrevised couplet " + thread + "-" + i;
                        zettels.ok(op("update").put("id", id).put("content", updated));
                        expected.put(id, updated);
                        assertThat(zettels.ok(op("retrieve").put("id", id)).get("zettel").get("content").asText()).isEqualTo(updated);
                        zettels.ok(op("list").put("category", "t" + thread).put("limit", 5));
                        zettels.ok(op("search").put("query", "quatrain"));
                        previous = id;
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(expected).hasSize(threads * perThread);
        assertEveryZettelIsThere(expected, threads, perThread);
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.filter(file -> file.toString().endsWith(".md")).count()).isEqualTo(threads * perThread);
        }

        restart();
        assertEveryZettelIsThere(expected, threads, perThread);
    }

    private void assertEveryZettelIsThere(Map<String, String> expected, int threads, int perThread) {
        assertThat(zettels.ok(op("list").put("limit", 1000)).get("total").asInt()).isEqualTo(threads * perThread);
        assertThat(zettels.ok(op("search").put("query", "revised").put("limit", 1)).get("total_hits").asInt())
                .isEqualTo(threads * perThread);
        int backlinked = 0;
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            assertThat(zettels.ok(op("retrieve").put("id", entry.getKey())).get("zettel").get("content").asText())
                    .isEqualTo(entry.getValue());
            backlinked += zettels.ok(op("links").put("id", entry.getKey())).get("backlinks").size();
        }
        assertThat(backlinked).as("each thread's chain of links").isEqualTo(threads * (perThread - 1));
    }

    private void restart() {
        worker.close();
        worker = platform.worker(ZettelWorker.WORKER_ID, ZettelWorker::new);
        zettels = new ZettelFixtures(platform, worker);
    }

    private List<JsonNode> retrieveAll(JsonNode list) {
        List<JsonNode> all = new ArrayList<>();
        list.get("zettels").forEach(z -> all.add(zettels.ok(op("retrieve").put("id", z.get("id").asText()))));
        return all;
    }

    private static List<String> ids(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        answer.get("results").forEach(result -> ids.add(result.get("id").asText()));
        return ids;
    }
}
