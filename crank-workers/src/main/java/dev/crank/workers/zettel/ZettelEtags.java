package dev.crank.workers.zettel;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.crank.core.CrankException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strong entity tags for zettels and the {@code If-Match} / {@code If-None-Match} preconditions that
 * compare them (RFC 9110 §8.8.3, §13.1). A zettel's tag is a digest of its whole file (front matter
 * and content, {@code updated_at} included), so every write that changes the zettel changes the tag,
 * and the tag survives a restart: it is read back from the same file.
 */
final class ZettelEtags {

    /** {@code *}, or a comma-separated list of entity tags, weak ones included (they never match). */
    private static final Pattern ENTITY_TAG = Pattern.compile("\\s*(W/)?(\"[\\x21\\x23-\\x7e\\x80-\\xff]*\")\\s*(,|$)");

    private ZettelEtags() {}

    /** The quoted strong entity tag of {@code zettel}, e.g. {@code "Tq3Gm1nEkM2rSx0Yb4wA7g"}. */
    static String of(Zettel zettel) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ZettelMarkdown.render(zettel).getBytes(UTF_8));
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * A parsed {@code If-Match} (or {@code if_match}) value: any current zettel, or one of these strong
     * tags. Weak tags are kept out, since If-Match compares strongly.
     */
    record IfMatch(boolean any, List<String> strongTags) {

        IfMatch {
            strongTags = List.copyOf(strongTags);
        }

        /** Parses {@code value}; a malformed one is a 400 {@code INVALID_PRECONDITION} naming {@code field}. */
        static IfMatch parse(String field, String value) {
            if (value.strip().equals("*")) {
                return new IfMatch(true, List.of());
            }
            List<String> strong = new ArrayList<>();
            Matcher tag = ENTITY_TAG.matcher(value);
            int at = 0;
            boolean more = true;
            while (more) {
                if (!tag.region(at, value.length()).lookingAt()) {
                    throw malformed(field, value);
                }
                if (tag.group(1) == null) {
                    strong.add(tag.group(2));
                }
                at = tag.end();
                more = tag.group(3).equals(",");
            }
            return new IfMatch(false, strong);
        }

        boolean matches(Zettel current) {
            return any || strongTags.contains(of(current));
        }

        /** Throws a 412 {@code PRECONDITION_FAILED} unless this matches {@code current}. */
        void require(Zettel current) {
            if (!matches(current)) {
                throw new CrankException(412, "PRECONDITION_FAILED", "Zettel " + current.id() + " has changed: its entity tag is "
                        + of(current) + ", not " + (strongTags.isEmpty() ? "a strong tag given" : String.join(", ", strongTags))
                        + "; read it again, reapply the change and retry");
            }
        }

        private static CrankException malformed(String field, String value) {
            String shown = value.length() > 200 ? value.substring(0, 200) + "…" : value;
            return CrankException.badRequest("INVALID_PRECONDITION", field + ": '" + shown
                    + "' (expected: * or quoted entity tags such as \"Tq3Gm1nEkM2rSx0Yb4wA7g\", comma-separated)");
        }
    }

    /** Throws a 412 {@code PRECONDITION_FAILED}: {@code If-None-Match: *} and zettel {@code id} exists. */
    static CrankException exists(String id) {
        return new CrankException(412, "PRECONDITION_FAILED", "A zettel with id " + id
                + " already exists and the request asked for none (If-None-Match: *)");
    }
}
