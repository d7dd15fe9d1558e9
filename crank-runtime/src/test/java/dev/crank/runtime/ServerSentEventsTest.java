package dev.crank.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {

    private final StringWriter out = new StringWriter();
    private final ServerSentEvents events = new ServerSentEvents(new PrintWriter(out, true));

    private void feed(String stream) {
        stream.lines().forEach(events::line);
        events.end();
    }

    @Test
    void joinsDataLinesAndParsesJson() {
        feed("event: token\nid: 7\ndata: {\"text\":\ndata:\"hi\"}\n\n");

        assertThat(out.toString().strip()).isEqualTo("{\"event\":\"token\",\"id\":\"7\",\"data\":{\"text\":\"hi\"}}");
    }

    @Test
    void keepsTextThatIsNotJsonAsAString() {
        feed("data:hello world\n\ndata: 42\n\n");

        assertThat(out.toString().lines()).containsExactly(
                "{\"event\":\"message\",\"data\":\"hello world\"}",
                "{\"event\":\"message\",\"data\":42}");
    }

    @Test
    void ignoresCommentsRetryAndEventsWithoutData() {
        feed(": keep-alive\nretry: 1000\n\nevent: ping\n\n");

        assertThat(out.toString()).isEmpty();
    }

    @Test
    void deliversTheLastEventEvenWithoutAFinalBlankLine() {
        feed("data: last");

        assertThat(out.toString().strip()).isEqualTo("{\"event\":\"message\",\"data\":\"last\"}");
    }
}
