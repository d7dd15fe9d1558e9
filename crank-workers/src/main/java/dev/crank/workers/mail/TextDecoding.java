package dev.crank.workers.mail;

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
        if (charset.equals(StandardCharsets.UTF_8)) { // the common case, without a decoder and its char buffer
            return isUtf8(bytes) ? Optional.of(new String(bytes, StandardCharsets.UTF_8)) : Optional.empty();
        }
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

    /**
     * Whether {@code bytes} are well-formed UTF-8 as Java's decoder reads it when told to report errors:
     * no overlong forms, no surrogates (U+D800-U+DFFF), nothing above U+10FFFF, no truncated sequence.
     */
    static boolean isUtf8(byte[] bytes) {
        int i = 0;
        int length = bytes.length;
        while (i < length) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int extra;
            int min;
            if (b >= 0xC2 && b <= 0xDF) {
                extra = 1;
                min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                extra = 2;
                min = 0x800;
            } else if (b >= 0xF0 && b <= 0xF4) {
                extra = 3;
                min = 0x10000;
            } else {
                return false; // a continuation byte first, C0/C1 (always overlong), or F5-FF
            }
            if (i + extra >= length) { // truncated at the end
                return false;
            }
            int codePoint = b & (0x3F >> extra);
            for (int k = 1; k <= extra; k++) {
                int next = bytes[i + k] & 0xFF;
                if ((next & 0xC0) != 0x80) {
                    return false;
                }
                codePoint = (codePoint << 6) | (next & 0x3F);
            }
            if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
                return false;
            }
            i += extra + 1;
        }
        return true;
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
