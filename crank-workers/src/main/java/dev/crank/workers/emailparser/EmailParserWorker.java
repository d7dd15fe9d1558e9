package dev.crank.workers.emailparser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankJson;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.Routes;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import dev.crank.workers.mail.EmailParser;
import dev.crank.workers.mail.Mbox;
import dev.crank.workers.mail.ParseOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * {@code parse:email_headers}: parses RFC 5322 / MIME messages with Apache James mime4j into headers,
 * addresses, dates, the Received path, authentication verdicts, body text, attachments, a receipt
 * verdict and a list of defects. One message as JSON ({@code raw_email}, {@code raw_email_base64}) or a
 * raw {@code message/rfc822} body; an mbox ({@code mbox}, {@code mbox_base64}, or a raw
 * {@code application/mbox} body) answers a JSON array, or NDJSON streamed message by message when the
 * caller accepts {@code application/x-ndjson}.
 */
public final class EmailParserWorker extends WorkerApplication {

    public static final String WORKER_ID = "crank-email-parser";
    public static final int DEFAULT_PORT = 8503;
    public static final String CAPABILITY = "parse:email_headers";
    public static final String RFC822 = "message/rfc822";
    public static final String MBOX = "application/mbox";
    public static final String NDJSON = "application/x-ndjson";

    public EmailParserWorker(WorkerConfig config) {
        super(config);
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of(CapabilitySchema.builder("parse", "email_headers")
                .version("1.0.0")
                .description("Parses an RFC 5322 message or an mbox: headers, addresses, dates, Received hops, "
                        + "SPF/DKIM/DMARC, body text, attachments, receipt keywords, defects")
                .inputSchema(EmailParserSchemas.INPUT)
                .outputSchema(EmailParserSchemas.OUTPUT)
                .idempotent(true)
                .maxConcurrency(16)
                .tags("email", "mime")
                .errorCodes("INVALID_EMAIL", "INVALID_MBOX", "INVALID_BASE64", "INVALID_PARAMETER")
                .build());
    }

    @Override
    protected void configure(Routes routes) {
        routes.capability(CAPABILITY, this::parse, RFC822, MBOX);
    }

    private CrankResponse parse(CrankRequest request) {
        long started = System.nanoTime();
        ParseOptions options;
        byte[] raw;
        boolean mbox;
        if (request.isJson()) {
            JsonNode input = request.json();
            options = options(input);
            mbox = input.has("mbox") || input.has("mbox_base64");
            raw = input.has("raw_email") ? utf8(input.get("raw_email").asText())
                    : input.has("mbox") ? utf8(input.get("mbox").asText())
                    : base64(input.has("raw_email_base64") ? "raw_email_base64" : "mbox_base64",
                            input.path(input.has("raw_email_base64") ? "raw_email_base64" : "mbox_base64").asText());
        } else {
            options = queryOptions(request);
            mbox = request.contentType().equals(MBOX);
            raw = request.body();
        }
        boolean stream = request.accepts(NDJSON);
        if (mbox) {
            return parseMbox(raw, options, stream);
        }
        if (raw.length == 0) {
            throw CrankException.badRequest("INVALID_EMAIL", "The message is empty (expected: an RFC 5322 message)");
        }
        if (!EmailParser.hasHeaderSection(raw)) {
            throw CrankException.badRequest("INVALID_EMAIL",
                    "The input has no header section (expected: an RFC 5322 message starting with a 'Name: value' header field)");
        }
        ObjectNode answer = EmailParser.parse(raw, options).toJson(options);
        if (stream) {
            return CrankResponse.text(200, NDJSON, CrankJson.string(answer) + "\n");
        }
        answer.put("processing_time_ms", (System.nanoTime() - started) / 1_000_000.0);
        return CrankResponse.json(answer);
    }

    private CrankResponse parseMbox(byte[] raw, ParseOptions options, boolean stream) {
        List<byte[]> messages = Mbox.split(raw).orElseThrow(() -> CrankException.badRequest("INVALID_MBOX",
                "The mbox does not start with a 'From ' line (expected: messages each opened by a 'From sender date' line)"));
        if (!stream) {
            ArrayNode answer = CrankJson.array();
            messages.forEach(message -> answer.add(EmailParser.parse(message, options).toJson(options)));
            return CrankResponse.json(answer);
        }
        return CrankResponse.stream(NDJSON, out -> {
            for (byte[] message : messages) {
                out.write(CrankJson.string(EmailParser.parse(message, options).toJson(options)) + "\n");
            }
        });
    }

    private static ParseOptions options(JsonNode input) {
        List<String> keywords = ParseOptions.DEFAULT_RECEIPT_KEYWORDS;
        if (input.has("keywords")) {
            keywords = new ArrayList<>();
            for (JsonNode keyword : input.get("keywords")) {
                keywords.add(keyword.asText().strip());
            }
        }
        return new ParseOptions(input.path("include_body").asBoolean(true),
                input.path("snippet_length").asInt(ParseOptions.DEFAULT_SNIPPET_LENGTH), keywords);
    }

    /** Options of a raw body: {@code ?include_body=false&snippet_length=80&keywords=invoice,refund}. */
    private static ParseOptions queryOptions(CrankRequest request) {
        boolean includeBody = request.queryParam("include_body").map(value -> switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw CrankException.badRequest("INVALID_PARAMETER", "include_body: " + value + " (expected: true or false)");
        }).orElse(true);
        int snippetLength = request.queryParam("snippet_length").map(EmailParserWorker::snippetLength)
                .orElse(ParseOptions.DEFAULT_SNIPPET_LENGTH);
        Optional<String> keywords = request.queryParam("keywords");
        List<String> keywordList = keywords.map(list -> List.of(list.split(",")).stream().map(String::strip)
                .filter(k -> !k.isEmpty()).toList()).orElse(ParseOptions.DEFAULT_RECEIPT_KEYWORDS);
        return new ParseOptions(includeBody, snippetLength, keywordList);
    }

    private static int snippetLength(String value) {
        try {
            int length = Integer.parseInt(value);
            if (length >= 0 && length <= ParseOptions.MAX_SNIPPET_LENGTH) {
                return length;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CrankException.badRequest("INVALID_PARAMETER",
                "snippet_length: " + value + " (expected: an integer 0-" + ParseOptions.MAX_SNIPPET_LENGTH + ")");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Standard base64; line breaks and spaces (as in MIME-wrapped base64) are allowed, nothing else. */
    private static byte[] base64(String field, String text) {
        StringBuilder compact = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\r' && c != '\n' && c != ' ' && c != '\t') {
                compact.append(c);
            }
        }
        try {
            return Base64.getDecoder().decode(compact.toString());
        } catch (IllegalArgumentException e) {
            throw CrankException.badRequest("INVALID_BASE64", field + " is not valid base64: " + e.getMessage());
        }
    }
}
