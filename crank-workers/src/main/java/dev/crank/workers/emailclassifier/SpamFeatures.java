package dev.crank.workers.emailclassifier;

import dev.crank.workers.mail.ParsedEmail;
import dev.crank.workers.mail.ReceivedHop;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The features the spam model sees, as strings (each present or not): subject and body words, the
 * header names a message carries, its mailer, MIME structure, HTML tags, links, From domain, Received
 * path, date sanity and shape statistics. The model is a logistic regression over them.
 *
 * <p>Headers that record how the corpus was stored or what another filter thought ({@code X-Spam-*},
 * {@code X-Keywords}, {@code Status}, {@code Delivery-Date}, ...) are left out: they say nothing about
 * the message as sent and would teach the model the corpus, not spam.
 */
public final class SpamFeatures {

    static final int MAX_WORDS = 2_000;
    private static final int MAX_TOKEN = 24;
    private static final int MAX_SUBJECT = 1_000;
    private static final List<String> IGNORED_HEADER_PREFIXES = List.of("x-spam", "x-keywords", "x-status", "status",
            "x-uid", "delivery-date", "x-mozilla-", "x-imap", "x-sluidl", "x-evolution", "lines", "content-length",
            "x-virus", "x-mailscanner", "x-antivirus", "x-scanned");
    private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?|ftp)://([^/\\s\"'<>:?#]+)");
    private static final Pattern IP_HOST = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern TAG = Pattern.compile("<([a-zA-Z][a-zA-Z0-9]{0,10})\\b");
    private static final Pattern BARE_IP_HELO = Pattern.compile("^\\[?\\d{1,3}(\\.\\d{1,3}){3}\\]?(\\s|$)");

    private SpamFeatures() {}

    /** The features of {@code email}; {@code subject} replaces the message's own when given. */
    public static List<String> of(ParsedEmail email, Optional<String> subject) {
        Set<String> features = new LinkedHashSet<>();
        String subjectText = subject.or(email::subject).orElse("");
        if (subjectText.length() > MAX_SUBJECT) { // a hostile megabyte subject must not feed the regexes below
            subjectText = subjectText.substring(0, MAX_SUBJECT);
        }
        subjectFeatures(subjectText, features);
        bodyFeatures(email, features);
        headerFeatures(email, features);
        return List.copyOf(features);
    }

    private static void subjectFeatures(String subject, Set<String> features) {
        if (subject.isBlank()) {
            features.add("subject:empty");
            return;
        }
        words(subject, "s:", features, 100);
        int letters = 0;
        int upper = 0;
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                if (Character.isUpperCase(c)) {
                    upper++;
                }
            }
        }
        if (letters >= 6 && upper * 10 >= letters * 6) {
            features.add("subject:caps");
        }
        if (subject.contains("!")) {
            features.add("subject:exclamation");
        }
        if (subject.contains("$")) {
            features.add("subject:dollar");
        }
        String lower = subject.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith("re:") || lower.startsWith("aw:")) {
            features.add("subject:reply");
        }
        if (lower.startsWith("fw:") || lower.startsWith("fwd:")) {
            features.add("subject:forward");
        }
        if (lower.matches(".*\\s{3,}.*|.*\\s[a-z0-9]{4,}$") && lower.matches(".*\\d.*")) {
            features.add("subject:trailing-tag");
        }
    }

    private static void bodyFeatures(ParsedEmail email, Set<String> features) {
        String body = email.bodyText();
        features.add("body:source:" + email.textSource());
        features.add("body:length:" + log2Bucket(body.length()));
        words(body, "b:", features, MAX_WORDS);
        int letters = 0;
        int upper = 0;
        int exclamations = 0;
        int dollars = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                if (Character.isUpperCase(c)) {
                    upper++;
                }
            } else if (c == '!') {
                exclamations++;
            } else if (c == '$') {
                dollars++;
            }
        }
        if (letters > 0) {
            features.add("body:caps:" + Math.min(5, upper * 10 / letters));
        }
        features.add("body:exclamations:" + log2Bucket(exclamations));
        features.add("body:dollars:" + log2Bucket(dollars));
        String html = email.bodyHtml().orElse("");
        int links = 0;
        Matcher url = URL.matcher(html.isEmpty() ? body : html);
        while (url.find() && links < 1_000) {
            links++;
            String host = url.group(1).toLowerCase(Locale.ROOT);
            if (IP_HOST.matcher(host).matches()) {
                features.add("url:ip-host");
            } else {
                int dot = host.lastIndexOf('.');
                features.add("url:tld:" + (dot >= 0 ? host.substring(dot + 1) : host));
            }
        }
        features.add("url:count:" + log2Bucket(links));
        if (!html.isEmpty()) {
            Matcher tag = TAG.matcher(html);
            int tags = 0;
            while (tag.find() && tags++ < 5_000) {
                features.add("html:" + tag.group(1).toLowerCase(Locale.ROOT));
            }
            String lowerHtml = html.toLowerCase(Locale.ROOT);
            if (lowerHtml.contains("mailto:")) {
                features.add("html:mailto");
            }
            if (lowerHtml.contains("<img") && body.length() < 200) {
                features.add("html:image-mostly");
            }
        }
    }

    private static void headerFeatures(ParsedEmail email, Set<String> features) {
        for (ParsedEmail.HeaderField header : email.headers()) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (IGNORED_HEADER_PREFIXES.stream().noneMatch(name::startsWith)) {
                features.add("h:" + name);
            }
        }
        email.header("X-Mailer").ifPresent(mailer -> features.add("mailer:" + firstWord(mailer)));
        email.header("User-Agent").ifPresent(agent -> features.add("agent:" + firstWord(agent)));
        email.header("X-Priority").ifPresent(p -> features.add("x-priority:" + p.strip().chars()
                .filter(Character::isDigit).mapToObj(Character::toString).findFirst().orElse("?")));
        email.header("Precedence").ifPresent(p -> features.add("precedence:" + firstWord(p)));
        features.add("content-type:" + email.contentType());
        email.header("Content-Transfer-Encoding").ifPresent(cte -> features.add("cte:" + firstWord(cte)));
        features.add("attachments:" + Math.min(3, email.attachments().size()));
        email.attachments().forEach(a -> features.add("attachment:" + a.contentType()));
        if (!email.defects().isEmpty()) {
            features.add("defects:" + Math.min(3, email.defects().size()));
        }

        Optional<String> domain = email.fromDomain();
        if (email.from().isEmpty()) {
            features.add("from:none");
        } else {
            features.add("from:domain:" + domain.orElse("?"));
            domain.ifPresent(d -> features.add("from:tld:" + d.substring(d.lastIndexOf('.') + 1)));
            ParsedEmail.EmailAddress from = email.from().get();
            if (from.name().isEmpty()) {
                features.add("from:no-name");
            }
            String local = from.address().contains("@") ? from.address().substring(0, from.address().indexOf('@')) : from.address();
            if (local.chars().filter(Character::isDigit).count() >= 3) {
                features.add("from:digits");
            }
            email.replyTo().stream().findFirst().ifPresent(reply -> {
                if (!reply.address().equalsIgnoreCase(from.address())) {
                    features.add("reply-to:differs");
                }
            });
        }
        features.add("to:" + Math.min(5, email.to().size()));
        features.add("cc:" + Math.min(3, email.cc().size()));
        if (email.messageId().isEmpty()) {
            features.add("message-id:none");
        } else if (domain.isPresent() && email.messageId().get().toLowerCase(Locale.ROOT).endsWith(domain.get())) {
            features.add("message-id:from-domain");
        }

        List<ReceivedHop> hops = email.received();
        features.add("received:" + Math.min(8, hops.size()));
        for (ReceivedHop hop : hops) {
            hop.protocol().ifPresent(p -> features.add("received:with:" + p));
            hop.from().filter(f -> BARE_IP_HELO.matcher(f).find()).ifPresent(f -> features.add("received:bare-ip-helo"));
        }
        dateFeatures(email, hops, features);
    }

    private static void dateFeatures(ParsedEmail email, List<ReceivedHop> hops, Set<String> features) {
        if (email.dateRaw().isEmpty()) {
            features.add("date:none");
            return;
        }
        if (email.date().isEmpty()) {
            features.add("date:unparseable");
            return;
        }
        Optional<Instant> firstHop = Optional.empty();
        for (ReceivedHop hop : hops) { // the oldest hop with a timestamp is the last one listed
            if (hop.timestamp().isPresent()) {
                firstHop = hop.timestamp();
            }
        }
        firstHop.ifPresent(received -> {
            Duration skew = Duration.between(received, email.date().get());
            if (skew.abs().compareTo(Duration.ofDays(1)) > 0) {
                features.add(skew.isNegative() ? "date:past" : "date:future");
            }
        });
    }

    /** Lower-case words of letters, digits, {@code $ ' -}; numbers become their length class. */
    static void words(String text, String prefix, Set<String> features, int limit) {
        int added = 0;
        int i = 0;
        int length = text.length();
        StringBuilder token = new StringBuilder();
        while (i < length && added < limit) {
            char c = text.charAt(i++);
            if (Character.isLetterOrDigit(c) || c == '$' || c == '\'' || c == '-') {
                if (token.length() < 64) {
                    token.append(Character.toLowerCase(c));
                }
                if (i < length) {
                    continue;
                }
            }
            if (token.length() > 0) {
                String word = trim(token);
                token.setLength(0);
                if (word.length() >= 2) {
                    if (features.add(prefix + shape(word))) {
                        added++;
                    }
                }
            }
        }
    }

    private static String trim(StringBuilder token) {
        int start = 0;
        int end = token.length();
        while (start < end && (token.charAt(start) == '\'' || token.charAt(start) == '-')) {
            start++;
        }
        while (end > start && (token.charAt(end - 1) == '\'' || token.charAt(end - 1) == '-')) {
            end--;
        }
        return token.substring(start, end);
    }

    private static String shape(String word) {
        boolean digits = word.chars().allMatch(c -> Character.isDigit(c) || c == '$' || c == '-');
        if (digits) {
            return (word.indexOf('$') >= 0 ? "$" : "") + "#" + Math.min(8, word.length());
        }
        return word.length() > MAX_TOKEN ? "~long" : word;
    }

    private static String firstWord(String value) {
        String word = value.strip().split("[\\s/;(]", 2)[0].toLowerCase(Locale.ROOT);
        return word.isEmpty() ? "?" : word;
    }

    private static int log2Bucket(int n) {
        return n <= 0 ? 0 : 32 - Integer.numberOfLeadingZeros(n);
    }
}
