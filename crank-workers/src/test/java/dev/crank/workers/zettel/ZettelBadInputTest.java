package dev.crank.workers.zettel;

import static dev.crank.workers.zettel.ZettelFixtures.assertProblem;
import static dev.crank.workers.zettel.ZettelFixtures.op;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.ServerLimits;
import dev.crank.workers.TestPlatform;
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
    private TestPlatform platform;
    private ZettelWorker worker;
    private ZettelFixtures zettels;
    private Path folder;

    @BeforeAll
    void start(@TempDir Path tempDir) {
        dir = tempDir;
        platform = TestPlatform.withoutController(dir);
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
        assertProblem(zettels.invoke(body), 400, "INVALID_INPUT");
    }

    @Test
    void oversizedTextIsRefused() {
        assertProblem(zettels.invoke(op("store").put("content", "a".repeat(100_001))), 400, "INVALID_INPUT");
        assertProblem(zettels.invoke(op("store").put("content", "x").put("title", "t".repeat(501))), 400, "INVALID_INPUT");
        assertProblem(zettels.invoke(op("store").put("content", "x").put("id", "i".repeat(129))), 400, "INVALID_INPUT");
        assertProblem(zettels.invoke(op("search").put("query", "q".repeat(1001))), 400, "INVALID_INPUT");
        assertProblem(zettels.invoke(op("store").put("content", "a".repeat(600_000))), 413, "PAYLOAD_TOO_LARGE");
        assertThat(zettels.invoke(op("store").put("content", "a".repeat(100_000))).status()).isEqualTo(200);
    }

    @Test
    void domainErrorsHaveTheirOwnCodes() {
        assertProblem(zettels.invoke(op("store").put("id", "sonnet-18").put("content", "again")), 409, "ZETTEL_EXISTS");
        assertProblem(zettels.invoke(op("retrieve").put("id", "nobody")), 404, "ZETTEL_NOT_FOUND");
        assertProblem(zettels.invoke(op("update").put("id", "nobody").put("content", "x")), 404, "ZETTEL_NOT_FOUND");
        assertProblem(zettels.invoke(op("delete").put("id", "nobody")), 404, "ZETTEL_NOT_FOUND");
        assertProblem(zettels.invoke(op("links").put("id", "nobody")), 404, "ZETTEL_NOT_FOUND");
        assertProblem(zettels.invoke("{\"operation\":\"store\",\"content\":\"lone \\ud800 surrogate\"}"), 400, "INVALID_TEXT");
        assertProblem(zettels.invoke("{\"operation\":\"store\",\"content\":\"x\",\"title\":\"\\udc00\"}"), 400, "INVALID_TEXT");
        assertProblem(zettels.invoke("{\"operation\":\"store\",\"content\":"), 400, "MALFORMED_JSON");
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
        assertProblem(zettels.get("/zettels/.."), 400, "INVALID_ID");
        assertProblem(zettels.get("/zettels/."), 400, "INVALID_ID");
        assertProblem(zettels.get("/zettels/%2e%2e"), 400, "INVALID_ID");
        assertProblem(zettels.get("/zettels/%2E%2E/links"), 400, "INVALID_ID");
        assertProblem(zettels.send("PUT", "/zettels/%2e%2e", "application/json", "{\"content\":\"x\"}"), 400, "INVALID_ID");
        assertProblem(zettels.send("DELETE", "/zettels/..", null, null), 400, "INVALID_ID");
        assertProblem(zettels.get("/zettels/a%20b"), 400, "INVALID_ID");
        assertProblem(zettels.get("/zettels/..%5C..%5Cwindows"), 400, "INVALID_ID");
        assertProblem(zettels.get("/zettels/../../etc/passwd"), 404, "NOT_FOUND");
        assertProblem(zettels.get("/zettels/a/b"), 404, "NOT_FOUND");
        assertProblem(zettels.get("/zettels/a%2Fb"), 404, "NOT_FOUND");
        assertProblem(zettels.get("/zettels/..%2F..%2Fetc%2Fpasswd"), 404, "NOT_FOUND");
        assertProblem(zettels.send("PUT", "/zettels/..%2F..%2Fescaped", "application/json", "{\"content\":\"x\"}"), 404, "NOT_FOUND");
        assertProblem(zettels.send("POST", "/zettels", "application/json", "{\"id\":\"../../escaped\",\"content\":\"x\"}"),
                400, "INVALID_INPUT");
        assertProblem(zettels.send("POST", "/zettels", "application/json", "{\"id\":\"..\",\"content\":\"x\"}"),
                400, "INVALID_INPUT");
    }

    @Test
    void restViewsRefuseBadBodiesAndParameters() {
        assertProblem(zettels.send("POST", "/zettels", "text/plain", "just text"), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(zettels.send("POST", "/zettels", "application/json", "[1,2]"), 400, "INVALID_INPUT");
        assertProblem(zettels.send("POST", "/zettels", "application/json", "{\"content\":\"\"}"), 400, "INVALID_INPUT");
        assertProblem(zettels.send("POST", "/zettels", "application/json", "{\"content\":\"x\",\"operation\":\"delete\"}"),
                400, "INVALID_INPUT");
        assertProblem(zettels.send("POST", "/zettels", "application/json", "{\"content\":"), 400, "MALFORMED_JSON");
        assertProblem(zettels.send("POST", "/zettels", "application/json", "{\"id\":\"sonnet-18\",\"content\":\"x\"}"),
                409, "ZETTEL_EXISTS");
        assertProblem(zettels.send("PUT", "/zettels/sonnet-18", "application/json", "{\"id\":\"other\",\"content\":\"x\"}"),
                400, "ID_MISMATCH");
        assertProblem(zettels.send("PUT", "/zettels/sonnet-18", "application/json", "{}"), 400, "INVALID_INPUT");
        assertProblem(zettels.send("PUT", "/zettels/nobody", "application/json", "{\"content\":\"x\"}"), 404, "ZETTEL_NOT_FOUND");
        assertProblem(zettels.get("/zettels?limit=abc"), 400, "INVALID_PARAMETER");
        assertProblem(zettels.get("/zettels?limit=0"), 400, "INVALID_INPUT");
        assertProblem(zettels.get("/zettels?offset=-5"), 400, "INVALID_INPUT");
        assertProblem(zettels.get("/zettels?limit=99999999999"), 400, "INVALID_PARAMETER");
        assertProblem(zettels.get("/zettels/search"), 400, "MISSING_QUERY");
        assertProblem(zettels.get("/zettels/search?q="), 400, "INVALID_INPUT");
        assertProblem(zettels.get("/zettels/search?q=title%3A("), 400, "INVALID_QUERY");
        assertProblem(zettels.send("PATCH", "/zettels/sonnet-18", "application/json", "{}"), 405, "METHOD_NOT_ALLOWED");
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
