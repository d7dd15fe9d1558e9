package dev.crank.workers.mail;

import java.text.ParsePosition;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.james.mime4j.field.DateTimeFieldLenientImpl;

/** RFC 5322 dates read leniently with mime4j's formatter (two-digit years, missing seconds, obsolete zones). */
final class Dates {

    /** What may follow a date without being a defect: a comment or an obsolete zone name. */
    private static final Pattern HARMLESS_TAIL = Pattern.compile("\\s*(\\(.*\\)|[A-Za-z]{1,5}(\\s*\\(.*\\))?)?\\s*");

    private record Parsed(Instant instant, String tail) {}

    private Dates() {}

    /** The instant, or empty when the text is not a date. */
    static Optional<Instant> parse(String text) {
        return read(text).map(Parsed::instant);
    }

    /** As {@link #parse(String)}, and reports to {@code defects} text after the date that was ignored. */
    static Optional<Instant> parse(String text, String where, Defects defects) {
        Optional<Parsed> parsed = read(text);
        parsed.filter(p -> p.tail().length() > 100 || !HARMLESS_TAIL.matcher(p.tail()).matches())
                .ifPresent(p -> defects.add(where + ": ignored " + Defects.quote(p.tail()) + " after the date"));
        return parsed.map(Parsed::instant);
    }

    private static Optional<Parsed> read(String text) {
        // folding white space may stand anywhere; the formatter wants single spaces
        String trimmed = Whitespace.collapse(text);
        ParsePosition position = new ParsePosition(0);
        try {
            Instant instant = Instant.from(DateTimeFieldLenientImpl.RFC_5322.parse(trimmed, position));
            return Optional.of(new Parsed(instant, trimmed.substring(position.getIndex())));
        } catch (RuntimeException e) { // DateTimeParseException, DateTimeException: not a date
            return Optional.empty();
        }
    }
}
