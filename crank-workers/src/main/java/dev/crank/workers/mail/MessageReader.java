package dev.crank.workers.mail;

import dev.crank.workers.mail.ParsedEmail.Attachment;
import dev.crank.workers.mail.ParsedEmail.EmailAddress;
import dev.crank.workers.mail.ParsedEmail.HeaderField;
import dev.crank.workers.mail.ParsedEmail.Receipt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.stream.Field;

/** Reads a message parsed by mime4j into a {@link ParsedEmail}: headers, addresses, dates, hops, parts. */
final class MessageReader {

    private static final Pattern ANGLE_LIST = Pattern.compile("<([^<>]*)>");
    private static final Pattern EMPTY_GROUP = Pattern.compile(":\\s*;");

    private final Message message;
    private final Defects defects;
    private final ParseOptions options;
    private final long size;
    private final List<String> plain = new ArrayList<>();
    private final List<String> html = new ArrayList<>();
    private final List<Attachment> attachments = new ArrayList<>();

    MessageReader(Message message, Defects defects, ParseOptions options, long size) {
        this.message = message;
        this.defects = defects;
        this.options = options;
        this.size = size;
    }

    ParsedEmail read() {
        List<HeaderField> headers = headers();
        walk(message, "body");
        String bodyText;
        String textSource;
        if (!plain.isEmpty()) {
            bodyText = String.join("\n\n", plain);
            textSource = "text/plain";
        } else if (!html.isEmpty()) {
            bodyText = String.join("\n\n", html.stream().map(HtmlText::toText).toList());
            textSource = "text/html";
        } else {
            bodyText = "";
            textSource = "none";
        }
        bodyText = bodyText.replace("\r\n", "\n").replace('\r', '\n').strip();
        Optional<String> subject = first(headers, "Subject");
        Optional<String> dateRaw = first(headers, "Date");
        Optional<Instant> date = dateRaw.flatMap(this::date);
        List<String> matched = ReceiptDetector.of(options.receiptKeywords()).matches(subject.orElse("") + "\n" + bodyText);
        return new ParsedEmail(
                first(headers, "Message-ID").map(MessageReader::stripAngles).filter(id -> !id.isEmpty()),
                subject, from(), addresses("To"), addresses("Cc"), addresses("Reply-To"),
                date, dateRaw, headers,
                ReceivedHop.parseAll(values(headers, "Received"), defects),
                authentication(headers),
                listUnsubscribe(headers),
                message.getMimeType().toLowerCase(Locale.ROOT),
                bodyText, html.isEmpty() ? Optional.empty() : Optional.of(html.get(0)), textSource,
                List.copyOf(attachments), new Receipt(!matched.isEmpty(), matched), defects.list(), size);
    }

    private List<HeaderField> headers() {
        List<HeaderField> headers = new ArrayList<>();
        for (Field field : message.getHeader().getFields()) {
            String value = DecoderUtil.decodeEncodedWords(field.getBody(), defects).strip();
            if (value.indexOf('\uFFFD') >= 0) {
                defects.add(field.getName() + ": bytes that are not UTF-8 were replaced");
            }
            headers.add(new HeaderField(field.getName(), value));
        }
        return headers;
    }

    private Optional<Instant> date(String raw) {
        Optional<Instant> date = Dates.parse(raw, "Date", defects);
        if (date.isEmpty()) {
            defects.add("Date: unparseable " + Defects.quote(raw));
        }
        return date;
    }

    private Optional<EmailAddress> from() {
        List<EmailAddress> from = addresses("From");
        return from.isEmpty() ? Optional.empty() : Optional.of(from.get(0));
    }

    private List<EmailAddress> addresses(String name) {
        Field field = message.getHeader().getField(name);
        if (field == null || field.getBody().isBlank()) {
            return List.of();
        }
        AddressList list = parseAddresses(field);
        List<EmailAddress> addresses = new ArrayList<>();
        if (list != null) {
            for (Address address : list) {
                if (address instanceof Mailbox mailbox) {
                    addresses.add(address(mailbox));
                } else if (address instanceof Group group) {
                    group.getMailboxes().forEach(mailbox -> addresses.add(address(mailbox)));
                }
            }
        }
        if (addresses.isEmpty() && !EMPTY_GROUP.matcher(field.getBody()).find()) { // "undisclosed-recipients:;" is valid
            defects.add(name + ": no address could be read from " + Defects.quote(field.getBody()));
        }
        return addresses;
    }

    private AddressList parseAddresses(Field field) {
        try {
            return LenientAddressParser.DEFAULT.parseAddressList(field.getBody());
        } catch (RuntimeException e) { // the lenient parser should not throw; never let a header be fatal
            defects.add(field.getName() + ": " + e.getMessage());
            return null;
        }
    }

    private EmailAddress address(Mailbox mailbox) {
        Optional<String> name = Optional.ofNullable(mailbox.getName()).map(String::strip).filter(n -> !n.isEmpty());
        return new EmailAddress(name, mailbox.getAddress());
    }

    private Authentication authentication(List<HeaderField> headers) {
        Authentication authentication = Authentication.none();
        for (String value : values(headers, "Authentication-Results")) {
            authentication = authentication.withResults(value);
        }
        for (String value : values(headers, "Received-SPF")) {
            authentication = authentication.withReceivedSpf(value);
        }
        return authentication;
    }

    private List<String> listUnsubscribe(List<HeaderField> headers) {
        List<String> targets = new ArrayList<>();
        for (String value : values(headers, "List-Unsubscribe")) {
            Matcher matcher = ANGLE_LIST.matcher(value);
            boolean any = false;
            while (matcher.find()) {
                any = true;
                String target = matcher.group(1).strip();
                if (!target.isEmpty()) {
                    targets.add(target);
                }
            }
            if (!any && !value.isBlank()) {
                for (String target : value.split(",")) {
                    if (!target.isBlank()) {
                        targets.add(target.strip());
                    }
                }
            }
        }
        return targets;
    }

    private void walk(Entity entity, String where) {
        checkContentType(entity, where);
        Body body = entity.getBody();
        if (body instanceof Multipart multipart) {
            List<Entity> parts = multipart.getBodyParts();
            if (parts.isEmpty()) {
                defects.add(where + ": " + entity.getMimeType() + " has no parts");
            }
            for (int i = 0; i < parts.size(); i++) {
                walk(parts.get(i), where + "." + (i + 1));
            }
        } else if (body instanceof Message nested) {
            attachments.add(attachment(entity, written(nested)));
        } else if (body instanceof SingleBody single) {
            leaf(entity, single, where);
        }
    }

    private void leaf(Entity entity, SingleBody body, String where) {
        byte[] content = bytes(body);
        String mimeType = entity.getMimeType().toLowerCase(Locale.ROOT);
        boolean inlineText = (mimeType.equals("text/plain") || mimeType.equals("text/html"))
                && !"attachment".equalsIgnoreCase(entity.getDispositionType())
                && filename(entity).isEmpty();
        if (!inlineText) {
            attachments.add(attachment(entity, content));
            return;
        }
        String text = TextDecoding.decode(content, entity.getCharset(), where, defects);
        (mimeType.equals("text/plain") ? plain : html).add(text);
    }

    /** mime4j reads a multipart without a boundary, or an unreadable type, as text/plain: say so. */
    private void checkContentType(Entity entity, String where) {
        Field field = entity.getHeader() == null ? null : entity.getHeader().getField("Content-Type");
        if (field instanceof ContentTypeField contentType) {
            String declared = contentType.getMimeType();
            if (contentType.getParseException() != null || declared == null || declared.isEmpty()) {
                defects.add(where + ": unreadable Content-Type " + Defects.quote(field.getBody()) + ", read as "
                        + entity.getMimeType());
            } else if (!declared.equalsIgnoreCase(entity.getMimeType())) {
                defects.add(where + ": Content-Type " + declared
                        + (declared.toLowerCase(Locale.ROOT).startsWith("multipart/") ? " without a boundary" : "")
                        + ", read as " + entity.getMimeType());
            }
        }
    }

    private Attachment attachment(Entity entity, byte[] content) {
        return new Attachment(filename(entity), entity.getMimeType().toLowerCase(Locale.ROOT), content.length, sha256(content));
    }

    private Optional<String> filename(Entity entity) {
        String name = entity.getFilename();
        if ((name == null || name.isBlank()) && entity.getHeader() != null
                && entity.getHeader().getField("Content-Type") instanceof ContentTypeField contentType) {
            name = contentType.getParameter("name");
        }
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(DecoderUtil.decodeEncodedWords(name, defects).strip());
    }

    private byte[] bytes(SingleBody body) {
        try (InputStream in = body.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) { // the content is in memory; a decoder that gives up is a defect
            defects.add("a part could not be decoded: " + e.getMessage());
            return new byte[0];
        }
    }

    private byte[] written(Message nested) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new DefaultMessageWriter().writeMessage(nested, out);
            return out.toByteArray();
        } catch (IOException e) {
            defects.add("an attached message could not be written: " + e.getMessage());
            return new byte[0];
        }
    }

    private static Optional<String> first(List<HeaderField> headers, String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HeaderField::value).findFirst();
    }

    private static List<String> values(List<HeaderField> headers, String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HeaderField::value).toList();
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String stripAngles(String id) {
        String trimmed = id.strip();
        if (trimmed.startsWith("<") && trimmed.endsWith(">") && trimmed.length() >= 2) {
            return trimmed.substring(1, trimmed.length() - 1).strip();
        }
        return trimmed;
    }
}
