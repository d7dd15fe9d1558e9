package dev.crank.workers.documentconversion;

import static dev.crank.workers.documentconversion.DocumentConverterTest.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crank.core.CrankException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The page limit, and the deadline and out-of-memory handling inside layout and page creation. */
class PageBudgetTest {

    private static final int MAX_PAGES = 3;
    private static DocumentConverter converter;

    @BeforeAll
    static void createConverter() {
        converter = DocumentConverter.create(ConversionLimits.defaults().withMaxPages(MAX_PAGES));
    }

    @Test
    void aDocumentOfExactlyTheLimitRenders() {
        RenderedPdf pdf = converter.convert(request(pages(MAX_PAGES), SourceFormat.HTML, PageSize.A4));

        assertThat(pdf.pages()).isEqualTo(MAX_PAGES);
    }

    @Test
    void onePageOverTheConfiguredLimitIs422TooManyPages() {
        assertThatThrownBy(() -> converter.convert(request(pages(MAX_PAGES + 1), SourceFormat.HTML, PageSize.A4)))
                .isInstanceOfSatisfying(CrankException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.code()).isEqualTo("TOO_MANY_PAGES");
                });
    }

    @Test
    void theDeadlineIsCheckedOnEveryPageLayoutCreatesEvenWithoutText() {
        // No text, so the line breakers are never called: only the per-page checks can see the clock.
        // Each read of the clock advances it a second; outside layout it is read three times.
        AtomicLong reads = new AtomicLong();
        RenderDeadline deadline = RenderDeadline.after(Duration.ofSeconds(40),
                () -> Duration.ofSeconds(reads.getAndIncrement()).toNanos());
        DocumentConverter roomy = DocumentConverter.create(ConversionLimits.defaults());

        assertThatThrownBy(() -> roomy.convert(request("<div style=\"height:9000px\"></div>".repeat(10), SourceFormat.HTML,
                PageSize.A4), deadline))
                .isInstanceOfSatisfying(CrankException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.code()).isEqualTo("RENDER_TIMEOUT");
                });
        assertThat(reads.get()).isEqualTo(41);
    }

    @Test
    void anOutOfMemoryErrorInsideLayoutIs422AndTheConverterKeepsWorking() {
        // The error is raised from the per-page deadline check, deep inside openhtmltopdf's layout.
        AtomicLong reads = new AtomicLong();
        RenderDeadline exhausting = RenderDeadline.after(Duration.ofMinutes(1), () -> {
            if (reads.incrementAndGet() > 2) {
                throw new OutOfMemoryError("Java heap space (injected)");
            }
            return 0L;
        });

        assertThatThrownBy(() -> converter.convert(request(pages(2), SourceFormat.HTML, PageSize.A4), exhausting))
                .isInstanceOfSatisfying(CrankException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.code()).isEqualTo("DOCUMENT_TOO_COMPLEX");
                });
        assertThat(converter.convert(request(pages(2), SourceFormat.HTML, PageSize.A4)).pages()).isEqualTo(2);
    }

    private static String pages(int count) {
        return "<p>page 1</p>" + "<p style=\"page-break-before:always\">next page</p>".repeat(count - 1);
    }
}
