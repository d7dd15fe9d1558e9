package dev.crank.workers.zettel;

import static dev.crank.testing.CrankAssertions.assertThat;
import static dev.crank.workers.zettel.ZettelFixtures.SONNET_130;
import dev.crank.core.ClientResponse;
import static dev.crank.workers.zettel.ZettelFixtures.SONNET_18;
import static dev.crank.workers.zettel.ZettelFixtures.VOLTA;
import static dev.crank.workers.zettel.ZettelFixtures.op;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankJson;
import dev.crank.testing.CrankPlatform;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every operation of {@code manage:zettel} through {@code /invoke} and through the REST views, over real mTLS. */
class ZettelWorkerTest {

    @TempDir
    Path dir;

    private CrankPlatform platform;
    private ZettelWorker worker;
    private ZettelFixtures zettels;

    @BeforeEach
    void start() {
        platform = CrankPlatform.start(dir);
        worker = platform.worker(ZettelWorker.WORKER_ID, ZettelWorker::new);
        zettels = new ZettelFixtures(platform, worker);
    }

    @AfterEach
    void stop() {
        platform.close();
    }

    @Test
    void registersWithTheControllerAndIsRoutable() {
        platform.awaitRegistered(worker);

        JsonNode capabilities = platform.get(platform.controllerUrl(), "/capabilities").json();
        assertThat(capabilities.get("manage:zettel").get("healthy_workers").asInt()).isEqualTo(1);
        JsonNode route = platform.route("manage", "zettel").json();
        assertThat(route.get("worker_id").asText()).isEqualTo(ZettelWorker.WORKER_ID);

        ClientResponse stored = platform.postJson(URI.create(route.get("worker_url").asText()), "/invoke/manage/zettel",
                "{\"operation\":\"store\",\"content\":\"Routed through the controller.\"}");
        assertThat(stored.status()).as(stored.bodyText()).isEqualTo(200);
        assertThat(stored.json().get("zettel").get("title").asText()).isEqualTo("Routed through the controller.");
    }

    @Test
    void storesRetrievesUpdatesAndDeletesThroughInvoke() throws Exception {
        JsonNode stored = zettels.ok(op("store").put("content", SONNET_18).put("source_agent", "poet")
                .put("category", "poetry").set("tags", op("x").arrayNode().add(" sonnet ").add("shakespeare").add("sonnet")));
        JsonNode zettel = stored.get("zettel");
        String id = zettel.get("id").asText();

        assertThat(stored.get("operation").asText()).isEqualTo("store");
        assertThat(id).matches("\\d{8}T\\d{9}Z-\\d{4}");
        assertThat(zettel.get("title").asText()).isEqualTo("Sonnet 18");
        assertThat(zettel.get("content").asText()).isEqualTo(SONNET_18);
        assertThat(zettel.get("tags")).extracting(JsonNode::asText).containsExactly("sonnet", "shakespeare");
        assertThat(zettel.get("links")).extracting(JsonNode::asText).containsExactly("volta");
        assertThat(zettel.get("created_at").asText()).isEqualTo(zettel.get("updated_at").asText());
        assertThat(Instant.parse(zettel.get("created_at").asText())).isBefore(Instant.now().plusSeconds(1));
        Path file = dir.resolve(ZettelWorker.WORKER_ID).resolve("zettels").resolve(id + ".md");
        assertThat(Files.readString(file)).startsWith("---\nid: \"" + id + "\"\ntitle: \"Sonnet 18\"\n").endsWith(SONNET_18);

        JsonNode retrieved = zettels.ok(op("retrieve").put("id", id)).get("zettel");
        assertThat(retrieved).isEqualTo(zettel);

        JsonNode updated = zettels.ok(op("update").put("id", id).put("content", "# Sonnet XVIII\nShall I compare thee?")
                .put("category", "verse")).get("zettel");
        assertThat(updated.get("title").asText()).as("a derived title follows the content").isEqualTo("Sonnet XVIII");
        assertThat(updated.get("category").asText()).isEqualTo("verse");
        assertThat(updated.get("source_agent").asText()).isEqualTo("poet");
        assertThat(updated.get("tags")).isEqualTo(zettel.get("tags"));
        assertThat(updated.get("links")).isEmpty();
        assertThat(updated.get("created_at")).isEqualTo(zettel.get("created_at"));
        assertThat(Instant.parse(updated.get("updated_at").asText())).isAfterOrEqualTo(Instant.parse(zettel.get("updated_at").asText()));

        JsonNode retitled = zettels.ok(op("update").put("id", id).put("title", "Chosen: a title")).get("zettel");
        JsonNode rewritten = zettels.ok(op("update").put("id", id).put("content", "# Another heading")).get("zettel");
        assertThat(retitled.get("title").asText()).isEqualTo("Chosen: a title");
        assertThat(rewritten.get("title").asText()).as("a chosen title stays").isEqualTo("Chosen: a title");

        JsonNode deleted = zettels.ok(op("delete").put("id", id));
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(file).doesNotExist();
        assertThat(zettels.invoke(op("retrieve").put("id", id))).isProblem(404, "ZETTEL_NOT_FOUND");
    }

    @Test
    void listsNewestFirstWithFiltersCombinedAndPages() {
        zettels.store("sonnet-18", SONNET_18, "poetry", "sonnet", "shakespeare");
        zettels.store("sonnet-130", SONNET_130, "poetry", "sonnet", "parody");
        zettels.store("volta", VOLTA, "form", "sonnet");

        JsonNode all = zettels.ok(op("list"));
        assertThat(all.get("zettels")).extracting(z -> z.get("id").asText()).containsExactly("volta", "sonnet-130", "sonnet-18");
        assertThat(all.get("total").asInt()).isEqualTo(3);
        assertThat(all.get("limit").asInt()).isEqualTo(50);
        assertThat(all.get("zettels").get(0).has("content")).isFalse();

        JsonNode filtered = zettels.ok(op("list").put("category", "poetry").put("tag", "sonnet").put("source_agent", "poet"));
        assertThat(filtered.get("zettels")).extracting(z -> z.get("id").asText()).containsExactly("sonnet-130", "sonnet-18");
        assertThat(zettels.ok(op("list").put("category", "poetry").put("tag", "parody")).get("zettels"))
                .extracting(z -> z.get("id").asText()).containsExactly("sonnet-130");
        assertThat(zettels.ok(op("list").put("category", "form").put("tag", "parody")).get("total").asInt()).isZero();
        assertThat(zettels.ok(op("list").put("source_agent", "someone else")).get("total").asInt()).isZero();

        JsonNode page = zettels.ok(op("list").put("limit", 1).put("offset", 1));
        assertThat(page.get("zettels")).extracting(z -> z.get("id").asText()).containsExactly("sonnet-130");
        assertThat(page.get("total").asInt()).isEqualTo(3);
        assertThat(zettels.ok(op("list").put("offset", 3)).get("zettels")).isEmpty();
    }

    @Test
    void searchRanksAndHighlightsWithLuceneSyntax() {
        zettels.store("sonnet-18", SONNET_18, "poetry", "sonnet", "shakespeare");
        zettels.store("sonnet-130", SONNET_130, "poetry", "sonnet", "parody");
        zettels.store("volta", VOLTA, "form", "sonnet");

        JsonNode summer = zettels.ok(op("search").put("query", "summer"));
        assertThat(summer.get("total_hits").asInt()).isEqualTo(1);
        JsonNode hit = summer.get("results").get(0);
        assertThat(hit.get("id").asText()).isEqualTo("sonnet-18");
        assertThat(hit.get("snippet").asText()).contains("compare thee to a <mark>summer&#x27;s</mark> day?");
        assertThat(hit.get("score").asDouble()).isPositive();

        JsonNode petrarchan = zettels.ok(op("search").put("query", "petrarchan"));
        assertThat(petrarchan.get("results")).extracting(z -> z.get("id").asText()).containsExactlyInAnyOrder("volta", "sonnet-130");

        assertThat(ids(zettels.ok(op("search").put("query", "rhymes")))).as("English stemming").containsExactly("volta");
        assertThat(ids(zettels.ok(op("search").put("query", "\"iambic pentameter\"")))).containsExactly("volta");
        assertThat(ids(zettels.ok(op("search").put("query", "title:volta")))).containsExactly("volta");
        assertThat(ids(zettels.ok(op("search").put("query", "tags:parody")))).containsExactly("sonnet-130");
        assertThat(ids(zettels.ok(op("search").put("query", "wire*")))).containsExactly("sonnet-130");
        assertThat(ids(zettels.ok(op("search").put("query", "category:form")))).containsExactly("volta");
        assertThat(ids(zettels.ok(op("search").put("query", "id:sonnet-130")))).containsExactly("sonnet-130");
        assertThat(ids(zettels.ok(op("search").put("query", "petrarchan AND NOT parody")))).containsExactly("volta");
        assertThat(ids(zettels.ok(op("search").put("query", "sonnet").put("category", "form")))).containsExactly("volta");
        assertThat(zettels.ok(op("search").put("query", "sonnet").put("tag", "shakespeare").put("source_agent", "poet"))
                .get("results")).extracting(z -> z.get("id").asText()).containsExactly("sonnet-18");
        assertThat(zettels.ok(op("search").put("query", "nightingale")).get("total_hits").asInt()).isZero();

        JsonNode titleFirst = zettels.ok(op("search").put("query", "volta"));
        assertThat(titleFirst.get("results").get(0).get("id").asText()).as("a title match ranks first").isEqualTo("volta");
        JsonNode paged = zettels.ok(op("search").put("query", "sonnet").put("limit", 1).put("offset", 1));
        assertThat(paged.get("results")).hasSize(1);
        assertThat(paged.get("total_hits").asInt()).isEqualTo(3);
    }

    @Test
    void linksAndBacklinksFollowEveryWrite() {
        zettels.store("sonnet-18", SONNET_18, "poetry");
        zettels.store("sonnet-130", SONNET_130, "poetry");

        JsonNode dangling = zettels.ok(op("links").put("id", "sonnet-18"));
        assertThat(dangling.get("links").get(0).get("id").asText()).isEqualTo("volta");
        assertThat(dangling.get("links").get(0).get("exists").asBoolean()).isFalse();
        assertThat(dangling.get("backlinks")).extracting(z -> z.get("id").asText()).containsExactly("sonnet-130");

        zettels.store("volta", VOLTA, "form");
        JsonNode resolved = zettels.ok(op("links").put("id", "sonnet-18"));
        assertThat(resolved.get("links").get(0).get("exists").asBoolean()).isTrue();
        assertThat(resolved.get("links").get(0).get("title").asText()).isEqualTo("The volta");
        assertThat(resolved.get("backlinks")).extracting(z -> z.get("id").asText()).containsExactly("sonnet-130", "volta");

        zettels.ok(op("update").put("id", "volta").put("content", "The turn, see [[sonnet-130]] only."));
        assertThat(zettels.ok(op("links").put("id", "sonnet-18")).get("backlinks"))
                .extracting(z -> z.get("id").asText()).containsExactly("sonnet-130");

        zettels.ok(op("delete").put("id", "sonnet-130"));
        assertThat(zettels.ok(op("links").put("id", "sonnet-18")).get("backlinks")).isEmpty();
        assertThat(zettels.ok(op("links").put("id", "volta")).get("links").get(0).get("exists").asBoolean()).isFalse();
        assertThat(zettels.invoke(op("links").put("id", "sonnet-130"))).isProblem(404, "ZETTEL_NOT_FOUND");
    }

    @Test
    void restViewsServeTheSameStore() {
        ClientResponse created = zettels.send("POST", "/zettels", "application/json",
                "{\"id\":\"sonnet-18\",\"content\":" + json(SONNET_18) + ",\"category\":\"poetry\",\"tags\":[\"sonnet\"]}");
        assertThat(created.status()).as(created.bodyText()).isEqualTo(201);
        assertThat(created.header("location")).contains("/zettels/sonnet-18");
        assertThat(created.json().get("title").asText()).isEqualTo("Sonnet 18");
        assertThat(zettels.send("POST", "/zettels", "application/json", "{\"content\":" + json(VOLTA) + ",\"category\":\"form\"}")
                .status()).isEqualTo(201);

        JsonNode fetched = zettels.get("/zettels/sonnet-18").json();
        assertThat(fetched).isEqualTo(created.json());
        assertThat(zettels.ok(op("retrieve").put("id", "sonnet-18")).get("zettel")).isEqualTo(fetched);

        ClientResponse replaced = zettels.send("PUT", "/zettels/sonnet-18", "application/json",
                "{\"title\":\"Shall I compare thee\",\"tags\":[\"sonnet\",\"summer\"]}");
        assertThat(replaced.status()).as(replaced.bodyText()).isEqualTo(200);
        assertThat(replaced.json().get("title").asText()).isEqualTo("Shall I compare thee");
        assertThat(replaced.json().get("content").asText()).isEqualTo(SONNET_18);

        JsonNode listed = zettels.get("/zettels?category=poetry&tag=summer&limit=10&offset=0").json();
        assertThat(listed.get("zettels")).extracting(z -> z.get("id").asText()).containsExactly("sonnet-18");
        assertThat(zettels.get("/zettels").json().get("total").asInt()).isEqualTo(2);
        assertThat(zettels.get("/zettels?limit=1").json().get("zettels")).hasSize(1);

        JsonNode found = zettels.get("/zettels/search?q=%22summer%27s+day%22&limit=5").json();
        assertThat(ids(found)).containsExactly("sonnet-18");
        assertThat(found.get("query").asText()).isEqualTo("\"summer's day\"");

        JsonNode links = zettels.get("/zettels/sonnet-18/links").json();
        assertThat(links.get("links").get(0).get("id").asText()).isEqualTo("volta");
        assertThat(links.get("links").get(0).get("exists").asBoolean()).isFalse();

        ClientResponse deleted = zettels.send("DELETE", "/zettels/sonnet-18", null, null);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("deleted").asBoolean()).isTrue();
        assertThat(zettels.get("/zettels/sonnet-18")).isProblem(404, "ZETTEL_NOT_FOUND");
        assertThat(zettels.send("DELETE", "/zettels/sonnet-18", null, null)).isProblem(404, "ZETTEL_NOT_FOUND");
    }

    @Test
    void statusDescribesTheStore() {
        zettels.store("volta", VOLTA, "form");

        JsonNode status = platform.get(URI.create("https://localhost:" + worker.port()), "/status").json();

        assertThat(status.get("zettel_store").get("state").asText()).isEqualTo("open");
        assertThat(status.get("zettel_store").get("zettels").asInt()).isEqualTo(1);
        assertThat(status.get("zettel_store").get("indexed_documents").asInt()).isEqualTo(1);
        assertThat(status.get("zettel_store").get("skipped_files").asInt()).isZero();
    }

    private static List<String> ids(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        answer.get("results").forEach(result -> ids.add(result.get("id").asText()));
        return ids;
    }

    private static String json(String text) {
        return CrankJson.string(text);
    }
}
