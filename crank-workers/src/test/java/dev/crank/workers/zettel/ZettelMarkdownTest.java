package dev.crank.workers.zettel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ZettelMarkdownTest {

    private static final Instant CREATED = Instant.parse("2026-11-15T10:30:45.123Z");
    private static final Instant MODIFIED = Instant.parse("2026-11-16T08:00:00Z");

    @ParameterizedTest
    @ValueSource(strings = {
        "Title: with a colon",
        "\"quoted\" and 'single' quotes",
        "two\nlines",
        "---",
        "- looks like a list",
        "# not a comment",
        "{not: a map}",
        "  leading and trailing spaces  ",
        "tab\tand backslash \\ and unicode h\u00e9llo \uD83D\uDC4B",
        "yes",
        "null",
        "0x1F",
        "&anchor *alias !tag %directive @at `tick`",
        "control \u0007 bell and NUL \u0000"
    })
    void titlesRoundTripExactly(String title) throws Exception {
        Zettel zettel = Zettel.of("z-1", title, "Body with [[other]] link.\n", CREATED, CREATED,
                Optional.of("agent: x"), Optional.of("cat\"egory"), List.of("a: b", "- c", "\"d\""), Map.of());

        Zettel read = ZettelMarkdown.parse("z-1", ZettelMarkdown.render(zettel), MODIFIED);

        assertThat(read).isEqualTo(zettel);
    }

    @Test
    void contentRoundTripsByteForByteIncludingFrontMatterLookalikes() throws Exception {
        String content = "---\nnot: front matter\n---\n\n  indented\r\nwindows line\n\n...\ntrailing";
        Zettel zettel = Zettel.of("z-2", "t", content, CREATED, CREATED, Optional.empty(), Optional.empty(), List.of(), Map.of());

        String rendered = ZettelMarkdown.render(zettel);

        assertThat(rendered).startsWith("---\nid: \"z-2\"\ntitle: \"t\"\n");
        assertThat(ZettelMarkdown.parse("z-2", rendered, MODIFIED).content()).isEqualTo(content);
    }

    @Test
    void readsHandWrittenFilesLeniently() throws Exception {
        String text = "\uFEFF---\r\ntitle: 2024\r\ncreated_at: 2026-01-02T03:04:05+01:00\r\ntags: poetry\r\n"
                + "links: [ignored]\r\naliases:\r\n  - Sonnet 18\r\n---\r\nShall I compare thee to [[summer-day]]?\r\n";

        Zettel zettel = ZettelMarkdown.parse("sonnet-18", text, MODIFIED);

        assertThat(zettel.id()).isEqualTo("sonnet-18");
        assertThat(zettel.title()).isEqualTo("2024");
        assertThat(zettel.createdAt()).isEqualTo(Instant.parse("2026-01-02T02:04:05Z"));
        assertThat(zettel.updatedAt()).isEqualTo(MODIFIED);
        assertThat(zettel.tags()).containsExactly("poetry");
        assertThat(zettel.links()).containsExactly("summer-day");
        assertThat(zettel.content()).isEqualTo("Shall I compare thee to [[summer-day]]?\r\n");
        assertThat(zettel.extra()).containsOnlyKeys("aliases");
        assertThat(ZettelMarkdown.render(zettel)).contains("aliases:\n- \"Sonnet 18\"\n");
    }

    @Test
    void plainMarkdownWithoutFrontMatterIsAZettel() throws Exception {
        Zettel zettel = ZettelMarkdown.parse("plain", "\n# Volta\n\nThe turn of thought in line nine.\n", MODIFIED);

        assertThat(zettel.title()).isEqualTo("Volta");
        assertThat(zettel.createdAt()).isEqualTo(MODIFIED);
        assertThat(zettel.tags()).isEmpty();
        assertThat(zettel.category()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "---\ntitle: \"never closed\"\nbody",
        "---\ntitle: [unbalanced\n---\nbody",
        "---\n- a\n- list\n---\nbody",
        "---\ntitle: {a: 1}\n---\nbody",
        "---\ntags: {a: 1}\n---\nbody",
        "---\ntags: [[nested]]\n---\nbody",
        "---\ncreated_at: yesterday\n---\nbody",
        "---\nid: other-id\n---\nbody",
        "---\ntitle: t\n---\n   \n",
        "",
        "---\ntitle: &a [*a]\n---\nbody",
        "---\ntitle: \"bad \\ud800 surrogate\"\n---\nbody"
    })
    void refusesMalformedFiles(String text) {
        assertThatThrownBy(() -> ZettelMarkdown.parse("z-3", text, MODIFIED))
                .isInstanceOf(ZettelMarkdown.MalformedZettelException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void keepsUnknownKeysOnRewrite() throws Exception {
        Zettel zettel = Zettel.of("z-4", "t", "c", CREATED, CREATED, Optional.empty(), Optional.empty(), List.of(),
                Map.of("source_url", TextNode.valueOf("https://example.org/a:b")));

        assertThat(ZettelMarkdown.parse("z-4", ZettelMarkdown.render(zettel), MODIFIED).extra())
                .containsEntry("source_url", TextNode.valueOf("https://example.org/a:b"));
    }
}
