package dev.crank.workers.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MboxTest {

    @Test
    void splitsAtFromLinesAfterBlankLinesAndUnescapesQuotedFromLines() {
        String mbox = """
                From a@example.org Mon Jan  1 00:00:00 2024
                From: a@example.org
                Subject: one

                first body
                From here on, this line does not start a message.
                >From the archive: this one was escaped.

                From b@example.org Mon Jan  1 00:01:00 2024
                From: b@example.org
                Subject: two

                second body

                """;

        List<byte[]> messages = Mbox.split(mbox.getBytes(StandardCharsets.UTF_8)).orElseThrow();

        assertThat(messages).hasSize(2);
        String first = new String(messages.get(0), StandardCharsets.UTF_8);
        assertThat(first).startsWith("From a@example.org").contains("From here on,")
                .contains("\nFrom the archive: this one was escaped.\n").doesNotContain(">From").endsWith("escaped.\n");
        ParsedEmail second = EmailParser.parse(messages.get(1), ParseOptions.defaults());
        assertThat(second.subject()).contains("two");
        assertThat(second.bodyText()).isEqualTo("second body");
        assertThat(second.defects()).isEmpty();
    }

    @Test
    void refusesInputThatIsNotAnMbox() {
        assertThat(Mbox.split("Subject: hi\n\nbody".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(Mbox.split(new byte[0])).isEmpty();
        assertThat(Mbox.split("\n\nFrom x@y Mon Jan  1 00:00:00 2024\n".getBytes(StandardCharsets.UTF_8)).orElseThrow()).hasSize(1);
    }
}
