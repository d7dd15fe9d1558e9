package dev.crank.workers.mail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.james.mime4j.codec.DecodeMonitor;

/**
 * Collects what mime4j and the parser found wrong with a message, never failing on it. Repeats of
 * one defect are counted rather than listed again (a corrupt base64 part can warn thousands of times),
 * and line-ending warnings are dropped: mail stored on Unix has LF line ends, which is not a defect.
 */
final class Defects extends DecodeMonitor {

    static final int MAX_DISTINCT = 50;
    static final int MAX_QUOTED = 100;

    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private int dropped;

    @Override
    public boolean warn(String error, String dropDesc) {
        if (error.startsWith("Found LF without CR") || error.startsWith("Found CR without LF")) {
            return false;
        }
        add(describe(error, dropDesc == null ? "" : dropDesc.strip()));
        return false; // keep parsing: a defect is reported, never fatal
    }

    /** mime4j's warnings in words a reader of the answer understands, with the decoder named. */
    static String describe(String error, String dropDesc) {
        if (error.startsWith("ignored blanks")) {
            return "quoted-printable: white space before a line break was dropped";
        }
        if (error.startsWith("Invalid header encountered")) {
            return "header section: a line that is not a 'Name: value' field was ignored";
        }
        if (error.startsWith("Obsolete header encountered")) {
            return "header section: obsolete header syntax";
        }
        String detail = dropDesc.isEmpty() ? error : error + " (" + dropDesc + ")";
        if (error.startsWith("Found non-standard soft line break") || error.startsWith("Unexpected ==")
                || error.startsWith("Malformed encoded value")) {
            return "quoted-printable: " + detail;
        }
        if (error.startsWith("Unexpected base64") || error.contains("BASE64") || error.startsWith("Unexpected padding")) {
            return "base64: " + detail;
        }
        return detail;
    }

    @Override
    public boolean isListening() {
        return true;
    }

    /** {@code 'value'} stripped, cut to {@value #MAX_QUOTED} characters: a defect never repeats a huge header. */
    static String quote(String value) {
        String stripped = value.strip();
        return "'" + (stripped.length() > MAX_QUOTED ? stripped.substring(0, MAX_QUOTED) + "…" : stripped) + "'";
    }

    void add(String defect) {
        if (counts.containsKey(defect) || counts.size() < MAX_DISTINCT) {
            counts.merge(defect, 1, Integer::sum);
        } else {
            dropped++;
        }
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    List<String> list() {
        List<String> list = new ArrayList<>(counts.size() + 1);
        counts.forEach((defect, count) -> list.add(count == 1 ? defect : defect + " [x" + count + "]"));
        if (dropped > 0) {
            list.add(dropped + " further defects not listed");
        }
        return list;
    }
}
