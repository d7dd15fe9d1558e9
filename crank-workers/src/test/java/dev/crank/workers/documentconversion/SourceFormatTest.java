package dev.crank.workers.documentconversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crank.core.CrankException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceFormatTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "<!DOCTYPE html><html><body>x</body></html>",
        "  <html lang=\"en\"><p>x</p></html>",
        "<body>text</body>",
        "<!-- generated --><div>x</div>",
        "<h1>Logo</h1><img src='x.png'>",
        "Some text, then <p>a paragraph</p> and <table><tr><td>1</td></tr></table>"
    })
    void detectsHtml(String document) {
        assertThat(SourceFormat.detect(document)).isEqualTo(SourceFormat.HTML);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "# Title\n\nText",
        "Intro\n\n- one\n- two",
        "1. first\n2. second",
        "```java\nint x;\n```",
        "See [the docs](https://example.org/docs).",
        "Some **bold** words",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "Title\n=====\n\ntext",
        "# Markdown with HTML inside\n\n<p>allowed</p>"
    })
    void detectsMarkdown(String document) {
        assertThat(SourceFormat.detect(document)).isEqualTo(SourceFormat.MARKDOWN);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Dear team,\nthe meeting moved to 3 pm.\nRegards",
        "2 < 3 and 5 > 4, nothing else",
        "Καλημέρα κόσμε"
    })
    void detectsPlainText(String document) {
        assertThat(SourceFormat.detect(document)).isEqualTo(SourceFormat.TEXT);
    }

    @Test
    void detectsTheProjectReadmeAsMarkdown() throws Exception {
        String readme = Files.readString(DocumentConverterTest.projectRoot().resolve("README.md"));

        assertThat(SourceFormat.detect(readme)).isEqualTo(SourceFormat.MARKDOWN);
    }

    @Test
    void parsesWireNamesAndMediaTypes() {
        assertThat(SourceFormat.parse("markdown")).isEqualTo(SourceFormat.MARKDOWN);
        assertThat(SourceFormat.ofMediaType("TEXT/HTML")).contains(SourceFormat.HTML);
        assertThat(SourceFormat.ofMediaType("application/pdf")).isEmpty();
        assertThat(PageSize.parse("Letter")).isEqualTo(PageSize.LETTER);
        assertThatThrownBy(() -> SourceFormat.parse("docx")).isInstanceOfSatisfying(CrankException.class,
                e -> assertThat(e.code()).isEqualTo("INVALID_SOURCE_FORMAT"));
        assertThatThrownBy(() -> PageSize.parse("A5")).isInstanceOfSatisfying(CrankException.class,
                e -> assertThat(e.code()).isEqualTo("INVALID_PAGE_SIZE"));
    }

    @Test
    void pageSizesInPoints() {
        assertThat(PageSize.A4.widthPt()).isCloseTo(595.28f, org.assertj.core.data.Offset.offset(0.01f));
        assertThat(PageSize.LETTER.heightPt()).isCloseTo(792f, org.assertj.core.data.Offset.offset(0.01f));
    }
}
