package dev.crank.workers.documentconversion;

import com.openhtmltopdf.context.StyleReference;
import com.openhtmltopdf.css.newmatch.PageInfo;
import com.openhtmltopdf.layout.SharedContext;
import com.openhtmltopdf.outputdevice.helper.NullUserInterface;
import com.openhtmltopdf.pdfboxout.PdfBoxRenderer;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import dev.crank.core.CrankException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/**
 * Bounds the pages of one render and checks its {@link RenderDeadline} once per page, in both places
 * where openhtmltopdf makes pages without calling any other code of ours:
 *
 * <ul>
 *   <li>During layout, a box taller than the page (a {@code height: 20000000px}, a glyph 100 000 000 px
 *       high) makes the root layer append pages in a tight loop; each new page asks the style
 *       reference for its {@code @page} style, so a {@link StyleReference} that counts those calls
 *       sees every page as it is created.</li>
 *   <li>While writing the PDF, each page is requested from a page supplier.</li>
 * </ul>
 *
 * Past the limit either one throws a 422 {@code TOO_MANY_PAGES}, so a page bomb costs the time and
 * memory of {@code maxPages} pages, not of the hundred thousand it asks for. One budget serves one render.
 */
final class PageBudget {

    /** Page boxes openhtmltopdf makes besides the document's own (the initial extents of the renderer). */
    private static final int LAYOUT_SLACK = 2;

    private final int maxPages;
    private final RenderDeadline deadline;
    private int layoutPages;
    private int pdfPages;

    PageBudget(int maxPages, RenderDeadline deadline) {
        this.maxPages = maxPages;
        this.deadline = deadline;
    }

    /** Makes the PDF's pages through this budget; call before building the renderer. */
    void install(PdfRendererBuilder builder) {
        builder.usePageSupplier(this::requestPage);
    }

    /**
     * Swaps the renderer's style reference for one that counts the pages layout creates; call after
     * building the renderer (which has already read the document's style sheets into its own) and
     * before {@code layout()}. The replacement reads the same style sheets again from the same DOM.
     */
    void watchLayout(PdfBoxRenderer renderer) {
        SharedContext context = renderer.getSharedContext();
        StyleReference counting = new PageCountingStyles(context.getUserAgentCallback());
        counting.setDocumentContext(context, context.getNamespaceHandler(), renderer.getDocument(), new NullUserInterface());
        context.setCss(counting);
    }

    private PDPage requestPage(PDDocument document, float width, float height, int pageNumber, int shadowPageNumber) {
        deadline.check();
        if (++pdfPages > maxPages) {
            throw tooManyPages();
        }
        PDPage page = new PDPage(new PDRectangle(width, height));
        document.addPage(page);
        return page;
    }

    private void layoutCreatesPage() {
        deadline.check();
        if (++layoutPages > maxPages + LAYOUT_SLACK) {
            throw tooManyPages();
        }
    }

    private CrankException tooManyPages() {
        return new CrankException(422, "TOO_MANY_PAGES", "The document lays out to more than " + maxPages
                + " pages (expected: at most " + maxPages + "); split it, or check for absurd heights, font sizes or page breaks");
    }

    /** The renderer's style reference, but every {@code @page} style it hands out counts as a page. */
    private final class PageCountingStyles extends StyleReference {
        PageCountingStyles(com.openhtmltopdf.extend.UserAgentCallback userAgent) {
            super(userAgent);
        }

        @Override
        public PageInfo getPageStyle(String pageName, String pseudoPage) {
            layoutCreatesPage();
            return super.getPageStyle(pageName, pseudoPage);
        }
    }
}
