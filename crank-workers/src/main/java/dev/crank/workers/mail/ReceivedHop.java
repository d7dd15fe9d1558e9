package dev.crank.workers.mail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One {@code Received} header: {@code from X by Y with Z id W; date}. The clauses are found at
 * comment depth 0, so words inside {@code (...)} comments are not taken for clause names.
 *
 * @param delaySeconds seconds between the previous hop (the next header down) and this one; empty
 *                     for the first hop or when either timestamp is missing
 */
public record ReceivedHop(Optional<String> from, Optional<String> by, Optional<String> with, Optional<String> id,
                          Optional<String> forRecipient, Optional<Instant> timestamp, Optional<Long> delaySeconds) {

    private static final List<String> CLAUSES = List.of("from", "by", "via", "with", "id", "for");

    /** Parses the (unfolded) values in header order, newest first, and computes the delay of each hop. */
    static List<ReceivedHop> parseAll(List<String> values, Defects defects) {
        List<ReceivedHop> hops = new ArrayList<>(values.size());
        for (String value : values) {
            hops.add(parse(value, defects));
        }
        List<ReceivedHop> withDelays = new ArrayList<>(hops.size());
        for (int i = 0; i < hops.size(); i++) {
            ReceivedHop hop = hops.get(i);
            Optional<Long> delay = Optional.empty();
            if (i + 1 < hops.size() && hop.timestamp.isPresent() && hops.get(i + 1).timestamp.isPresent()) {
                delay = Optional.of(hop.timestamp.get().getEpochSecond() - hops.get(i + 1).timestamp.get().getEpochSecond());
            }
            withDelays.add(new ReceivedHop(hop.from, hop.by, hop.with, hop.id, hop.forRecipient, hop.timestamp, delay));
        }
        return withDelays;
    }

    static ReceivedHop parse(String value, Defects defects) {
        int semicolon = lastTopLevelSemicolon(value);
        String clauses = semicolon < 0 ? value : value.substring(0, semicolon);
        Optional<Instant> timestamp = Optional.empty();
        if (semicolon >= 0) {
            timestamp = Dates.parse(value.substring(semicolon + 1));
            if (timestamp.isEmpty()) {
                defects.add("Received: unparseable timestamp " + Defects.quote(value.substring(semicolon + 1)));
            }
        }
        String[] found = new String[CLAUSES.size()];
        int depth = 0;
        int current = -1;
        int start = 0;
        for (int i = 0; i < clauses.length(); i++) {
            char c = clauses.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0 && (i == 0 || Character.isWhitespace(clauses.charAt(i - 1)))) {
                int clause = clauseAt(clauses, i);
                if (clause >= 0 && found[clause] == null) {
                    if (current >= 0) {
                        found[current] = clean(clauses.substring(start, i));
                    }
                    current = clause;
                    start = i + CLAUSES.get(clause).length();
                }
            }
        }
        if (current >= 0) {
            found[current] = clean(clauses.substring(start));
        }
        return new ReceivedHop(value(found[0]), value(found[1]), value(found[3]), value(found[4]), value(found[5]),
                timestamp, Optional.empty());
    }

    private static int clauseAt(String text, int i) {
        char first = (char) (text.charAt(i) | 0x20); // lower case for ASCII letters
        if (first != 'f' && first != 'b' && first != 'v' && first != 'w' && first != 'i') {
            return -1; // no clause starts so: most words of a Received header are host names and addresses
        }
        for (int clause = 0; clause < CLAUSES.size(); clause++) {
            String word = CLAUSES.get(clause);
            int end = i + word.length();
            if (end < text.length() && text.regionMatches(true, i, word, 0, word.length())
                    && Character.isWhitespace(text.charAt(end))) {
                return clause;
            }
        }
        return -1;
    }

    private static int lastTopLevelSemicolon(String value) {
        int depth = 0;
        int last = -1;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (c == ';' && depth == 0) {
                last = i;
            }
        }
        return last;
    }

    private static String clean(String text) {
        return Whitespace.collapse(text);
    }

    private static Optional<String> value(String text) {
        return text == null || text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** The protocol in lower case ({@code esmtp}, {@code smtp}, ...), handy for features. */
    public Optional<String> protocol() {
        return with.map(w -> w.split("\\s+", 2)[0].toLowerCase(Locale.ROOT));
    }
}
