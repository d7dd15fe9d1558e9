package dev.crank.workers.zettel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankException;
import dev.crank.core.CrankJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seven operations of {@code manage:zettel} on JSON that has passed the input schema, answering
 * the JSON of the output schema. The REST views call the same methods.
 */
final class ZettelOperations {

    static final int DEFAULT_LIST_LIMIT = 50;
    static final int DEFAULT_SEARCH_LIMIT = 10;

    private static final Logger logger = LoggerFactory.getLogger(ZettelOperations.class);

    private final Supplier<ZettelStore> store;

    /** {@code store} answers the open store, or a 503 while there is none. */
    ZettelOperations(Supplier<ZettelStore> store) {
        this.store = store;
    }

    /** Runs {@code input.operation}; the answer carries {@code operation} too. */
    ObjectNode invoke(JsonNode input) {
        String operation = input.path("operation").asText();
        ObjectNode answer = CrankJson.object().put("operation", operation);
        switch (operation) {
            case "store" -> answer.set("zettel", zettel(store(input)));
            case "retrieve" -> answer.set("zettel", zettel(retrieve(input.get("id").asText())));
            case "update" -> answer.set("zettel", zettel(update(input.get("id").asText(), input)));
            case "delete" -> answer.setAll(delete(input.get("id").asText(), input, Optional.empty()));
            case "list" -> answer.setAll(list(input));
            case "search" -> answer.setAll(search(input));
            case "links" -> answer.setAll(links(input.get("id").asText()));
            default -> throw CrankException.badRequest("UNKNOWN_OPERATION", "operation: '" + operation
                    + "' (expected: store, retrieve, update, delete, list, search or links)");
        }
        return answer;
    }

    Zettel store(JsonNode input) {
        return store(input, false);
    }

    /** Stores; {@code mustNotExist} (If-None-Match: *) or the input's {@code if_none_match} refuse an existing id with 412. */
    Zettel store(JsonNode input, boolean mustNotExist) {
        boolean refuseExisting = mustNotExist || input.has("if_none_match");
        return write(() -> store.get().store(draft(input), refuseExisting));
    }

    Zettel retrieve(String id) {
        return store.get().require(id);
    }

    Zettel update(String id, JsonNode input) {
        return update(id, input, Optional.empty());
    }

    /** Updates if the zettel matches {@code header} (the REST If-Match) or the input's {@code if_match}. */
    Zettel update(String id, JsonNode input, Optional<ZettelEtags.IfMatch> header) {
        Optional<ZettelEtags.IfMatch> ifMatch = precondition(input, header);
        return write(() -> store.get().update(ZettelIds.require(id), draft(input), ifMatch));
    }

    ObjectNode delete(String id) {
        return delete(id, CrankJson.object(), Optional.empty());
    }

    /** Deletes if the zettel matches {@code header} (the REST If-Match) or the input's {@code if_match}. */
    ObjectNode delete(String id, JsonNode input, Optional<ZettelEtags.IfMatch> header) {
        Optional<ZettelEtags.IfMatch> ifMatch = precondition(input, header);
        write(() -> {
            store.get().delete(ZettelIds.require(id), ifMatch);
            return null;
        });
        return CrankJson.object().put("id", id).put("deleted", true);
    }

    ObjectNode list(JsonNode input) {
        int limit = input.path("limit").asInt(DEFAULT_LIST_LIMIT);
        int offset = input.path("offset").asInt(0);
        ZettelStore.Page page = store.get().list(new ZettelStore.Filter(text(input, "category"), text(input, "tag"),
                text(input, "source_agent")), limit, offset);
        ObjectNode answer = CrankJson.object();
        ArrayNode zettels = answer.putArray("zettels");
        page.zettels().forEach(zettel -> zettels.add(summary(zettel)));
        return answer.put("total", page.total()).put("limit", limit).put("offset", offset);
    }

    ObjectNode search(JsonNode input) {
        String query = input.get("query").asText();
        int limit = input.path("limit").asInt(DEFAULT_SEARCH_LIMIT);
        int offset = input.path("offset").asInt(0);
        ZettelStore zettels = store.get();
        ZettelIndex.Hits hits;
        try {
            hits = zettels.search(query, new ZettelIndex.Filter(text(input, "category"), text(input, "tag"),
                    text(input, "source_agent")), limit, offset);
        } catch (IOException e) {
            logger.error("Search for {} failed", query, e);
            throw new CrankException(500, "SEARCH_FAILED", "The search index failed");
        }
        ObjectNode answer = CrankJson.object().put("query", query).put("total_hits", hits.total());
        answer.put("limit", limit).put("offset", offset);
        ArrayNode results = answer.putArray("results");
        for (ZettelIndex.Hit hit : hits.hits()) {
            // A zettel deleted between the search and this lookup is left out.
            zettels.get(hit.id()).ifPresent(zettel -> results.add(summary(zettel)
                    .put("score", hit.score()).put("snippet", hit.snippet())));
        }
        return answer;
    }

    ObjectNode links(String id) {
        ZettelStore zettels = store.get();
        Zettel zettel = zettels.require(id);
        ObjectNode answer = CrankJson.object().put("id", zettel.id());
        ArrayNode links = answer.putArray("links");
        for (String target : zettel.links()) {
            ObjectNode link = links.addObject().put("id", target);
            Optional<Zettel> linked = zettels.get(target);
            link.put("exists", linked.isPresent());
            linked.ifPresent(found -> link.put("title", found.title()));
        }
        ArrayNode backlinks = answer.putArray("backlinks");
        for (String source : zettels.backlinks(zettel.id())) {
            zettels.get(source).ifPresent(found -> backlinks.addObject().put("id", found.id()).put("title", found.title()));
        }
        return answer;
    }

    static ObjectNode summary(Zettel zettel) {
        ObjectNode json = CrankJson.object();
        json.put("id", zettel.id());
        json.put("title", zettel.title());
        json.put("created_at", zettel.createdAt().toString());
        json.put("updated_at", zettel.updatedAt().toString());
        json.put("etag", ZettelEtags.of(zettel));
        zettel.sourceAgent().ifPresent(agent -> json.put("source_agent", agent));
        zettel.category().ifPresent(category -> json.put("category", category));
        ArrayNode tags = json.putArray("tags");
        zettel.tags().forEach(tags::add);
        ArrayNode links = json.putArray("links");
        zettel.links().forEach(links::add);
        return json;
    }

    static ObjectNode zettel(Zettel zettel) {
        return summary(zettel).put("content", zettel.content());
    }

    private static ZettelStore.Draft draft(JsonNode input) {
        Optional<List<String>> tags = Optional.ofNullable(input.get("tags")).map(array -> {
            List<String> values = new ArrayList<>();
            array.forEach(tag -> values.add(tag.asText()));
            return values;
        });
        return new ZettelStore.Draft(text(input, "id"), text(input, "content"), text(input, "title"),
                text(input, "source_agent"), text(input, "category"), tags);
    }

    /** The If-Match of a write: the header or the {@code if_match} field, not both. */
    private static Optional<ZettelEtags.IfMatch> precondition(JsonNode input, Optional<ZettelEtags.IfMatch> header) {
        Optional<ZettelEtags.IfMatch> field = text(input, "if_match").map(value -> ZettelEtags.IfMatch.parse("if_match", value));
        if (header.isPresent() && field.isPresent()) {
            throw CrankException.badRequest("INVALID_PRECONDITION", "Both an If-Match header and an if_match field were sent "
                    + "(expected: one of them)");
        }
        return header.or(() -> field);
    }

    private static Optional<String> text(JsonNode input, String field) {
        JsonNode value = input.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    /** Runs a write; a failing disk is a 500 whose detail names no path (the log has it). */
    private static <T> T write(IoAction<T> action) {
        try {
            return action.run();
        } catch (IOException e) {
            logger.error("Zettel storage failed", e);
            throw new CrankException(500, "STORAGE_FAILED", "The zettel could not be written to storage");
        }
    }

    @FunctionalInterface
    private interface IoAction<T> {
        T run() throws IOException;
    }
}
