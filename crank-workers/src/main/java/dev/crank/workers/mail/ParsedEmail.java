package dev.crank.workers.mail;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One parsed message. {@link #bodyText()} is always there (possibly empty) for callers such as the
 * classifier; {@link #toJson(ParseOptions)} leaves it out when the caller asked for no body.
 *
 * @param bodyHtml   the first inline HTML part as sent, when there is one (not part of the JSON answer)
 * @param textSource where {@code bodyText} came from: {@code text/plain}, {@code text/html} or {@code none}
 */
public record ParsedEmail(Optional<String> messageId, Optional<String> subject, Optional<EmailAddress> from,
                          List<EmailAddress> to, List<EmailAddress> cc, List<EmailAddress> replyTo,
                          Optional<Instant> date, Optional<String> dateRaw, List<HeaderField> headers,
                          List<ReceivedHop> received, Authentication authentication, List<String> listUnsubscribe,
                          String contentType, String bodyText, Optional<String> bodyHtml, String textSource,
                          List<Attachment> attachments, Receipt receipt, List<String> defects, long sizeBytes) {

    /** A mailbox: display name (RFC 2047 decoded) and address. */
    public record EmailAddress(Optional<String> name, String address) {}

    /** One header field, unfolded and decoded, in the order of the message. */
    public record HeaderField(String name, String value) {}

    /** A part that is not body text; size and hash are of the decoded content. */
    public record Attachment(Optional<String> filename, String contentType, long sizeBytes, String sha256) {}

    /** Whether the subject or body holds a receipt keyword, and which ones did. */
    public record Receipt(boolean isReceipt, List<String> matchedKeywords) {}

    /** A message that is only a body (and maybe a subject): no headers, no parts, nothing to report. */
    public static ParsedEmail ofPlainText(Optional<String> subject, String body) {
        String text = body.replace("\r\n", "\n").strip();
        return new ParsedEmail(Optional.empty(), subject, Optional.empty(), List.of(), List.of(), List.of(),
                Optional.empty(), Optional.empty(), List.of(), List.of(), Authentication.none(), List.of(),
                "text/plain", text, Optional.empty(), text.isEmpty() ? "none" : "text/plain", List.of(),
                new Receipt(false, List.of()), List.of(), text.getBytes(StandardCharsets.UTF_8).length);
    }

    /** Whether the message says it was sent to a list or in bulk ({@code List-Unsubscribe}, {@code List-Id}, {@code Precedence}). */
    public boolean isBulk() {
        return header("List-Unsubscribe").isPresent() || header("List-Id").isPresent()
                || header("Precedence").map(p -> p.toLowerCase(Locale.ROOT)).filter(p -> p.contains("bulk")
                        || p.contains("list") || p.contains("junk")).isPresent();
    }

    /** Whether the message says a machine sent it ({@code Auto-Submitted}, or a no-reply or notification sender). */
    public boolean isAutomated() {
        return header("Auto-Submitted").filter(v -> !v.strip().equalsIgnoreCase("no")).isPresent()
                || from().map(f -> f.address().toLowerCase(Locale.ROOT))
                        .filter(a -> a.contains("noreply") || a.contains("no-reply") || a.contains("donotreply")
                                || a.contains("do-not-reply") || a.startsWith("notifications@") || a.startsWith("alerts@")
                                || a.startsWith("mailer-daemon@"))
                        .isPresent();
    }

    /** The first value of header {@code name} (any case). */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HeaderField::value).findFirst();
    }

    /** Every value of header {@code name} (any case), in order. */
    public List<String> headerValues(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HeaderField::value).toList();
    }

    /** The answer of {@code parse:email_headers} for this message. */
    public ObjectNode toJson(ParseOptions options) {
        ObjectNode json = CrankJson.object();
        putOptional(json, "message_id", messageId);
        putOptional(json, "subject", subject);
        if (from.isPresent()) {
            address(json.putObject("from"), from.get());
        } else {
            json.putNull("from");
        }
        addresses(json.putArray("to"), to);
        addresses(json.putArray("cc"), cc);
        addresses(json.putArray("reply_to"), replyTo);
        putOptional(json, "date", date.map(Instant::toString));
        putOptional(json, "date_raw", dateRaw);
        ArrayNode headerArray = json.putArray("headers");
        headers.forEach(h -> headerArray.addObject().put("name", h.name()).put("value", h.value()));
        ArrayNode hops = json.putArray("received");
        for (ReceivedHop hop : received) {
            ObjectNode node = hops.addObject();
            putOptional(node, "from", hop.from());
            putOptional(node, "by", hop.by());
            putOptional(node, "with", hop.with());
            putOptional(node, "id", hop.id());
            putOptional(node, "for", hop.forRecipient());
            putOptional(node, "timestamp", hop.timestamp().map(Instant::toString));
            if (hop.delaySeconds().isPresent()) {
                node.put("delay_seconds", hop.delaySeconds().get());
            } else {
                node.putNull("delay_seconds");
            }
        }
        ObjectNode auth = json.putObject("authentication");
        putOptional(auth, "spf", authentication.spf());
        putOptional(auth, "dkim", authentication.dkim());
        putOptional(auth, "dmarc", authentication.dmarc());
        listUnsubscribe.forEach(json.putArray("list_unsubscribe")::add);
        json.put("content_type", contentType);
        if (options.includeBody()) {
            json.put("body_text", bodyText);
            json.put("body_snippet", snippet(bodyText, options.snippetLength()));
        } else {
            json.putNull("body_text");
            json.putNull("body_snippet");
        }
        ArrayNode parts = json.putArray("attachments");
        for (Attachment attachment : attachments) {
            ObjectNode node = parts.addObject();
            putOptional(node, "filename", attachment.filename());
            node.put("content_type", attachment.contentType());
            node.put("size_bytes", attachment.sizeBytes());
            node.put("sha256", attachment.sha256());
        }
        ObjectNode receiptNode = json.putObject("receipt").put("is_receipt", receipt.isReceipt());
        receipt.matchedKeywords().forEach(receiptNode.putArray("matched_keywords")::add);
        defects.forEach(json.putArray("defects")::add);
        json.put("size_bytes", sizeBytes);
        return json;
    }

    /** The first {@code length} characters (code points) of the text with whitespace runs collapsed. */
    static String snippet(String text, int length) {
        String collapsed = Whitespace.collapse(text);
        if (collapsed.codePointCount(0, collapsed.length()) <= length) {
            return collapsed;
        }
        return collapsed.substring(0, collapsed.offsetByCodePoints(0, length)).stripTrailing();
    }

    private static void address(ObjectNode node, EmailAddress address) {
        putOptional(node, "name", address.name());
        node.put("address", address.address());
    }

    private static void addresses(ArrayNode array, List<EmailAddress> list) {
        list.forEach(address -> address(array.addObject(), address));
    }

    private static void putOptional(ObjectNode node, String field, Optional<String> value) {
        if (value.isPresent()) {
            node.put(field, value.get());
        } else {
            node.putNull(field);
        }
    }

    /** The domain of the From address in lower case, when there is one. */
    public Optional<String> fromDomain() {
        return from.map(EmailAddress::address)
                .filter(a -> a.indexOf('@') >= 0)
                .map(a -> a.substring(a.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT));
    }
}
