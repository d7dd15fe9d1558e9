package dev.crank.workers.zettel;

import dev.crank.core.CrankException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Zettel ids: the caller's, checked here, or generated ones that sort by creation time
 * ({@code 20261115T103045123Z-0000}: UTC to the millisecond, then a sequence number within it).
 * Generated ids never repeat within a process, even when the clock stands still or steps back.
 */
final class ZettelIds {

    static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int SEQUENCES_PER_MILLI = 10_000;

    private long lastMillis = Long.MIN_VALUE;
    private int sequence;

    /** The next id for a zettel created at {@code now}; strictly greater than every id before it. */
    synchronized String next(Instant now) {
        long millis = now.toEpochMilli();
        if (millis > lastMillis) {
            lastMillis = millis;
            sequence = 0;
        } else if (++sequence == SEQUENCES_PER_MILLI) {
            // Borrow the next millisecond rather than break the ordering or the width.
            lastMillis++;
            sequence = 0;
        }
        return STAMP.format(Instant.ofEpochMilli(lastMillis)) + "-" + String.format("%04d", sequence);
    }

    static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches() && !id.equals(".") && !id.equals("..");
    }

    /** Returns {@code id} if it is a valid id, else a 400 {@code INVALID_ID}. */
    static String require(String id) {
        if (!isValid(id)) {
            throw CrankException.badRequest("INVALID_ID", "id: '" + printable(id)
                    + "' (expected: 1-128 of A-Z a-z 0-9 . _ -, and not '.' or '..')");
        }
        return id;
    }

    private static String printable(String id) {
        if (id == null) {
            return "null";
        }
        String shown = id.length() > 140 ? id.substring(0, 140) + "..." : id;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
