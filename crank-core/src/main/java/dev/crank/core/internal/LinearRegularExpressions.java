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
 * is compiled.
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
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern '" + abbreviate(regex)
                    + "' is not a linear-time regular expression (back-references and look-around are refused): " + e.getMessage(), e);
        }
        return value -> pattern.matcher(value).find();
    }

    private static String abbreviate(String regex) {
        return regex.length() > 100 ? regex.substring(0, 100) + "..." : regex;
    }
}
