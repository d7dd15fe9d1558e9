package dev.crank.workers.zettel;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import dev.crank.core.JsonSchemaValidator;
import dev.crank.testing.CrankPlatform;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Calls on a running {@link ZettelWorker} and the real texts the tests store. */
final class ZettelFixtures {

    static final String SONNET_18 = """
            # Sonnet 18

            Shall I compare thee to a summer's day?
            Thou art more lovely and more temperate:
            Rough winds do shake the darling buds of May,
            And summer's lease hath all too short a date.
            See [[volta]] for where the poem turns.
            """;
    static final String SONNET_130 = """
            My mistress' eyes are nothing like the sun;
            Coral is far more red than her lips' red;
            If snow be white, why then her breasts are dun;
            If hairs be wires, black wires grow on her head.
            A parody of the Petrarchan blazon; compare [[sonnet-18]].
            """;
    static final String VOLTA = """
            ## The volta

            The turn of thought or argument in a sonnet. In the Petrarchan form it falls at line nine;
            in the Shakespearean form it is often held back to the closing rhyming couplet.
            Both [[sonnet-18]] and [[sonnet-130]] are written in iambic pentameter.
            """;

    private static final JsonSchemaValidator OUTPUT = JsonSchemaValidator.of(ZettelWorker.OUTPUT_SCHEMA);

    private final CrankPlatform platform;
    private final ZettelWorker worker;

    ZettelFixtures(CrankPlatform platform, ZettelWorker worker) {
        this.platform = platform;
        this.worker = worker;
    }

    /** {@code POST /invoke/manage/zettel}; a 200 answer is checked against the declared output schema. */
    ClientResponse invoke(ObjectNode input) {
        return invoke(CrankJson.string(input));
    }

    ClientResponse invoke(String json) {
        ClientResponse response = platform.invoke(worker, "manage", "zettel", json);
        if (response.status() == 200) {
            assertThat(OUTPUT.validate(response.json())).as(response.bodyText()).isEmpty();
        }
        return response;
    }

    /** Invokes and expects a 200; returns the answer. */
    JsonNode ok(ObjectNode input) {
        ClientResponse response = invoke(input);
        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        return response.json();
    }

    JsonNode store(String id, String content, String category, String... tags) {
        ObjectNode input = op("store").put("id", id).put("content", content).put("category", category).put("source_agent", "poet");
        for (String tag : tags) {
            input.withArray("tags").add(tag);
        }
        return ok(input).get("zettel");
    }

    /** A request whose path is sent exactly as written (no normalisation of dot segments). */
    ClientResponse send(String method, String rawPath, String contentType, String body) {
        URI uri = URI.create("https://localhost:" + worker.port() + rawPath);
        return platform.admin().send(new ClientRequest(method, uri,
                contentType == null ? Map.of() : Map.of("content-type", contentType),
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), CrankPlatform.TIMEOUT)).join();
    }

    ClientResponse get(String rawPath) {
        return send("GET", rawPath, null, null);
    }

    static ObjectNode op(String operation) {
        return CrankJson.object().put("operation", operation);
    }
}
