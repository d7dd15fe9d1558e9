package dev.crank.workers.mail;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SPF, DKIM and DMARC verdicts from {@code Authentication-Results} (RFC 8601) and {@code Received-SPF}
 * (RFC 7208) headers; the first verdict found for each method wins.
 */
public record Authentication(Optional<String> spf, Optional<String> dkim, Optional<String> dmarc) {

    private static final Pattern RESULT = Pattern.compile("(?<![\\w.-])(spf|dkim|dmarc)\\s*=\\s*([A-Za-z]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern COMMENT = Pattern.compile("\\([^()]*\\)");
    private static final Pattern SPF_WORD = Pattern.compile("^\\s*([A-Za-z]+)");

    public static Authentication none() {
        return new Authentication(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Adds the verdicts of one {@code Authentication-Results} value where this one has none. */
    Authentication withResults(String value) {
        String text = stripComments(value);
        Optional<String> spfResult = spf;
        Optional<String> dkimResult = dkim;
        Optional<String> dmarcResult = dmarc;
        Matcher matcher = RESULT.matcher(text);
        while (matcher.find()) {
            Optional<String> result = Optional.of(matcher.group(2).toLowerCase(Locale.ROOT));
            switch (matcher.group(1).toLowerCase(Locale.ROOT)) {
                case "spf" -> spfResult = spfResult.or(() -> result);
                case "dkim" -> dkimResult = dkimResult.or(() -> result);
                default -> dmarcResult = dmarcResult.or(() -> result);
            }
        }
        return new Authentication(spfResult, dkimResult, dmarcResult);
    }

    /** Adds the verdict of one {@code Received-SPF} value ({@code Pass (...) ...}) if SPF has none yet. */
    Authentication withReceivedSpf(String value) {
        if (spf.isPresent()) {
            return this;
        }
        Matcher matcher = SPF_WORD.matcher(value);
        return matcher.find()
                ? new Authentication(Optional.of(matcher.group(1).toLowerCase(Locale.ROOT)), dkim, dmarc)
                : this;
    }

    private static String stripComments(String value) {
        String text = value;
        String previous;
        do {
            previous = text;
            text = COMMENT.matcher(text).replaceAll(" ");
        } while (!text.equals(previous));
        return text;
    }
}
