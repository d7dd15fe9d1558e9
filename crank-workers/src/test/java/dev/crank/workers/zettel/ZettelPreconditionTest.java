package dev.crank.workers.zettel;

import static dev.crank.testing.CrankAssertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;
import static dev.crank.workers.zettel.ZettelFixtures.SONNET_18;
import static dev.crank.workers.zettel.ZettelFixtures.op;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import dev.crank.testing.CrankPlatform;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entity tags and If-Match / If-None-Match on the REST views and the capability, over real mTLS. */
class ZettelPreconditionTest {

    private static final int CLIENTS = 20;
    /** Far more attempts than 20 contending clients need; a client that runs out has been starved. */
    private static final int MAX_ATTEMPTS = 500;
    private static final Duration CLIENT_TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    private CrankPlatform platform;
    private ZettelWorker worker;
    private ZettelFixtures zettels;

    @BeforeEach
    void start() {
        platform = CrankPlatform.withoutController(dir);
        worker = platform.worker(ZettelWorker.WORKER_ID, ZettelWorker::new);
        zettels = new ZettelFixtures(platform, worker);
    }

    @AfterEach
    void stop() {
        platform.close();
    }

    @Test
    void twentyConcurrentReadModifyWriteClientsWithIfMatchLoseNoUpdate() throws Exception {
        zettels.store("tally", "# Tally\n", "test");
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<CompletableFuture<Integer>> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                String line = "- client " + i + "\n";
                clients.add(CompletableFuture.supplyAsync(() -> appendWithRetry("tally", line, go), pool));
            }
            go.countDown();
            for (CompletableFuture<Integer> client : clients) {
                assertThat(client.get(3, TimeUnit.MINUTES)).as("attempts").isLessThanOrEqualTo(MAX_ATTEMPTS);
            }
        } finally {
            pool.shutdownNow();
        }

        String content = rest("GET", "/zettels/tally", null, Map.of()).json().get("content").asText();
        for (int i = 0; i < CLIENTS; i++) {
            assertThat(content).as("update of client %d", i).contains("- client " + i + "\n");
        }
        assertThat(content.lines().filter(l -> l.startsWith("- client ")).count()).isEqualTo(CLIENTS);
        assertHealthy();
    }

    @Test
    void aRestWriteWithAStaleEtagIs412AndChangesNothing() {
        ClientResponse created = rest("POST", "/zettels", "{\"id\":\"sonnet-18\",\"content\":\"first\"}", Map.of());
        String first = created.header("etag").orElseThrow();
        assertThat(created.status()).isEqualTo(201);
        assertThat(first).matches("\"[A-Za-z0-9_-]{22}\"").isEqualTo(created.json().get("etag").asText());

        ClientResponse updated = rest("PUT", "/zettels/sonnet-18", "{\"content\":\"second\"}", Map.of("if-match", first));
        String second = updated.header("etag").orElseThrow();
        assertThat(updated.status()).as(updated.bodyText()).isEqualTo(200);
        assertThat(second).isNotEqualTo(first).isEqualTo(updated.json().get("etag").asText());

        assertThat(rest("PUT", "/zettels/sonnet-18", "{\"content\":\"lost\"}", Map.of("if-match", first))).isProblem(412, "PRECONDITION_FAILED");
        assertThat(rest("DELETE", "/zettels/sonnet-18", null, Map.of("if-match", first))).isProblem(412, "PRECONDITION_FAILED");
        ClientResponse current = rest("GET", "/zettels/sonnet-18", null, Map.of());
        assertThat(current.json().get("content").asText()).isEqualTo("second");
        assertThat(current.header("etag")).contains(second);

        assertThat(rest("DELETE", "/zettels/sonnet-18", null, Map.of("if-match", second)).status()).isEqualTo(200);
        assertThat(rest("GET", "/zettels/sonnet-18", null, Map.of())).isProblem(404, "ZETTEL_NOT_FOUND");
        assertHealthy();
    }

    @Test
    void ifMatchComparesStronglyAndAcceptsStarAndLists() {
        String etag = zettels.store("sonnet-18", SONNET_18, "poetry").get("etag").asText();

        assertThat(rest("PUT", "/zettels/sonnet-18", "{\"category\":\"weak\"}", Map.of("if-match", "W/" + etag))).isProblem(412, "PRECONDITION_FAILED");
        assertThat(rest("PUT", "/zettels/sonnet-18", "{\"category\":\"other\"}", Map.of("if-match", "\"someone-else\""))).isProblem(412, "PRECONDITION_FAILED");
        ClientResponse listed = rest("PUT", "/zettels/sonnet-18", "{\"category\":\"listed\"}",
                Map.of("if-match", "\"older\", W/\"weak\", " + etag));
        assertThat(listed.status()).as(listed.bodyText()).isEqualTo(200);
        ClientResponse star = rest("PUT", "/zettels/sonnet-18", "{\"category\":\"any\"}", Map.of("if-match", "*"));
        assertThat(star.status()).as(star.bodyText()).isEqualTo(200);
        assertThat(star.json().get("category").asText()).isEqualTo("any");

        for (String malformed : List.of("unquoted", "\"open", "\"a\",", ",", "\"a\" \"b\"", "W/unquoted")) {
            assertThat(rest("PUT", "/zettels/sonnet-18", "{\"category\":\"x\"}", Map.of("if-match", malformed))).isProblem(400, "INVALID_PRECONDITION");
        }
        // Without a current zettel the precondition is not evaluated: the answer is what it would be without it.
        assertThat(rest("PUT", "/zettels/nobody", "{\"content\":\"x\"}", Map.of("if-match", "*"))).isProblem(404, "ZETTEL_NOT_FOUND");
        assertHealthy();
    }

    @Test
    void ifNoneMatchStarOnCreateRefusesAnExistingIdWith412() {
        zettels.store("sonnet-18", SONNET_18, "poetry");

        assertThat(rest("POST", "/zettels", "{\"id\":\"sonnet-18\",\"content\":\"again\"}", Map.of("if-none-match", "*"))).isProblem(412, "PRECONDITION_FAILED");
        assertThat(zettels.invoke(op("store").put("id", "sonnet-18").put("content", "again").put("if_none_match", "*"))).isProblem(412, "PRECONDITION_FAILED");
        assertThat(rest("POST", "/zettels", "{\"id\":\"fresh\",\"content\":\"x\"}", Map.of("if-none-match", "\"tag\""))).isProblem(400, "INVALID_PRECONDITION");
        ClientResponse fresh = rest("POST", "/zettels", "{\"id\":\"fresh\",\"content\":\"new\"}", Map.of("if-none-match", "*"));
        assertThat(fresh.status()).as(fresh.bodyText()).isEqualTo(201);
        assertThat(fresh.header("etag")).isPresent();
        assertThat(zettels.ok(op("retrieve").put("id", "sonnet-18")).get("zettel").get("content").asText()).isEqualTo(SONNET_18);
        assertHealthy();
    }

    @Test
    void theCapabilityAnswersEtagsAndHonoursIfMatch() {
        JsonNode stored = zettels.store("volta", "The turn.", "poetics");
        String etag = stored.get("etag").asText();
        assertThat(rest("GET", "/zettels/volta", null, Map.of()).header("etag")).contains(etag);
        assertThat(zettels.ok(op("retrieve").put("id", "volta")).get("zettel").get("etag").asText()).isEqualTo(etag);

        JsonNode updated = zettels.ok(op("update").put("id", "volta").put("content", "The turn, at line nine.").put("if_match", etag))
                .get("zettel");
        String newer = updated.get("etag").asText();
        assertThat(newer).isNotEqualTo(etag);
        assertThat(zettels.ok(op("list")).get("zettels").get(0).get("etag").asText()).isEqualTo(newer);

        assertThat(zettels.invoke(op("update").put("id", "volta").put("content", "stale").put("if_match", etag))).isProblem(412, "PRECONDITION_FAILED");
        assertThat(zettels.invoke(op("delete").put("id", "volta").put("if_match", etag))).isProblem(412, "PRECONDITION_FAILED");
        assertThat(zettels.invoke(op("update").put("id", "volta").put("if_match", newer))).isProblem(400, "INVALID_INPUT");
        assertThat(zettels.invoke(op("update").put("id", "volta").put("content", "x").put("if_match", "bare"))).isProblem(400, "INVALID_PRECONDITION");
        assertThat(rest("PUT", "/zettels/volta", "{\"content\":\"x\",\"if_match\":" + CrankJson.string(newer) + "}",
                Map.of("if-match", newer))).isProblem(400, "INVALID_PRECONDITION");
        assertThat(zettels.ok(op("delete").put("id", "volta").put("if_match", newer)).get("deleted").asBoolean()).isTrue();
        assertHealthy();
    }

    @Test
    void anEtagSurvivesARestart() {
        String etag = zettels.store("sonnet-18", SONNET_18, "poetry").get("etag").asText();

        worker.close();
        worker = platform.worker(ZettelWorker.WORKER_ID, ZettelWorker::new);
        zettels = new ZettelFixtures(platform, worker);

        assertThat(rest("GET", "/zettels/sonnet-18", null, Map.of()).header("etag")).contains(etag);
        ClientResponse updated = rest("PUT", "/zettels/sonnet-18", "{\"category\":\"after restart\"}", Map.of("if-match", etag));
        assertThat(updated.status()).as(updated.bodyText()).isEqualTo(200);
        assertHealthy();
    }

    /** GET, append {@code line}, PUT with If-Match; again on 412. Answers the attempts it took. */
    private int appendWithRetry(String id, String line, CountDownLatch go) {
        awaitQuietly(go);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            ClientResponse read = rest("GET", "/zettels/" + id, null, Map.of());
            assertThat(read.status()).as(read.bodyText()).isEqualTo(200);
            ObjectNode change = CrankJson.object().put("content", read.json().get("content").asText() + line);
            ClientResponse write = rest("PUT", "/zettels/" + id, CrankJson.string(change),
                    Map.of("if-match", read.header("etag").orElseThrow()));
            if (write.status() == 200) {
                return attempt;
            }
            assertThat(write).isProblem(412, "PRECONDITION_FAILED");
        }
        return MAX_ATTEMPTS + 1;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private ClientResponse rest(String method, String path, String json, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        if (json != null) {
            all.put("content-type", "application/json");
        }
        URI uri = URI.create("https://localhost:" + worker.port() + path);
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        return platform.admin().send(new ClientRequest(method, uri, all, body, CLIENT_TIMEOUT)).join();
    }

    private void assertHealthy() {
        assertThat(rest("GET", "/health", null, Map.of()).status()).isEqualTo(200);
    }
}
