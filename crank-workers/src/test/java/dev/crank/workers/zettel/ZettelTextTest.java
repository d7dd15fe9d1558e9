package dev.crank.workers.zettel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crank.core.CrankException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZettelTextTest {

    @Test
    void titleIsTheFirstHeadingOutsideCodeFences() {
        assertThat(ZettelText.deriveTitle("intro line\n```\n# a shell comment\n```\n## The Volta ##\nmore")).isEqualTo("The Volta");
    }

    @Test
    void titleFallsBackToTheFirstNonBlankLine() {
        assertThat(ZettelText.deriveTitle("\n\n   Fourteen lines of iambic pentameter.  \nsecond")).isEqualTo("Fourteen lines of iambic pentameter.");
    }

    @Test
    void longTitlesAreCutToEightyCharactersAtAWordBoundary() {
        String line = "word ".repeat(30).strip();

        String title = ZettelText.deriveTitle(line);

        assertThat(title.codePointCount(0, title.length())).isLessThanOrEqualTo(ZettelText.MAX_DERIVED_TITLE);
        assertThat(title).endsWith("word\u2026").startsWith("word word");
    }

    @Test
    void longTitlesNeverSplitASurrogatePair() {
        String title = ZettelText.deriveTitle("\uD83D\uDC4B".repeat(100));

        assertThat(title.codePointCount(0, title.length())).isEqualTo(ZettelText.MAX_DERIVED_TITLE);
        assertThat(ZettelText.requireWellFormed("title", title)).isEqualTo(title);
    }

    @Test
    void linksAreDistinctValidIdsInOrder() {
        assertThat(ZettelText.links("see [[b]], [[a]] and [[b]] again; not [[..]], [[a/b]], [[ spaced ]] or [[" + "x".repeat(129) + "]]"))
                .containsExactly("b", "a");
    }

    @Test
    void unpairedSurrogatesAreRefused() {
        assertThatThrownBy(() -> ZettelText.requireWellFormed("content", "a\uD800b"))
                .isInstanceOf(CrankException.class)
                .satisfies(e -> assertThat(((CrankException) e).code()).isEqualTo("INVALID_TEXT"));
    }

    @Test
    void tagsAreStrippedAndDeduplicated() {
        assertThat(ZettelText.normalizeTags(List.of(" form ", "form", "meter", " "))).containsExactly("form", "meter");
    }
}
