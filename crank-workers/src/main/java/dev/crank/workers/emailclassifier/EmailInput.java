package dev.crank.workers.emailclassifier;

import dev.crank.workers.emailparser.EmailParser;
import dev.crank.workers.emailparser.ParseOptions;
import dev.crank.workers.emailparser.ParsedEmail;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the classifiers read: the message parsed by the email parser when {@code email_content} is an
 * RFC 5322 message, or a bare body otherwise, with the subject (the caller's, else the header's) and
 * the text the rules scan.
 *
 * @param rfc5322 whether the content was read as a whole message (headers and MIME parts)
 * @param text    subject and body text, the first {@value #MAX_RULE_TEXT} characters, for the rule-based types
 */
record EmailInput(ParsedEmail email, Optional<String> subject, boolean rfc5322, String text) {

    static final int MAX_RULE_TEXT = 20_000;

    /** Headers of which one must be present for content to be taken as a message, not a body. */
    private static final Set<String> MESSAGE_HEADERS = Set.of("from", "to", "subject", "date", "message-id", "received",
            "mime-version", "content-type", "return-path", "delivered-to", "reply-to", "sender", "cc");

    static EmailInput of(String content, Optional<String> subjectOverride) {
        byte[] raw = content.getBytes(StandardCharsets.UTF_8);
        ParsedEmail email = null;
        if (EmailParser.hasHeaderSection(raw)) {
            ParsedEmail parsed = EmailParser.parse(raw, ParseOptions.defaults());
            boolean message = parsed.headers().stream()
                    .anyMatch(h -> MESSAGE_HEADERS.contains(h.name().toLowerCase(Locale.ROOT)));
            if (message) {
                email = parsed;
            }
        }
        boolean rfc5322 = email != null;
        if (!rfc5322) {
            email = ParsedEmail.ofPlainText(subjectOverride, content);
        }
        Optional<String> subject = subjectOverride.or(email::subject);
        String text = subject.map(s -> s + "\n").orElse("") + email.bodyText();
        if (text.length() > MAX_RULE_TEXT) {
            text = text.substring(0, MAX_RULE_TEXT);
        }
        return new EmailInput(email, subject, rfc5322, text);
    }

    /** The first value of header {@code name}, when the input was a message that has it. */
    Optional<String> header(String name) {
        return email.header(name);
    }

    /** Whether the message says it was sent to a list or in bulk. */
    boolean isBulk() {
        return header("List-Unsubscribe").isPresent() || header("List-Id").isPresent()
                || header("Precedence").map(p -> p.toLowerCase(Locale.ROOT)).filter(p -> p.contains("bulk")
                        || p.contains("list") || p.contains("junk")).isPresent();
    }

    /** Whether the message says a machine sent it. */
    boolean isAutomated() {
        return header("Auto-Submitted").filter(v -> !v.strip().equalsIgnoreCase("no")).isPresent()
                || email.from().map(f -> f.address().toLowerCase(Locale.ROOT))
                        .filter(a -> a.contains("noreply") || a.contains("no-reply") || a.contains("donotreply")
                                || a.contains("do-not-reply") || a.startsWith("notifications@") || a.startsWith("alerts@")
                                || a.startsWith("mailer-daemon@"))
                        .isPresent();
    }
}
