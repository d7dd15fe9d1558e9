package dev.crank.core.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * JSON Schema {@code pattern}, {@code patternProperties} and {@code format: regex} on RE2/J: matching
 * takes time linear in the input whatever the expression, so a registered schema cannot make
 * validation run for ever ({@code ^(.*a){20}$} backtracks exponentially on the JDK's engine).
 * Back-references and look-around have no linear-time implementation and are refused when the schema
 * is compiled; ECMA-262's {@code \\u} escapes are translated to RE2's.
 */
final class LinearRegularExpressions implements RegularExpressionFactory {

    static final LinearRegularExpressions INSTANCE = new LinearRegularExpressions();

    /** Longer expressions are refused: RE2 compiles to a program whose size grows with the text. */
    static final int MAX_LENGTH = 1_000;

    private LinearRegularExpressions() {}

    @Override
    public RegularExpression getRegularExpression(String regex) {
        if (regex.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("pattern: " + regex.length() + " characters (expected: at most " + MAX_LENGTH + ")");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(toRe2(regex));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern '" + abbreviate(regex)
                    + "' is not a linear-time regular expression (back-references and look-around are refused): " + e.getMessage(), e);
        }
        return value -> pattern.matcher(value).find();
    }

    /** ECMA-262's {@code \\uXXXX} (what JSON Schema patterns are written in) as RE2's {@code \\x{XXXX}}; the rest is shared syntax. */
    static String toRe2(String ecma) {
        StringBuilder re2 = new StringBuilder(ecma.length());
        for (int i = 0; i < ecma.length(); i++) {
            char c = ecma.charAt(i);
            if (c == '\\' && i + 1 < ecma.length()) {
                char next = ecma.charAt(i + 1);
                if (next == 'u' && isHex(ecma, i + 2, 4)) {
                    re2.append("\\x{").append(ecma, i + 2, i + 6).append('}');
                    i += 5;
                    continue;
                }
                re2.append(c).append(next);
                i++;
                continue;
            }
            re2.append(c);
        }
        return re2.toString();
    }

    private static boolean isHex(String text, int from, int count) {
        if (from + count > text.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String regex) {
        return regex.length() > 100 ? regex.substring(0, 100) + "..." : regex;
    }
}
