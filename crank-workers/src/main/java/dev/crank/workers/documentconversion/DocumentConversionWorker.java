package dev.crank.workers.documentconversion;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankJson;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.Routes;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code convert:document_to_pdf}: Markdown, HTML or plain text to PDF, offline (see
 * {@link DocumentConverter}). Takes JSON ({@code document} or {@code document_base64}) or a raw
 * {@code text/markdown}, {@code text/html} or {@code text/plain} body; answers with the PDF itself
 * when the caller accepts {@code application/pdf}, else with JSON carrying it in base64.
 */
public final class DocumentConversionWorker extends WorkerApplication {

    private static final Logger logger = LoggerFactory.getLogger(DocumentConversionWorker.class);

    public static final String WORKER_ID = "crank-document-conversion";
    public static final int DEFAULT_PORT = 8504;
    public static final String CAPABILITY = "convert:document_to_pdf";
    public static final String PDF = "application/pdf";

    private static final String INPUT_SCHEMA = """
            {
              "type": "object",
              "additionalProperties": false,
              "oneOf": [
                {"required": ["document"], "not": {"required": ["document_base64"]}},
                {"required": ["document_base64"], "not": {"required": ["document"]}}
              ],
              "properties": {
                "document": {"type": "string", "minLength": 1,
                             "description": "The document text (UTF-8 on the wire)"},
                "document_base64": {"type": "string", "minLength": 1, "contentEncoding": "base64",
                                    "description": "The document as base64 of its UTF-8 bytes"},
                "source_format": {"enum": ["markdown", "html", "text"],
                                  "description": "Detected from the content when absent"},
                "title": {"type": "string", "maxLength": 500, "description": "PDF title; default: the document's own title or first heading"},
                "page_size": {"enum": ["A4", "Letter"], "default": "A4"}
              }
            }
            """;
    private static final String OUTPUT_SCHEMA = """
            {
              "type": "object",
              "required": ["pdf_base64", "pages", "size_bytes", "conversion_time_ms", "source_format",
                           "source_format_detected", "page_size", "warnings"],
              "properties": {
                "pdf_base64": {"type": "string", "contentEncoding": "base64", "contentMediaType": "application/pdf"},
                "pages": {"type": "integer", "minimum": 1},
                "size_bytes": {"type": "integer", "minimum": 1},
                "conversion_time_ms": {"type": "number", "minimum": 0},
                "source_format": {"enum": ["markdown", "html", "text"]},
                "source_format_detected": {"type": "boolean"},
                "page_size": {"enum": ["A4", "Letter"]},
                "title": {"type": "string"},
                "warnings": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                      "code": {"enum": ["EXTERNAL_RESOURCE_REFUSED", "IMAGE_TOO_LARGE", "INVALID_DATA_URI",
                                        "GLYPHS_MISSING", "WARNINGS_TRUNCATED"]},
                      "message": {"type": "string"},
                      "uri": {"type": "string"}
                    }
                  }
                }
              }
            }
            """;

    private final ConversionLimits limits;
    private final AtomicLong conversions = new AtomicLong();
    private final AtomicLong pagesRendered = new AtomicLong();
    private volatile DocumentConverter converter;

    public DocumentConversionWorker(WorkerConfig config) {
        this(config, ConversionLimits.defaults());
    }

    public DocumentConversionWorker(WorkerConfig config, ConversionLimits limits) {
        super(config);
        this.limits = requireNonNull(limits, "limits");
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of(CapabilitySchema.builder("convert", "document_to_pdf")
                .version("1.0.0")
                .description("Converts Markdown, HTML or plain text to PDF (A4 or Letter) with embedded Unicode fonts; "
                        + "never fetches external resources")
                .inputSchema(INPUT_SCHEMA)
                .outputSchema(OUTPUT_SCHEMA)
                .idempotent(true)
                .maxConcurrency(Math.max(2, Runtime.getRuntime().availableProcessors()))
                .tags("document", "pdf")
                .errorCodes("INVALID_ENCODING", "INVALID_BASE64", "EMPTY_DOCUMENT", "DOCUMENT_TOO_LARGE",
                        "UNSUPPORTED_CHARSET", "INVALID_PAGE_SIZE", "RENDER_TIMEOUT", "RENDER_FAILED", "TOO_MANY_PAGES",
                        "DOCUMENT_TOO_COMPLEX")
                .build());
    }

    @Override
    protected void configure(Routes routes) {
        routes.capability(CAPABILITY, this::convert, "text/markdown", "text/html", "text/plain");
    }

    @Override
    protected void onStartup() {
        long started = System.nanoTime();
        DocumentConverter created = DocumentConverter.create(limits);
        created.warmUp();
        converter = created;
        logger.info("{} ready: fonts loaded and a warm-up document rendered in {} ms", workerId(),
                (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    protected void describeStatus(ObjectNode status) {
        ObjectNode stats = status.putObject("conversions");
        stats.put("total", conversions.get());
        stats.put("pages", pagesRendered.get());
        stats.put("max_document_bytes", limits.maxDocumentBytes());
        stats.put("render_timeout_ms", limits.renderTimeout().toMillis());
        stats.put("max_pages", limits.maxPages());
    }

    private CrankResponse convert(CrankRequest request) {
        long started = System.nanoTime();
        ConversionRequest input = ConversionRequest.read(request, limits);
        RenderedPdf pdf = converter.convert(input);
        conversions.incrementAndGet();
        pagesRendered.addAndGet(pdf.pages());
        double elapsedMs = (System.nanoTime() - started) / 1_000_000.0;
        if (request.accepts(PDF)) {
            return CrankResponse.of(200, PDF, pdf.bytes())
                    .withHeader("x-pdf-pages", Integer.toString(pdf.pages()))
                    .withHeader("x-conversion-time-ms", String.format(Locale.ROOT, "%.1f", elapsedMs))
                    .withHeader("x-conversion-warnings", Integer.toString(pdf.warnings().size()));
        }
        ObjectNode answer = CrankJson.object();
        answer.put("pdf_base64", Base64.getEncoder().encodeToString(pdf.bytes()));
        answer.put("pages", pdf.pages());
        answer.put("size_bytes", pdf.bytes().length);
        answer.put("conversion_time_ms", elapsedMs);
        answer.put("source_format", input.format().wireName());
        answer.put("source_format_detected", input.formatDetected());
        answer.put("page_size", input.pageSize().wireName());
        pdf.title().ifPresent(title -> answer.put("title", title));
        ArrayNode warnings = answer.putArray("warnings");
        pdf.warnings().forEach(warning -> warnings.add(warning.toJson()));
        return CrankResponse.json(answer);
    }
}
