package dev.crank.workers.streaming;

import static dev.crank.testing.CrankAssertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankJson;
import dev.crank.core.JsonSchemaValidator;
import dev.crank.core.ServerLimits;
import dev.crank.core.testing.TestTls;
import dev.crank.testing.Await;
import dev.crank.testing.CrankPlatform;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class StreamingWorkerTest {

    private static final Logger logger = LoggerFactory.getLogger(StreamingWorkerTest.class);

    private static final Duration SETTLE = Duration.ofSeconds(10);

    @TempDir
    static Path sharedDir;

    @TempDir
    Path dir;

    /** A worker with default settings for the tests that read no counters; the others start their own. */
    private static CrankPlatform sharedPlatform;
    private static StreamingWorker sharedWorker;

    private CrankPlatform platform;
    private StreamingWorker worker;
    private SSLContext tls;
    private boolean ownWorker;

    @BeforeAll
    static void startShared() {
        sharedPlatform = CrankPlatform.withoutController(sharedDir);
        sharedWorker = sharedPlatform.start(new StreamingWorker(sharedPlatform.config(StreamingWorker.WORKER_ID).build()));
    }

    @AfterAll
    static void stopShared() {
        sharedPlatform.close();
    }

    @BeforeEach
    void useSharedWorker() throws Exception {
        use(sharedPlatform, sharedWorker);
    }

    /** Starts a worker of this test's own, without a controller (only the registration test needs one). */
    private void start(StreamingSettings settings, ServerLimits limits) throws Exception {
        start(CrankPlatform.withoutController(dir), settings, limits);
    }

    private void start(CrankPlatform platform, StreamingSettings settings, ServerLimits limits) throws Exception {
        ownWorker = true;
        use(platform, platform.start(new StreamingWorker(platform.config(StreamingWorker.WORKER_ID).limits(limits).build(), settings)));
    }

    private void start() throws Exception {
        start(StreamingSettings.defaults(), ServerLimits.defaults());
    }

    private void use(CrankPlatform platform, StreamingWorker worker) throws Exception {
        this.platform = platform;
        this.worker = worker;
        this.tls = TestTls.forcedClient(platform.pki().adminMaterial("admin"), platform.pki().caCertificate());
    }

    @AfterEach
    void stop() {
        if (ownWorker) {
            platform.close();
        }
    }

    @Test
    void registersBothCapabilitiesAndServesThemThroughInvoke() throws Exception {
        start(CrankPlatform.start(dir), StreamingSettings.defaults(), ServerLimits.defaults());
        platform.awaitRegistered(worker);

        JsonNode capabilities = platform.get(platform.controllerUrl(), "/capabilities").json();
        assertThat(capabilities.has(StreamingWorker.TEXT_EVENTS)).isTrue();
        assertThat(capabilities.has(StreamingWorker.SSE_EVENTS)).isTrue();
        assertThat(platform.route("stream", "sse_events").json().get("worker_id").asText()).isEqualTo(StreamingWorker.WORKER_ID);
        assertThat(platform.route("stream", "text_events").json().get("worker_id").asText()).isEqualTo(StreamingWorker.WORKER_ID);

        ClientResponse text = platform.invoke(worker, "stream", "text_events",
                "{\"content\":\"one two three four five six seven\",\"chunk_size\":3}");
        assertThat(text.status()).isEqualTo(200);
        assertThat(text.header("content-type")).contains("text/event-stream");
        List<SseConnection.Event> events = SseConnection.parse(text.bodyText());
        assertThat(events).extracting(SseConnection.Event::event).containsExactly("chunk", "chunk", "chunk", "done");
        assertThat(events.subList(0, 3)).extracting(SseConnection.Event::id).containsExactly("1", "2", "3");
        assertThat(events.subList(0, 3)).extracting(event -> event.json().get("content").asText())
                .containsExactly("one two three", "four five six", "seven");
        assertThat(events.subList(0, 3)).extracting(event -> event.json().get("is_last").asBoolean())
                .containsExactly(false, false, true);
        JsonNode done = events.get(3).json();
        assertThat(done.get("total_chunks").asInt()).isEqualTo(3);
        assertThat(done.get("total_words").asInt()).isEqualTo(7);
        assertThat(done.get("chunk_size").asInt()).isEqualTo(3);

        ClientResponse status = platform.invoke(worker, "stream", "sse_events", "{\"interval_ms\":100,\"max_events\":3}");
        assertThat(status.status()).isEqualTo(200);
        List<SseConnection.Event> statusEvents = SseConnection.parse(status.bodyText());
        assertThat(statusEvents).extracting(SseConnection.Event::id).containsExactly("1", "2", "3");
        assertThat(statusEvents).allSatisfy(event -> {
            assertThat(event.event()).isEqualTo("status");
            assertThat(event.json().get("worker_id").asText()).isEqualTo(StreamingWorker.WORKER_ID);
            assertThat(event.json().get("active_streams").asInt()).isEqualTo(1);
        });
    }

    @Test
    void answersChunksAsOneJsonArrayWhenAskedForJson() throws Exception {
        ClientResponse response = platform.admin().send(new ClientRequest("POST", invokeUri("text_events"),
                Map.of("content-type", "application/json", "accept", "application/json"),
                "{\"content\":\"alpha beta\\ngamma delta epsilon\",\"chunk_size\":2}".getBytes(StandardCharsets.UTF_8),
                CrankPlatform.TIMEOUT)).join();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).contains("application/json");
        JsonNode chunks = response.json();
        assertThat(chunks).extracting(chunk -> chunk.get("content").asText()).containsExactly("alpha beta", "gamma delta", "epsilon");
        assertThat(chunks).extracting(chunk -> chunk.get("chunk_id").asInt()).containsExactly(1, 2, 3);
        assertThat(chunks).extracting(chunk -> Instant.parse(chunk.get("timestamp").asText())).doesNotContainNull();
        assertThat(outputValidator(TextEvents.OUTPUT_SCHEMA).validate(chunks)).isEmpty();
    }

    @Test
    void emptyContentSendsOnlyDone() throws Exception {
        List<SseConnection.Event> events = SseConnection.parse(
                platform.invoke(worker, "stream", "text_events", "{\"content\":\"  \"}").bodyText());

        assertThat(events).extracting(SseConnection.Event::event).containsExactly("done");
        assertThat(events.get(0).json().get("total_chunks").asInt()).isZero();
        assertThat(doneValidator().validate(events.get(0).json())).isEmpty();
    }

    @Test
    void theFirstChunkArrivesBeforeTheLastIsProduced() throws Exception {
        String content = IntStream.rangeClosed(1, 5).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));
        try (SseConnection stream = post("/invoke/stream/text_events", Map.of(),
                "{\"content\":\"" + content + "\",\"chunk_size\":1,\"interval_ms\":300}", 0)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("content-type")).contains("text/event-stream");
            SseConnection.Event first = stream.nextEvent().orElseThrow();
            List<SseConnection.Event> rest = stream.remainingEvents();

            assertThat(first.json().get("content").asText()).isEqualTo("word1");
            assertThat(rest).extracting(SseConnection.Event::event).containsExactly("chunk", "chunk", "chunk", "chunk", "done");
            SseConnection.Event last = rest.get(3);
            assertThat(last.json().get("is_last").asBoolean()).isTrue();
            // The worker stamps each chunk when it cuts it: the first was in our hands before the last existed.
            assertThat(first.receivedAt()).isBefore(Instant.parse(last.json().get("timestamp").asText()));
            assertThat(outputValidator(TextEvents.OUTPUT_SCHEMA).validate(CrankJson.array()
                    .add(first.json()).add(last.json()))).isEmpty();
        }
    }

    @Test
    void aClientThatLeavesStopsTheTextProducer() throws Exception {
        start();
        String content = IntStream.rangeClosed(1, 100).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
        try (SseConnection stream = post("/invoke/stream/text_events", Map.of(),
                "{\"content\":\"" + content + "\",\"chunk_size\":1,\"interval_ms\":200}", 0)) {
            stream.nextEvent().orElseThrow();
            stream.nextEvent().orElseThrow();
            assertThat(streams().get("text_streams").asInt()).isEqualTo(1);
        }

        Await.until("the text stream ends after its client left", SETTLE, () -> worker.activeStreams() == 0);
        long produced = streams().get("chunks_produced").asLong();
        Thread.sleep(1_000);
        assertThat(streams().get("chunks_produced").asLong()).isEqualTo(produced).isLessThan(100);
        assertThat(worker.inFlight(StreamingWorker.TEXT_EVENTS)).isZero();
    }

    @Test
    void aSlowClientHoldsTheProducerBackInsteadOfGrowingABuffer() throws Exception {
        start();
        int chunks = 3_000;
        String word = "x".repeat(199);
        String content = IntStream.range(0, chunks * 20).mapToObj(i -> word).collect(Collectors.joining(" "));
        try (SseConnection stream = post("/invoke/stream/text_events", Map.of(),
                "{\"content\":\"" + content + "\",\"chunk_size\":20}", 0)) {
            assertThat(stream.status()).isEqualTo(200);
            // Read nothing: the producer must stall once the socket buffers and Netty's high-water mark are full.
            long stalledAt = awaitStall();
            // Each chunk is a 4 KiB event: 12 MiB in all, far more than the socket buffers hold.
            logger.info("An unread stream stalled after {} of {} chunks", stalledAt, chunks);
            assertThat(stalledAt).as("chunks written before the producer stalled").isGreaterThan(0).isLessThan(chunks);

            List<SseConnection.Event> events = stream.remainingEvents();
            assertThat(events).hasSize(chunks + 1);
            assertThat(events.get(chunks - 1).json().get("chunk_id").asInt()).isEqualTo(chunks);
            assertThat(events.get(chunks - 1).json().get("content").asText()).hasSize(20 * 200 - 1);
            assertThat(events.get(chunks).event()).isEqualTo("done");
        }
        assertThat(streams().get("chunks_produced").asLong()).isEqualTo(chunks);
    }

    @Test
    void statusEventsCarryRetryIdsAndKeepAliveComments() throws Exception {
        start(StreamingSettings.defaults().withKeepAlive(Duration.ofMillis(150)), ServerLimits.defaults());
        try (SseConnection stream = get("/events?interval_ms=800&max_events=2", Map.of())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("content-type")).contains("text/event-stream");
            assertThat(stream.header("cache-control")).contains("no-cache");
            SseConnection.Event first = stream.nextEvent().orElseThrow();
            SseConnection.Event second = stream.nextEvent().orElseThrow();

            assertThat(first.retry()).isEqualTo("3000");
            assertThat(second.retry()).isNull();
            assertThat(List.of(first, second)).extracting(SseConnection.Event::id).containsExactly("1", "2");
            assertThat(second.commentsBefore()).isNotEmpty().allMatch("keep-alive"::equals);
            JsonNode data = first.json();
            assertThat(data.get("event_id").asLong()).isEqualTo(1);
            assertThat(data.get("worker_id").asText()).isEqualTo(StreamingWorker.WORKER_ID);
            assertThat(data.get("active_streams").asInt()).isEqualTo(1);
            assertThat(data.get("message").asText()).contains("healthy");
            assertThat(Instant.parse(second.json().get("timestamp").asText()))
                    .isAfterOrEqualTo(Instant.parse(data.get("timestamp").asText()));
            assertThat(outputValidator(StatusEvents.OUTPUT_SCHEMA).validate(data)).isEmpty();
            assertThat(stream.nextEvent()).isEmpty(); // max_events reached: the stream ends
        }
        assertThat(streams().get("keep_alives_sent").asLong()).isPositive();
    }

    @Test
    void keepAliveCommentsKeepTheirPeriodBetweenFrequentEvents() throws Exception {
        start(StreamingSettings.defaults().withKeepAlive(Duration.ofMillis(250)), ServerLimits.defaults());
        try (SseConnection stream = get("/events?interval_ms=100&max_events=12", Map.of())) {
            List<SseConnection.Event> events = stream.remainingEvents();

            assertThat(events).hasSize(12);
            assertThat(stream.comments()).isNotEmpty().allMatch("keep-alive"::equals);
        }
    }

    @Test
    void lastEventIdContinuesTheNumbering() throws Exception {
        try (SseConnection stream = post("/invoke/stream/sse_events", Map.of("Last-Event-ID", "41"),
                "{\"interval_ms\":100,\"max_events\":3}", 0)) {
            List<SseConnection.Event> events = stream.remainingEvents();

            assertThat(events).extracting(SseConnection.Event::id).containsExactly("42", "43", "44");
            assertThat(events).extracting(event -> event.json().get("event_id").asLong()).containsExactly(42L, 43L, 44L);
            assertThat(events.get(0).retry()).isEqualTo("3000");
        }
    }

    @Test
    void aWholeNumberWrittenWithAFractionIsStillABound() throws Exception {
        ClientResponse response = platform.invoke(worker, "stream", "sse_events", "{\"interval_ms\":100.0,\"max_events\":2.0}");

        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        assertThat(SseConnection.parse(response.bodyText())).extracting(SseConnection.Event::id).containsExactly("1", "2");
    }

    @Test
    void aClientThatLeavesStopsTheStatusProducer() throws Exception {
        start();
        try (SseConnection stream = get("/events?interval_ms=100", Map.of())) {
            for (int i = 1; i <= 3; i++) {
                assertThat(stream.nextEvent().orElseThrow().id()).isEqualTo(String.valueOf(i));
            }
            assertThat(streams().get("sse_subscribers").asInt()).isEqualTo(1);
        }

        Await.until("the status stream ends after its client left", SETTLE, () -> worker.activeStreams() == 0);
        long produced = streams().get("events_produced").asLong();
        Thread.sleep(1_000); // ten intervals: a producer still running would have sent about ten more
        assertThat(streams().get("events_produced").asLong()).isEqualTo(produced);
    }

    @Test
    void aDrainingWorkerEndsStatusStreamsAndLetsBoundedTextStreamsFinish() throws Exception {
        start();
        try (SseConnection status = get("/events?interval_ms=60000", Map.of());
             SseConnection text = post("/invoke/stream/text_events", Map.of(),
                     "{\"content\":\"w1 w2 w3 w4 w5\",\"chunk_size\":1,\"interval_ms\":300}", 0)) {
            status.nextEvent().orElseThrow();
            text.nextEvent().orElseThrow();
            Thread closer = new Thread(worker::close, "closer");
            closer.start();

            assertThat(status.remainingEvents()).isEmpty(); // ended cleanly: the client reconnects after 'retry'
            assertThat(text.remainingEvents()).extracting(SseConnection.Event::event)
                    .as("the in-flight text stream finishes within the shutdown budget")
                    .containsExactly("chunk", "chunk", "chunk", "chunk", "done");
            closer.join(SETTLE.toMillis() + 5_000);
            assertThat(closer.isAlive()).isFalse();
            assertThat(worker.activeStreams()).isZero();
        }
    }

    @Test
    void subscribersAreBoundedAcrossBothRoutes() throws Exception {
        start(StreamingSettings.defaults().withMaxSubscribers(2), ServerLimits.defaults());
        try (SseConnection viaGet = get("/events?interval_ms=100", Map.of());
             SseConnection viaInvoke = post("/invoke/stream/sse_events", Map.of(), "{\"interval_ms\":100}", 0)) {
            viaGet.nextEvent().orElseThrow();
            viaInvoke.nextEvent().orElseThrow();

            try (SseConnection third = get("/events", Map.of())) {
                assertThat(third.status()).isEqualTo(429);
                assertThat(third.header("content-type")).contains("application/problem+json");
                assertThat(third.header("retry-after")).isPresent();
                assertThat(CrankJson.parse(third.remainingText()).get("code").asText()).isEqualTo("TOO_MANY_REQUESTS");
            }
            assertThat(platform.invoke(worker, "stream", "sse_events", "{}")).isProblem(429, "TOO_MANY_REQUESTS");
            // text streams have their own bound
            assertThat(platform.invoke(worker, "stream", "text_events", "{\"content\":\"still served\"}").status()).isEqualTo(200);
        }

        Await.until("a subscription is free again", SETTLE, () -> {
            try (SseConnection again = get("/events?max_events=1&interval_ms=100", Map.of())) {
                return again.status() == 200 && again.nextEvent().isPresent();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"content\":42}",
        "{\"content\":null}",
        "{\"content\":[\"a\"]}",
        "{\"content\":\"a\",\"chunk_size\":0}",
        "{\"content\":\"a\",\"chunk_size\":10001}",
        "{\"content\":\"a\",\"chunk_size\":\"5\"}",
        "{\"content\":\"a\",\"chunk_size\":2.5}",
        "{\"content\":\"a\",\"interval_ms\":-1}",
        "{\"content\":\"a\",\"interval_ms\":10001}",
        "{\"content\":\"a\",\"speed\":1}",
        "[\"content\"]"
    })
    void refusesBadTextEventInput(String body) throws Exception {
        assertThat(platform.invoke(worker, "stream", "text_events", body)).isProblem(400, "INVALID_INPUT");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"interval_ms\":99}",
        "{\"interval_ms\":60001}",
        "{\"interval_ms\":\"1000\"}",
        "{\"max_events\":0}",
        "{\"max_events\":-3}",
        "{\"max_events\":\"ten\"}",
        "{\"events\":5}",
        "null"
    })
    void refusesBadStatusEventInput(String body) throws Exception {
        assertThat(platform.invoke(worker, "stream", "sse_events", body)).isProblem(400, "INVALID_INPUT");
    }

    @Test
    void refusesBadQueriesHeadersTypesAndSizes() throws Exception {
        start(StreamingSettings.defaults(), ServerLimits.defaults().withMaxContentLength(64 * 1024));
        URI base = URI.create("https://localhost:" + worker.port());
        assertThat(platform.get(base, "/events?interval_ms=fast")).isProblem(400, "INVALID_INPUT");
        assertThat(platform.get(base, "/events?interval_ms=50")).isProblem(400, "INVALID_INPUT");
        assertThat(platform.get(base, "/events?max_events=0")).isProblem(400, "INVALID_INPUT");
        assertThat(platform.admin().send(new ClientRequest("GET", base.resolve("/events?max_events=1"),
                Map.of("last-event-id", "minus-one"), new byte[0], CrankPlatform.TIMEOUT)).join()).isProblem(400, "INVALID_LAST_EVENT_ID");
        assertThat(platform.admin().send(new ClientRequest("GET", base.resolve("/events?max_events=1"),
                Map.of("last-event-id", String.valueOf(StatusEvents.MAX_EVENT_ID + 1)), new byte[0], CrankPlatform.TIMEOUT)).join()).isProblem(400, "INVALID_LAST_EVENT_ID");
        assertThat(platform.admin().send(new ClientRequest("POST", invokeUri("sse_events"),
                Map.of("content-type", "application/json", "last-event-id", "-5"), "{}".getBytes(StandardCharsets.UTF_8),
                CrankPlatform.TIMEOUT)).join()).isProblem(400, "INVALID_LAST_EVENT_ID");
        assertThat(platform.invoke(worker, "stream", "text_events", "{\"content\":")).isProblem(400, "MALFORMED_JSON");
        assertThat(platform.post(base, "/invoke/stream/text_events", "text/plain", "hello".getBytes(StandardCharsets.UTF_8))).isProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(platform.invoke(worker, "stream", "text_events", "{\"content\":\"" + "a ".repeat(40_000) + "\"}")).isProblem(413, "PAYLOAD_TOO_LARGE");
        assertThat(platform.postJson(base, "/events", "{}")).isProblem(405, "METHOD_NOT_ALLOWED");
        assertThat(worker.activeStreams()).isZero();
        assertThat(platform.invoke(worker, "stream", "text_events", "{\"content\":\"still up\"}").status()).isEqualTo(200);
    }

    private long awaitStall() throws InterruptedException {
        long previous = -1;
        int unchanged = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (unchanged < 4 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            long now = streams().get("chunks_produced").asLong();
            unchanged = now == previous ? unchanged + 1 : 0;
            previous = now;
        }
        assertThat(unchanged).as("the producer stalled for a second").isGreaterThanOrEqualTo(4);
        return previous;
    }

    private JsonNode streams() {
        return platform.get(URI.create("https://localhost:" + worker.port()), "/status").json().get("streams");
    }

    private URI invokeUri(String name) {
        return URI.create("https://localhost:" + worker.port() + "/invoke/stream/" + name);
    }

    private SseConnection get(String path, Map<String, String> headers) throws IOException {
        return SseConnection.open(tls, worker.port(), "GET", path, headers, new byte[0], 0);
    }

    private SseConnection post(String path, Map<String, String> headers, String json, int receiveBuffer) throws IOException {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        return SseConnection.open(tls, worker.port(), "POST", path, all, json.getBytes(StandardCharsets.UTF_8), receiveBuffer);
    }

    private static JsonSchemaValidator outputValidator(String schema) {
        return JsonSchemaValidator.of(CrankJson.parse(schema));
    }

    private static JsonSchemaValidator doneValidator() {
        JsonNode schema = CrankJson.parse(TextEvents.OUTPUT_SCHEMA);
        return JsonSchemaValidator.of(schema.get("$defs").get("done"));
    }
}
