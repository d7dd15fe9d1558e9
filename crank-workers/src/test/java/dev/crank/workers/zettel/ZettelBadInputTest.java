package dev.crank.workers.zettel;

import static dev.crank.testing.CrankAssertions.assertThat;
import static dev.crank.workers.zettel.ZettelFixtures.op;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.ServerLimits;
import dev.crank.testing.CrankPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input is a 4xx problem with a code, never a 500, and nothing is written outside the data dir.
 * One worker serves the whole class; after it stops, the folder is checked for stray files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZettelBadInputTest {

    private Path dir;
    private CrankPlatform platform;
    private ZettelWorker worker;
    private ZettelFixtures zettels;
    private Path folder;

    @BeforeAll
    void start(@TempDir Path tempDir) {
        dir = tempDir;
        platform = CrankPlatform.withoutController(dir);
        worker = platform.start(new ZettelWorker(platform.config(ZettelWorker.WORKER_ID)
                .limits(ServerLimits.defaults().withMaxContentLength(512 * 1024)).build()));
        zettels = new ZettelFixtures(platform, worker);
        folder = dir.resolve(ZettelWorker.WORKER_ID).resolve("zettels");
        zettels.store("sonnet-18", ZettelFixtures.SONNET_18, "poetry");
    }

    @AfterAll
    void stop() throws IOException {
        platform.close();
        assertOnlyExpectedFilesExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"operation\":\"explode\"}",
        "{\"operation\":42}",
        "{\"operation\":null}",
        "{\"operation\":\"store\"}",
        "{\"operation\":\"store\",\"content\":\"\"}",
        "{\"operation\":\"store\",\"content\":\"   \\n\\t \"}",
        "{\"operation\":\"store\",\"content\":42}",
        "{\"operation\":\"store\",\"content\":[\"a\"]}",
        "{\"operation\":\"store\",\"content\":\"x\",\"tags\":\"poetry\"}",
        "{\"operation\":\"store\",\"content\":\"x\",\"tags\":[1]}",
        "{\"operation\":\"store\",\"content\":\"x\",\"tags\":[\"two\\nlines\"]}",
        "{\"operation\":\"store\",\"content\":\"x\",\"category\":\"\"}",
        "{\"operation\":\"store\",\"content\":\"x\",\"title\":\" \"}",
        "{\"operation\":\"store\",\"content\":\"x\",\"unexpected\":true}",
        "{\"operation\":\"store\",\"content\":\"x\",\"id\":\"../../etc/passwd\"}",
        "{\"operation\":\"store\",\"content\":\"x\",\"id\":\"..\"}",
        "{\"operation\":\"store\",\"content\":\"x\",\"id\":\".\"}",
        "{\"operation\":\"store\",\"content\":\"x\",\"id\":\"a/b\"}",
        "{\"operation\":\"store\",\"content\":\"x\",\"id\":\"%2e%2e\"}",
        "{\"operation\":\"store\",\"content\":\"x\",\"id\":\"/etc/passwd\"}",
        "{\"operation\":\"store\",\"content\":\"x\",\"id\":\"a\\\\b\"}",
        "{\"operation\":\"store\",\"content\":\"x\",\"id\":\"\"}",
        "{\"operation\":\"retrieve\"}",
        "{\"operation\":\"retrieve\",\"id\":7}",
        "{\"operation\":\"retrieve\",\"id\":\"../sonnet-18\"}",
        "{\"operation\":\"retrieve\",\"id\":\"sonnet-18\\n\"}",
        "{\"operation\":\"list\",\"category\":\"poetry\\n\"}",
        "{\"operation\":\"store\",\"content\":\"x\",\"tags\":[\"form\\r\"]}",
        "{\"operation\":\"update\",\"id\":\"sonnet-18\"}",
        "{\"operation\":\"update\",\"id\":\"sonnet-18\",\"content\":\"\"}",
        "{\"operation\":\"delete\",\"id\":\"..\"}",
        "{\"operation\":\"list\",\"limit\":0}",
        "{\"operation\":\"list\",\"limit\":1001}",
        "{\"operation\":\"list\",\"limit\":\"10\"}",
        "{\"operation\":\"list\",\"offset\":-1}",
        "{\"operation\":\"list\",\"limit\":1.5}",
        "{\"operation\":\"search\"}",
        "{\"operation\":\"search\",\"query\":\"\"}",
        "{\"operation\":\"search\",\"query\":\"  \"}",
        "{\"operation\":\"search\",\"query\":\"x\",\"limit\":101}",
        "{\"operation\":\"links\",\"id\":[\"sonnet-18\"]}",
        "[\"store\"]",
        "\"store\""
    })
    void invalidInvocationsAreRefusedBeforeTheHandler(String body) {
        assertThat(zettels.invoke(body)).isProblem(400, "INVALID_INPUT");
    }

    @Test
    void oversizedTextIsRefused() {
        assertThat(zettels.invoke(op("store").put("content", "a".repeat(100_001)))).isProblem(400, "INVALID_INPUT");
        assertThat(zettels.invoke(op("store").put("content", "x").put("title", "t".repeat(501)))).isProblem(400, "INVALID_INPUT");
        assertThat(zettels.invoke(op("store").put("content", "x").put("id", "i".repeat(129)))).isProblem(400, "INVALID_INPUT");
        assertThat(zettels.invoke(op("search").put("query", "q".repeat(1001)))).isProblem(400, "INVALID_INPUT");
        assertThat(zettels.invoke(op("store").put("content", "a".repeat(600_000)))).isProblem(413, "PAYLOAD_TOO_LARGE");
        assertThat(zettels.invoke(op("store").put("content", "a".repeat(100_000))).status()).isEqualTo(200);
    }

    @Test
    void domainErrorsHaveTheirOwnCodes() {
        assertThat(zettels.invoke(op("store").put("id", "sonnet-18").put("content", "again"))).isProblem(409, "ZETTEL_EXISTS");
        assertThat(zettels.invoke(op("retrieve").put("id", "nobody"))).isProblem(404, "ZETTEL_NOT_FOUND");
        assertThat(zettels.invoke(op("update").put("id", "nobody").put("content", "x"))).isProblem(404, "ZETTEL_NOT_FOUND");
        assertThat(zettels.invoke(op("delete").put("id", "nobody"))).isProblem(404, "ZETTEL_NOT_FOUND");
        assertThat(zettels.invoke(op("links").put("id", "nobody"))).isProblem(404, "ZETTEL_NOT_FOUND");
        assertThat(zettels.invoke("{\"operation\":\"store\",\"content\":\"lone \\ud800 surrogate\"}")).isProblem(400, "INVALID_TEXT");
        assertThat(zettels.invoke("{\"operation\":\"store\",\"content\":\"x\",\"title\":\"\\udc00\"}")).isProblem(400, "INVALID_TEXT");
        assertThat(zettels.invoke("{\"operation\":\"store\",\"content\":")).isProblem(400, "MALFORMED_JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"title:(", "\"unclosed", "a AND", "*leading", "[a TO", "/[/", "a:b:c", "^2", "((((", "&&", "!"})
    void queriesThatDoNotParseAreA400(String query) {
        var response = zettels.invoke(op("search").put("query", query));

        assertThat(response.status()).as(response.bodyText()).isEqualTo(400);
        assertThat(response.json().get("code").asText()).isIn("INVALID_QUERY", "QUERY_TOO_COMPLEX");
        assertThat(response.json().get("detail").asText()).doesNotContain("Exception");
    }

    @Test
    void pathTraversalThroughTheRestViewsIsRefused() {
        assertThat(zettels.get("/zettels/..")).isProblem(400, "INVALID_ID");
        assertThat(zettels.get("/zettels/.")).isProblem(400, "INVALID_ID");
        assertThat(zettels.get("/zettels/%2e%2e")).isProblem(400, "INVALID_ID");
        assertThat(zettels.get("/zettels/%2E%2E/links")).isProblem(400, "INVALID_ID");
        assertThat(zettels.send("PUT", "/zettels/%2e%2e", "application/json", "{\"content\":\"x\"}")).isProblem(400, "INVALID_ID");
        assertThat(zettels.send("DELETE", "/zettels/..", null, null)).isProblem(400, "INVALID_ID");
        assertThat(zettels.get("/zettels/a%20b")).isProblem(400, "INVALID_ID");
        assertThat(zettels.get("/zettels/..%5C..%5Cwindows")).isProblem(400, "INVALID_ID");
        assertThat(zettels.get("/zettels/../../etc/passwd")).isProblem(404, "NOT_FOUND");
        assertThat(zettels.get("/zettels/a/b")).isProblem(404, "NOT_FOUND");
        assertThat(zettels.get("/zettels/a%2Fb")).isProblem(404, "NOT_FOUND");
        assertThat(zettels.get("/zettels/..%2F..%2Fetc%2Fpasswd")).isProblem(404, "NOT_FOUND");
        assertThat(zettels.send("PUT", "/zettels/..%2F..%2Fescaped", "application/json", "{\"content\":\"x\"}")).isProblem(404, "NOT_FOUND");
        assertThat(zettels.send("POST", "/zettels", "application/json", "{\"id\":\"../../escaped\",\"content\":\"x\"}")).isProblem(400, "INVALID_INPUT");
        assertThat(zettels.send("POST", "/zettels", "application/json", "{\"id\":\"..\",\"content\":\"x\"}")).isProblem(400, "INVALID_INPUT");
    }

    @Test
    void restViewsRefuseBadBodiesAndParameters() {
        assertThat(zettels.send("POST", "/zettels", "text/plain", "just text")).isProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(zettels.send("POST", "/zettels", "application/json", "[1,2]")).isProblem(400, "INVALID_INPUT");
        assertThat(zettels.send("POST", "/zettels", "application/json", "{\"content\":\"\"}")).isProblem(400, "INVALID_INPUT");
        assertThat(zettels.send("POST", "/zettels", "application/json", "{\"content\":\"x\",\"operation\":\"delete\"}")).isProblem(400, "INVALID_INPUT");
        assertThat(zettels.send("POST", "/zettels", "application/json", "{\"content\":")).isProblem(400, "MALFORMED_JSON");
        assertThat(zettels.send("POST", "/zettels", "application/json", "{\"id\":\"sonnet-18\",\"content\":\"x\"}")).isProblem(409, "ZETTEL_EXISTS");
        assertThat(zettels.send("PUT", "/zettels/sonnet-18", "application/json", "{\"id\":\"other\",\"content\":\"x\"}")).isProblem(400, "ID_MISMATCH");
        assertThat(zettels.send("PUT", "/zettels/sonnet-18", "application/json", "{}")).isProblem(400, "INVALID_INPUT");
        assertThat(zettels.send("PUT", "/zettels/nobody", "application/json", "{\"content\":\"x\"}")).isProblem(404, "ZETTEL_NOT_FOUND");
        assertThat(zettels.get("/zettels?limit=abc")).isProblem(400, "INVALID_PARAMETER");
        assertThat(zettels.get("/zettels?limit=0")).isProblem(400, "INVALID_INPUT");
        assertThat(zettels.get("/zettels?offset=-5")).isProblem(400, "INVALID_INPUT");
        assertThat(zettels.get("/zettels?limit=99999999999")).isProblem(400, "INVALID_PARAMETER");
        assertThat(zettels.get("/zettels/search")).isProblem(400, "MISSING_QUERY");
        assertThat(zettels.get("/zettels/search?q=")).isProblem(400, "INVALID_INPUT");
        assertThat(zettels.get("/zettels/search?q=title%3A(")).isProblem(400, "INVALID_QUERY");
        assertThat(zettels.send("PATCH", "/zettels/sonnet-18", "application/json", "{}")).isProblem(405, "METHOD_NOT_ALLOWED");
        assertThat(zettels.get("/zettels/sonnet-18").status()).isEqualTo(200);
    }

    private void assertOnlyExpectedFilesExist() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> outsideTheWorker = all.filter(Files::isRegularFile)
                    .filter(path -> !path.startsWith(dir.resolve(ZettelWorker.WORKER_ID)) && !path.startsWith(dir.resolve("pki")))
                    .toList();
            assertThat(outsideTheWorker).isEmpty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .allMatch(name -> name.equals(".lock") || name.matches("[A-Za-z0-9._-]+\\.md"))
                    .contains("sonnet-18.md")
                    .noneMatch(name -> name.startsWith(".."));
        }
        try (Stream<Path> inWorker = Files.list(dir.resolve(ZettelWorker.WORKER_ID))) {
            assertThat(inWorker.map(path -> path.getFileName().toString())).containsExactly("zettels");
        }
    }
}
