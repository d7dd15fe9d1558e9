package dev.crank.workers.image.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScreenshotRendersTest {

    @TempDir
    Path root;

    /** A documentation page keeps its own style sheet and images, inlined, and loads nothing else. */
    @Test
    void aLocalPageKeepsItsOwnFilesInlinedAndNothingElse() throws IOException {
        Path dir = Files.createDirectories(root.resolve("manual/html"));
        Files.writeString(dir.resolve("style.css"), "h1 { color: #123456; background: url(bg.png) }", StandardCharsets.UTF_8);
        Files.write(dir.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.write(root.resolve("outside.png"), new byte[] {1});
        Path page = dir.resolve("index.html");
        Files.writeString(page, "<html><head><link rel=stylesheet href=style.css><script src=app.js></script>"
                + "<link rel=stylesheet href=https://cdn.example/x.css></head><body><h1>Manual</h1>"
                + "<img src=logo.png><img src=https://example.com/a.png><img src=../../../outside.png>"
                + "<div style=\"background:url(https://example.com/b.png)\">x</div></body></html>", StandardCharsets.UTF_8);

        String html = ScreenshotRenders.inlined(root.resolve("manual"), page);

        assertThat(html).contains("color: #123456").contains("src=\"data:").contains("default-src 'none'")
                .doesNotContain("<script").doesNotContain("https://").doesNotContain("url(").doesNotContain("<link")
                .doesNotContain("outside.png");
        assertThat(html.split("src=\"data:", -1)).hasSize(2);
    }

    @Test
    void aMessageLosesEveryReference() {
        String html = ScreenshotRenders.sanitised("<p style=\"background:url(https://x.example/a)\">hi</p>"
                + "<img src=\"data:image/png;base64,AA==\"><img src=cid:part1><script>alert(1)</script>");
        assertThat(html).contains("hi").doesNotContain("src=").doesNotContain("url(").doesNotContain("<script");
    }
}
