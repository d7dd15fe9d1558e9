package dev.crank.workers.documentconversion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/** Reads PDFs back in tests with PDFBox. */
final class Pdfs {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Pdfs() {}

    static PDDocument load(byte[] pdf) {
        try {
            return Loader.loadPDF(pdf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of every page in the order it was drawn. */
    static String text(byte[] pdf) {
        return text(pdf, false);
    }

    /**
     * The text of every page, in drawing order or sorted by position. Each has its blind spot:
     * openhtmltopdf draws inline code (which has a background) after the rest of its line, and
     * sorting by position interleaves the lines of neighbouring table cells.
     */
    static String text(byte[] pdf, boolean sortByPosition) {
        try (PDDocument document = load(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(sortByPosition);
            return stripper.getText(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code text} without any whitespace, so that line wrapping cannot hide a match. */
    static String squeeze(String text) {
        return WHITESPACE.matcher(text).replaceAll("");
    }
}
