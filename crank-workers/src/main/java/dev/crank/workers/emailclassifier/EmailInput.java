package dev.crank.workers.emailclassifier;

import dev.crank.workers.mail.EmailParser;
import dev.crank.workers.mail.ParseOptions;
import dev.crank.workers.mail.ParsedEmail;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

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

    static EmailInput of(String content, Optional<String> subjectOverride) {
        Optional<ParsedEmail> message = EmailParser.parseIfMessage(content.getBytes(StandardCharsets.UTF_8), ParseOptions.defaults());
        ParsedEmail email = message.orElseGet(() -> ParsedEmail.ofPlainText(subjectOverride, content));
        Optional<String> subject = subjectOverride.or(email::subject);
        String text = subject.map(s -> s + "\n").orElse("") + email.bodyText();
        if (text.length() > MAX_RULE_TEXT) {
            text = text.substring(0, MAX_RULE_TEXT);
        }
        return new EmailInput(email, subject, message.isPresent(), text);
    }

    /** The first value of header {@code name}, when the input was a message that has it. */
    Optional<String> header(String name) {
        return email.header(name);
    }

    boolean isBulk() {
        return email.isBulk();
    }

    boolean isAutomated() {
        return email.isAutomated();
    }
}
