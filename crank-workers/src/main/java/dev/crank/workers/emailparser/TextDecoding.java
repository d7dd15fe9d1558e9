package dev.crank.workers.emailparser;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns the bytes of a text part into a string, as mail clients do: the declared charset when Java
 * knows it, UTF-8 then windows-1252 when none is declared or the part claims US-ASCII but carries 8-bit
 * bytes, and windows-1252 for ISO-8859-1 (its superset, as browsers read it). Decoding never fails;
 * what had to be guessed or replaced is reported as a defect.
 */
final class TextDecoding {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private TextDecoding() {}

    static String decode(byte[] bytes, String declared, String where, Defects defects) {
        String name = declared == null ? "" : declared.strip().toLowerCase(Locale.ROOT);
        if (name.isEmpty() || name.equals("us-ascii") || name.equals("ascii") || name.equals("iso-8859-1")
                || name.equals("latin1") || name.equals("iso8859-1")) {
            if (isAscii(bytes)) {
                return new String(bytes, StandardCharsets.US_ASCII);
            }
            if (!name.startsWith("iso") && !name.startsWith("latin")) {
                Optional<String> utf8 = strict(bytes, StandardCharsets.UTF_8);
                if (utf8.isPresent()) {
                    return utf8.get();
                }
            }
            return new String(bytes, WINDOWS_1252);
        }
        Optional<Charset> charset = lookup(name);
        if (charset.isEmpty()) {
            defects.add(where + ": unknown charset " + Defects.quote(declared) + ", read as UTF-8 or windows-1252");
            return strict(bytes, StandardCharsets.UTF_8).orElseGet(() -> new String(bytes, WINDOWS_1252));
        }
        Optional<String> text = strict(bytes, charset.get());
        if (text.isPresent()) {
            return text.get();
        }
        defects.add(where + ": bytes not valid in charset " + charset.get().name() + " were replaced");
        return new String(bytes, charset.get());
    }

    static Optional<Charset> lookup(String name) {
        try {
            return Charset.isSupported(name) ? Optional.of(Charset.forName(name)) : Optional.empty();
        } catch (IllegalArgumentException e) { // illegal charset name
            return Optional.empty();
        }
    }

    private static Optional<String> strict(byte[] bytes, Charset charset) {
        try {
            return Optional.of(charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
