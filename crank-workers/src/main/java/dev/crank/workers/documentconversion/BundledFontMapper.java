package dev.crank.workers.documentconversion;

import org.apache.fontbox.FontBoxFont;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.pdmodel.font.CIDFontMapping;
import org.apache.pdfbox.pdmodel.font.FontMapper;
import org.apache.pdfbox.pdmodel.font.FontMapping;
import org.apache.pdfbox.pdmodel.font.PDCIDSystemInfo;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;

/**
 * A PDFBox {@link FontMapper} that answers every request with DejaVu Sans and so never scans the
 * file system for installed fonts. PDFBox only uses the substitute to draw glyphs of fonts that are
 * not embedded (openhtmltopdf creates the standard 14 fonts for every document, unused); the PDFs
 * this worker writes embed their fonts. The mapping is not flagged as a fallback, or PDFBox would log
 * fourteen warnings per document.
 */
final class BundledFontMapper implements FontMapper {

    private final TrueTypeFont fallback;

    BundledFontMapper(TrueTypeFont fallback) {
        this.fallback = fallback;
    }

    @Override
    public FontMapping<TrueTypeFont> getTrueTypeFont(String baseFont, PDFontDescriptor fontDescriptor) {
        return new FontMapping<>(fallback, false);
    }

    @Override
    public FontMapping<FontBoxFont> getFontBoxFont(String baseFont, PDFontDescriptor fontDescriptor) {
        return new FontMapping<>(fallback, false);
    }

    @Override
    public CIDFontMapping getCIDFont(String baseFont, PDFontDescriptor fontDescriptor, PDCIDSystemInfo cidSystemInfo) {
        return new CIDFontMapping(null, fallback, false);
    }
}
