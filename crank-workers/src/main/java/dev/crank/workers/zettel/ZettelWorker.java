package dev.crank.workers.zettel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.CrankJson;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.JsonSchemaValidator;
import dev.crank.core.Routes;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * {@code manage:zettel}: a Zettelkasten of Markdown notes with YAML front matter, one file per
 * zettel under {@code <data dir>/zettels/}, with {@code [[id]]} links, backlinks and ranked Lucene
 * search. Besides {@code POST /invoke/manage/zettel} ({@code "operation"}: store, retrieve, update,
 * delete, list, search, links) it serves REST views: {@code POST /zettels},
 * {@code GET|PUT|DELETE /zettels/{id}}, {@code GET /zettels?category=&tag=&source_agent=&limit=&offset=},
 * {@code GET /zettels/search?q=} and {@code GET /zettels/{id}/links}. Every zettel has a strong entity tag
 * ({@code ETag} on the REST views, {@code etag} in JSON); {@code If-Match} on {@code PUT} and {@code DELETE}
 * (or {@code if_match} in the capability's input) makes a write conditional, {@code If-None-Match: *} on
 * {@code POST /zettels} refuses an existing id, and a failed precondition is a 412 {@code PRECONDITION_FAILED}.
 */
public final class ZettelWorker extends WorkerApplication {

    public static final String WORKER_ID = "crank-sonnet-zettel-manager";
    public static final int DEFAULT_PORT = 8508;
    public static final String CAPABILITY = "manage:zettel";

    /** {@code /status} names at most this many skipped files; {@code skipped_files} counts them all. */
    static final int MAX_SKIPPED_SHOWN = 100;
    static final JsonNode INPUT_SCHEMA = resource("input-schema.json");
    static final JsonNode OUTPUT_SCHEMA = resource("output-schema.json");

    private final JsonSchemaValidator validator = JsonSchemaValidator.of(INPUT_SCHEMA);
    private final ZettelOperations operations = new ZettelOperations(this::openStore);
    private volatile ZettelStore store;

    public ZettelWorker(WorkerConfig config) {
        super(config);
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of(CapabilitySchema.builder("manage", "zettel")
                .version("1.0.0")
                .description("Stores, updates, deletes, lists and searches Markdown zettels with [[id]] links and backlinks")
                .inputSchema(INPUT_SCHEMA)
                .outputSchema(OUTPUT_SCHEMA)
                .maxConcurrency(32)
                .tags("zettelkasten", "notes", "search")
                .errorCodes("INVALID_ID", "INVALID_TEXT", "EMPTY_CONTENT", "ZETTEL_NOT_FOUND", "ZETTEL_EXISTS",
                        "INVALID_QUERY", "QUERY_TOO_COMPLEX", "STORAGE_FAILED", "PRECONDITION_FAILED",
                        "INVALID_PRECONDITION")
                .build());
    }

    @Override
    protected void configure(Routes routes) {
        routes.capability(CAPABILITY, request -> CrankResponse.json(operations.invoke(request.json())))
                .post("/zettels", this::create)
                .get("/zettels", this::list)
                // Before /zettels/{id}: the first route that matches wins.
                .get("/zettels/search", this::search)
                .get("/zettels/{id}", request -> zettelAnswer(200, operations.retrieve(id(request))))
                .put("/zettels/{id}", this::replace)
                .delete("/zettels/{id}", request -> CrankResponse.json(operations.delete(id(request), CrankJson.object(), ifMatch(request))))
                .get("/zettels/{id}/links", request -> CrankResponse.json(operations.links(id(request))));
    }

    @Override
    protected void onStartup() throws IOException {
        store = ZettelStore.open(ZettelStore.folderOf(config().dataDir()), config().clock());
    }

    @Override
    protected void onShutdown() throws IOException {
        ZettelStore open = store;
        store = null;
        if (open != null) {
            open.close();
        }
    }

    @Override
    protected void describeStatus(ObjectNode status) {
        ObjectNode described = status.putObject("zettel_store");
        ZettelStore open = store;
        if (open == null) {
            described.put("state", "closed");
            return;
        }
        described.put("state", "open");
        described.put("zettels", open.size());
        try {
            described.put("indexed_documents", open.indexedDocuments());
        } catch (IOException e) {
            described.put("indexed_documents", -1);
        }
        described.put("skipped_files", open.skipped().size());
        ArrayNode skipped = described.putArray("skipped");
        open.skipped().stream().limit(MAX_SKIPPED_SHOWN)
                .forEach(file -> skipped.addObject().put("file", file.file()).put("reason", file.reason()));
    }

    private CrankResponse create(CrankRequest request) {
        ObjectNode input = body(request, "store");
        Zettel zettel = operations.store(validated(input), ifNoneMatchAny(request));
        return zettelAnswer(201, zettel).withHeader("location", "/zettels/" + zettel.id());
    }

    private CrankResponse replace(CrankRequest request) {
        String id = id(request);
        ObjectNode input = body(request, "update");
        JsonNode given = input.get("id");
        if (given != null && !given.asText().equals(id)) {
            throw CrankException.badRequest("ID_MISMATCH", "The body's id '" + given.asText() + "' differs from the path's '" + id + "'");
        }
        input.put("id", id);
        return zettelAnswer(200, operations.update(id, validated(input), ifMatch(request)));
    }

    /** A zettel as JSON, with its entity tag in {@code ETag}. */
    private static CrankResponse zettelAnswer(int status, Zettel zettel) {
        return CrankResponse.json(status, ZettelOperations.zettel(zettel)).withHeader("etag", ZettelEtags.of(zettel));
    }

    /** {@code If-Match} of a REST write, parsed (400 {@code INVALID_PRECONDITION} when malformed). */
    private static Optional<ZettelEtags.IfMatch> ifMatch(CrankRequest request) {
        return request.header("if-match").map(value -> ZettelEtags.IfMatch.parse("If-Match", value));
    }

    /** {@code If-None-Match: *} on a create; any other value there is a 400 {@code INVALID_PRECONDITION}. */
    private static boolean ifNoneMatchAny(CrankRequest request) {
        Optional<String> value = request.header("if-none-match");
        if (value.isPresent() && !value.get().strip().equals("*")) {
            throw CrankException.badRequest("INVALID_PRECONDITION", "If-None-Match: '" + value.get()
                    + "' (expected: * on POST /zettels, which refuses an id that exists)");
        }
        return value.isPresent();
    }

    private CrankResponse list(CrankRequest request) {
        ObjectNode input = CrankJson.object().put("operation", "list");
        copyText(request, "category", "category", input);
        copyText(request, "tag", "tag", input);
        copyText(request, "source_agent", "source_agent", input);
        copyInt(request, "limit", input);
        copyInt(request, "offset", input);
        return CrankResponse.json(operations.list(validated(input)));
    }

    private CrankResponse search(CrankRequest request) {
        ObjectNode input = CrankJson.object().put("operation", "search");
        if (request.queryParam("q").isEmpty()) {
            throw CrankException.badRequest("MISSING_QUERY", "Query parameter q is required (e.g. /zettels/search?q=sonnet)");
        }
        copyText(request, "q", "query", input);
        copyText(request, "category", "category", input);
        copyText(request, "tag", "tag", input);
        copyText(request, "source_agent", "source_agent", input);
        copyInt(request, "limit", input);
        copyInt(request, "offset", input);
        return CrankResponse.json(operations.search(validated(input)));
    }

    /** The JSON object body of a REST write, tagged with {@code operation} for the shared schema. */
    private static ObjectNode body(CrankRequest request, String operation) {
        if (!request.isJson()) {
            throw new CrankException(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type " + request.contentType()
                    + " is not accepted (expected: application/json)");
        }
        if (!(request.json() instanceof ObjectNode object)) {
            throw CrankException.invalid("INVALID_INPUT", "The body must be a JSON object", List.of("$: not an object"));
        }
        if (object.has("operation")) {
            throw CrankException.invalid("INVALID_INPUT", "The REST views take no 'operation' field",
                    List.of("/operation: not allowed here"));
        }
        ObjectNode input = CrankJson.object().put("operation", operation);
        input.setAll(object);
        return input;
    }

    private JsonNode validated(ObjectNode input) {
        List<String> violations = validator.validate(input);
        if (!violations.isEmpty()) {
            throw CrankException.invalid("INVALID_INPUT", "The input does not match the input schema of " + CAPABILITY, violations);
        }
        return input;
    }

    private static String id(CrankRequest request) {
        return ZettelIds.require(request.pathParam("id"));
    }

    private static void copyText(CrankRequest request, String param, String field, ObjectNode input) {
        request.queryParam(param).ifPresent(value -> input.put(field, value));
    }

    private static void copyInt(CrankRequest request, String param, ObjectNode input) {
        Optional<String> value = request.queryParam(param);
        if (value.isEmpty()) {
            return;
        }
        try {
            input.put(param, Integer.parseInt(value.get().strip()));
        } catch (NumberFormatException e) {
            throw CrankException.badRequest("INVALID_PARAMETER", param + ": '" + value.get() + "' (expected: an integer)");
        }
    }

    private ZettelStore openStore() {
        ZettelStore open = store;
        if (open == null) {
            throw CrankException.unavailable("NOT_READY", WORKER_ID + " has no open zettel store (starting or stopping)");
        }
        return open;
    }

    private static JsonNode resource(String name) {
        try (InputStream in = ZettelWorker.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return CrankJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
