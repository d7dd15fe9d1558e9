package dev.crank.workers.mail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.field.LenientFieldParser;
import org.apache.james.mime4j.internal.ParserStreamContentHandler;
import org.apache.james.mime4j.message.BasicBodyFactory;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.DefaultMessageImplFactory;
import org.apache.james.mime4j.message.MessageImpl;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * Parses RFC 5322 / MIME messages with Apache James mime4j into a {@link ParsedEmail}. Lenient: a
 * malformed header, part or encoding is listed in {@link ParsedEmail#defects()} and parsing goes on.
 * Thread-safe; each call builds its own mime4j parser.
 *
 * <pre>{@code
 * ParsedEmail email = EmailParser.parse(bytes, ParseOptions.defaults());
 * email.subject();   // RFC 2047 decoded
 * }</pre>
 */
public final class EmailParser {

    /** Unbounded line and header sizes: the HTTP body limit bounds the input; spam has 10 kB lines. */
    private static final MimeConfig CONFIG = MimeConfig.custom()
            .setMaxLineLen(-1)
            .setMaxHeaderCount(-1)
            .setMaxHeaderLen(-1)
            .setMaxContentLen(-1)
            .setStrictParsing(false)
            .build();

    /** Headers of which one must be present for content to be taken as a message, not a body. */
    private static final Set<String> MESSAGE_HEADERS = Set.of("from", "to", "subject", "date", "message-id", "received",
            "mime-version", "content-type", "return-path", "delivered-to", "reply-to", "sender", "cc");

    private EmailParser() {}

    /** Whether {@code raw} starts with a header section (after blank lines or an mbox From line). */
    public static boolean hasHeaderSection(byte[] raw) {
        return HeaderSection.start(raw).isPresent();
    }

    /**
     * Parses {@code raw} when it is a message rather than a bare body: it starts with a header section that has
     * at least one of the usual message headers ({@code From}, {@code Subject}, {@code Received}, ...). Text that
     * merely starts with {@code Note: ...} is a body.
     */
    public static Optional<ParsedEmail> parseIfMessage(byte[] raw, ParseOptions options) {
        if (!hasHeaderSection(raw)) {
            return Optional.empty();
        }
        ParsedEmail parsed = parse(raw, options);
        return parsed.headers().stream().anyMatch(h -> MESSAGE_HEADERS.contains(h.name().toLowerCase(Locale.ROOT)))
                ? Optional.of(parsed) : Optional.empty();
    }

    /** Parses one message; input with no header section parses to an empty message with a defect. */
    public static ParsedEmail parse(byte[] raw, ParseOptions options) {
        Defects defects = new Defects();
        OptionalInt start = HeaderSection.start(raw);
        int offset;
        if (start.isPresent()) {
            offset = start.getAsInt();
            if (HeaderSection.hasLeadingBlankLines(raw)) {
                defects.add("blank lines before the header section were skipped");
            }
        } else {
            offset = 0;
            defects.add("no header section: the input does not start with a header field");
        }
        Message message = build(new ByteArrayInputStream(raw, offset, raw.length - offset), defects);
        try {
            return new MessageReader(message, defects, options, raw.length).read();
        } finally {
            message.dispose();
        }
    }

    /** What {@code DefaultMessageBuilder.parseMessage} does, with {@link NestingLimit} between parser and DOM. */
    private static Message build(InputStream input, Defects defects) {
        MessageImpl message = new DefaultMessageImplFactory().messageImpl();
        MimeStreamParser parser = new MimeStreamParser(CONFIG, defects,
                new DefaultBodyDescriptorBuilder(null, LenientFieldParser.getParser(), defects));
        parser.setContentHandler(new NestingLimit(new ParserStreamContentHandler(message, new BasicBodyFactory(true)),
                parser, defects));
        parser.setContentDecoding(true);
        parser.setRecurse();
        try {
            parser.parse(input);
        } catch (IOException | MimeException e) { // only with a strict monitor; the input is in memory
            throw new IllegalStateException("mime4j failed on in-memory input", e);
        }
        return message;
    }
}
