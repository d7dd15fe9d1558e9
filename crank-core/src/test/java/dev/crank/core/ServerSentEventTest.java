package dev.crank.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerSentEventTest {

    @Test
    void encodesEveryFieldAndSplitsMultiLineData() {
        ServerSentEvent event = ServerSentEvent.of("token", "one\ntwo").withId(7).withRetry(Duration.ofSeconds(3));

        assertThat(event.encode()).isEqualTo("retry: 3000\nid: 7\nevent: token\ndata: one\ndata: two\n\n");
        assertThat(ServerSentEvent.json("chunk", CrankJson.object().put("text", "a\nb")).encode())
                .isEqualTo("event: chunk\ndata: {\"text\":\"a\\nb\"}\n\n");
        assertThat(ServerSentEvent.of("message", "x").encode()).isEqualTo("data: x\n\n");
        assertThat(ServerSentEvent.comment("keep-alive")).isEqualTo(": keep-alive\n\n");
    }

    @Test
    void refusesFieldsThatWouldBreakTheFraming() {
        assertThatThrownBy(() -> ServerSentEvent.of("a\nb", "x")).hasMessageContaining("event: 'a\nb'");
        assertThatThrownBy(() -> ServerSentEvent.of("a", "x").withId("1\n2")).hasMessageContaining("id:");
        assertThatThrownBy(() -> ServerSentEvent.comment("a\rb")).hasMessageContaining("comment:");
    }

    @Test
    void whatItEncodesReadsBackTheSame() {
        List<ServerSentEvent> sent = List.of(
                ServerSentEvent.of("token", "multi\nline\n").withId("9").withRetry(Duration.ofMillis(250)),
                ServerSentEvent.json("done", CrankJson.object().put("n", 1)),
                ServerSentEvent.of("message", ""));
        StringBuilder stream = new StringBuilder(ServerSentEvent.comment("hello"));
        sent.forEach(event -> stream.append(event.encode()));

        assertThat(ServerSentEventReader.parse(stream.toString())).isEqualTo(sent);
    }

    @Test
    void readsByTheStandardsRules() throws Exception {
        String stream = ": keep-alive\r\nevent: token\r\nid: 7\r\ndata: {\"text\":\r\ndata:\"hi\"}\r\n\r\n"
                + "data:no space\rretry: soon\r\r"
                + "event: ping\n\n"
                + "unknown: field\nid\ndata: 42\n\n"
                + ": another\ndata: last";
        try (ServerSentEventReader reader = new ServerSentEventReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)))) {
            ServerSentEvent first = reader.next().orElseThrow();
            assertThat(first.event()).isEqualTo("token");
            assertThat(first.id()).contains("7");
            assertThat(first.json().get("text").asText()).isEqualTo("hi");
            assertThat(reader.comments()).containsExactly("keep-alive");

            ServerSentEvent second = reader.next().orElseThrow();
            assertThat(second).isEqualTo(ServerSentEvent.of("message", "no space"));

            // "event: ping" without data dispatches nothing; a bare "id" sets an empty id.
            ServerSentEvent third = reader.next().orElseThrow();
            assertThat(third.data()).isEqualTo("42");
            assertThat(third.id()).contains("");

            assertThat(reader.next()).contains(ServerSentEvent.of("message", "last"));
            assertThat(reader.next()).isEqualTo(Optional.empty());
            assertThat(reader.comments()).containsExactly("keep-alive", "another");
        }
    }
}
