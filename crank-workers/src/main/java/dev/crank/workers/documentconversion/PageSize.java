package dev.crank.workers.documentconversion;

import dev.crank.core.CrankException;
import java.util.Arrays;

/** The paper sizes a document can be rendered on, in millimetres (Letter is 8.5 × 11 in). */
public enum PageSize {
    A4("A4", 210f, 297f),
    LETTER("Letter", 215.9f, 279.4f);

    private final String wireName;
    private final float widthMm;
    private final float heightMm;

    PageSize(String wireName, float widthMm, float heightMm) {
        this.wireName = wireName;
        this.widthMm = widthMm;
        this.heightMm = heightMm;
    }

    /** The name on the wire: {@code "A4"} or {@code "Letter"}. */
    public String wireName() {
        return wireName;
    }

    public float widthMm() {
        return widthMm;
    }

    public float heightMm() {
        return heightMm;
    }

    /** The width in PDF points (1/72 in). */
    public float widthPt() {
        return widthMm / 25.4f * 72f;
    }

    public float heightPt() {
        return heightMm / 25.4f * 72f;
    }

    /** Parses a wire name; anything else is a 400 {@code INVALID_PAGE_SIZE}. */
    public static PageSize parse(String name) {
        return Arrays.stream(values())
                .filter(size -> size.wireName.equals(name))
                .findFirst()
                .orElseThrow(() -> CrankException.badRequest("INVALID_PAGE_SIZE",
                        "page_size: " + name + " (expected: A4 or Letter)"));
    }
}
