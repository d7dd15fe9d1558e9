package dev.crank.workers.documentconversion;

import static java.util.Objects.requireNonNull;

import com.openhtmltopdf.layout.TextUtil;
import com.openhtmltopdf.layout.UrlAwareLineBreakIterator;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.PageSizeUnits;
import com.openhtmltopdf.pdfboxout.PdfBoxRenderer;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import dev.crank.core.CrankException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.BreakIterator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts Markdown, HTML or plain text to PDF with openhtmltopdf, offline: fonts come from the
 * class path (DejaVu) and, per glyph DejaVu lacks, from the machine's font folders ({@link InstalledFonts}),
 * {@code data:} URIs are the only resources loaded (see {@link ResourceGuard}), the PDF is assembled in
 * memory, a {@link RenderDeadline} bounds the time spent and a {@link PageBudget} the pages (both checked
 * on every page layout creates and every page written). Thread-safe: every call builds its own renderer.
 *
 * <pre>{@code
 * DocumentConverter converter = DocumentConverter.create(ConversionLimits.defaults());
 * RenderedPdf pdf = converter.convert(new ConversionRequest("# Hello", SourceFormat.MARKDOWN, false,
 *         Optional.empty(), PageSize.A4));
 * }</pre>
 */
public final class DocumentConverter {

    private static final Logger logger = LoggerFactory.getLogger(DocumentConverter.class);
    private static final int MAX_MISSING_GLYPHS_LISTED = 20;
    private static final String PRODUCER = "Crank document-conversion (openhtmltopdf, PDFBox)";

    private final ConversionLimits limits;
    private final BundledFonts fonts;
    private final InstalledFonts installedFonts;
    private final HtmlComposer composer = new HtmlComposer();

    private DocumentConverter(ConversionLimits limits, BundledFonts fonts, InstalledFonts installedFonts) {
        this.limits = requireNonNull(limits, "limits");
        this.fonts = fonts;
        this.installedFonts = requireNonNull(installedFonts, "installedFonts");
    }

    /**
     * Loads the bundled fonts and sets up the JVM-wide pieces the converter relies on: PDFBox's font
     * mapper, openhtmltopdf's logger, and ImageIO without its temp-file cache.
     */
    public static DocumentConverter create(ConversionLimits limits) {
        return create(limits, InstalledFonts.scan(InstalledFonts.directories(System.getenv("CRANK_FONT_DIRS"))));
    }

    /** As {@link #create(ConversionLimits)}, with the given installed fonts as per-glyph fallbacks. */
    static DocumentConverter create(ConversionLimits limits, InstalledFonts installedFonts) {
        BundledFonts fonts = BundledFonts.load();
        BundledFonts.installFontMapper(fonts);
        Slf4jXrLogger.install();
        ImageIO.setUseCache(false);
        return new DocumentConverter(limits, fonts, installedFonts);
    }

    /**
     * Converts a small document that touches every code path once (Markdown, tables, bold, italic,
     * code), so the first caller does not pay for class loading and font parsing. It has its own
     * minute of render time, whatever the limits say.
     */
    public void warmUp() {
        String sample = "# Warm-up\n\nΚαλημέρα, **Привет**, *café* → ✓ `Ω`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        for (BundledFonts.Face face : BundledFonts.Face.values()) {
            fonts.parsed(face);
        }
        convert(new ConversionRequest(sample, SourceFormat.MARKDOWN, false, Optional.empty(), PageSize.A4),
                RenderDeadline.after(Duration.ofMinutes(1)));
    }

    public ConversionLimits limits() {
        return limits;
    }

    /**
     * Renders {@code request}. A render past the time limit is a 422 {@code RENDER_TIMEOUT}, one past the
     * page limit a 422 {@code TOO_MANY_PAGES}, one that exhausts the heap a 422 {@code DOCUMENT_TOO_COMPLEX}.
     */
    public RenderedPdf convert(ConversionRequest request) {
        RenderDeadline deadline = RenderDeadline.after(limits.renderTimeout());
        return convert(request, deadline);
    }

    RenderedPdf convert(ConversionRequest request, RenderDeadline deadline) {
        long started = System.nanoTime();
        try {
            HtmlComposer.ComposedPage page = composer.compose(request);
            InstalledFonts.Plan fontPlan = installedFonts.plan(fonts.missingCodePoints(page.visibleText()));
            ResourceGuard guard = new ResourceGuard(limits.maxImagePixels());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int pages = render(page, request.pageSize(), guard, new PageBudget(limits.maxPages(), deadline), fontPlan, deadline, out);
            List<ConversionWarning> warnings = new ArrayList<>(guard.warnings());
            missingGlyphsWarning(fontPlan.uncovered()).ifPresent(warnings::add);
            return new RenderedPdf(out.toByteArray(), pages, page.title(), warnings, guard.refusedFetches(),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (CrankException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            // This render's garbage (its DOM, boxes and PDF) is unreachable once the exception leaves
            // render(), so the heap recovers; the worker answers and keeps serving. The page budget
            // and the length clamp make this rare, but they cannot bound every layout.
            logger.warn("A {} document of {} characters exhausted the heap while rendering; answered 422",
                    request.format().wireName(), request.document().length());
            throw new CrankException(422, "DOCUMENT_TOO_COMPLEX", "The document needs more memory to lay out than this "
                    + "worker has; split it or simplify its layout");
        } catch (RuntimeException | StackOverflowError e) {
            // The renderer choked on this document (nesting too deep, a layout it cannot handle):
            // the caller's input, not the service, so a 422 rather than a 500.
            logger.warn("openhtmltopdf could not render a {} document of {} characters", request.format().wireName(),
                    request.document().length(), e);
            throw new CrankException(422, "RENDER_FAILED", "The document could not be laid out as PDF ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private Optional<ConversionWarning> missingGlyphsWarning(List<Integer> missing) {
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        String listed = missing.stream().limit(MAX_MISSING_GLYPHS_LISTED).map(Character::toString)
                .collect(java.util.stream.Collectors.joining(" ")) + (missing.size() > MAX_MISSING_GLYPHS_LISTED ? " …" : "");
        return Optional.of(new ConversionWarning("GLYPHS_MISSING", "No font, bundled or installed, has a glyph for these "
                + missing.size() + " characters, which show as " + BundledFonts.REPLACEMENT + ": " + listed, Optional.empty()));
    }

    private int render(HtmlComposer.ComposedPage page, PageSize pageSize, ResourceGuard guard, PageBudget budget,
                       InstalledFonts.Plan fontPlan,
                       RenderDeadline deadline, ByteArrayOutputStream out) {
        try (PDDocument pdf = new PDDocument()) {
            PdfRendererBuilder builder = new PdfRendererBuilder()
                    .withW3cDocument(page.dom(), null)
                    .usePDDocument(pdf)
                    .useDefaultPageSize(pageSize.widthMm(), pageSize.heightMm(), PageSizeUnits.MM)
                    .useUnicodeLineBreaker(deadline.guard(new UrlAwareLineBreakIterator(BreakIterator.getLineInstance(Locale.ROOT))))
                    .useUnicodeCharacterBreaker(deadline.guard(
                            new TextUtil.DefaultCharacterBreaker(BreakIterator.getCharacterInstance(Locale.ROOT))))
                    .withProducer(PRODUCER);
            guard.install(builder);
            budget.install(builder);
            fonts.install(builder, pdf);
            try (PdfBoxRenderer renderer = builder.buildPdfRenderer()) {
                budget.watchLayout(renderer);
                fontPlan.install(renderer, pdf);
                renderer.layout();
                deadline.check();
                renderer.createPDFWithoutClosing();
                deadline.check();
                pdf.save(out);
                return pdf.getNumberOfPages();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the PDF failed", e);
        }
    }
}
