package dev.crank.workers.mail;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a caller asks of one parse: whether to return the body text, how long a snippet to cut
 * and which keywords mark a receipt.
 *
 * @param includeBody    return {@code body_text} and {@code body_snippet} (default {@code true})
 * @param snippetLength  characters in {@code body_snippet}, 0-10000 (default 200)
 * @param receiptKeywords whole words or phrases that mark a receipt, matched in any case
 */
public record ParseOptions(boolean includeBody, int snippetLength, List<String> receiptKeywords) {

    public static final int DEFAULT_SNIPPET_LENGTH = 200;
    public static final int MAX_SNIPPET_LENGTH = 10_000;
    public static final List<String> DEFAULT_RECEIPT_KEYWORDS = List.of("receipt", "invoice", "order confirmation",
            "payment confirmation", "statement", "bill", "purchase", "transaction", "total", "amount due");

    public ParseOptions {
        if (snippetLength < 0 || snippetLength > MAX_SNIPPET_LENGTH) {
            throw new IllegalArgumentException("snippetLength: " + snippetLength + " (expected: 0-" + MAX_SNIPPET_LENGTH + ")");
        }
        receiptKeywords = List.copyOf(requireNonNull(receiptKeywords, "receiptKeywords"));
    }

    public static ParseOptions defaults() {
        return new ParseOptions(true, DEFAULT_SNIPPET_LENGTH, DEFAULT_RECEIPT_KEYWORDS);
    }
}
