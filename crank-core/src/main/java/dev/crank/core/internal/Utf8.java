package dev.crank.core.internal;

/** Strict UTF-8 checks without decoding (nothing is allocated). Plumbing, not API. */
public final class Utf8 {

    private Utf8() {}

    /**
     * Whether {@code bytes} is well-formed UTF-8 as the JDK's decoder reads it with {@code REPORT}: no
     * stray continuation byte, no overlong form, no surrogate, nothing above U+10FFFF, no truncated sequence.
     */
    public static boolean isValid(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i];
            if (b >= 0) { // ASCII, the usual case
                i++;
                continue;
            }
            b &= 0xFF;
            int continuations;
            int low = 0x80;
            int high = 0xBF; // the allowed range of the second byte
            if (b >= 0xC2 && b <= 0xDF) {
                continuations = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                continuations = 2;
                if (b == 0xE0) {
                    low = 0xA0; // overlong below U+0800
                } else if (b == 0xED) {
                    high = 0x9F; // U+D800..U+DFFF are surrogates
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                continuations = 3;
                if (b == 0xF0) {
                    low = 0x90; // overlong below U+10000
                } else if (b == 0xF4) {
                    high = 0x8F; // above U+10FFFF
                }
            } else {
                return false; // a continuation byte, C0, C1 or F5..FF in lead position
            }
            if (i + continuations >= n) {
                return false; // truncated
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < low || second > high) {
                return false;
            }
            for (int k = 2; k <= continuations; k++) {
                int next = bytes[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return false;
                }
            }
            i += continuations + 1;
        }
        return true;
    }
}
