package dev.crank.runtime.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/** One real, valid call per capability, with what its answer must show. */
final class Samples {

    record Call(Map<String, String> headers, byte[] body, Consumer<ClientResponse> check) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final Map<String, Call> CALLS = Map.ofEntries(
            Map.entry("greet:hello_world", json("{\"message\":\"World\",\"options\":{\"uppercase\":true,\"exclamations\":2}}",
                    response -> assertThat(response.json().get("greeting").asText()).isEqualTo("Hello, WORLD!!"))),
            Map.entry("stream:text_events", json("{\"content\":\"one two three four five\",\"chunk_size\":2}",
                    response -> assertThat(response.bodyText()).contains("event: chunk", "\"content\":\"one two\"", "event: done"))),
            Map.entry("stream:sse_events", json("{\"interval_ms\":100,\"max_events\":2}",
                    response -> assertThat(response.bodyText()).contains("retry:", "\"worker_id\":\"crank-streaming\""))),
            Map.entry("manage:zettel", json("{\"operation\":\"store\",\"content\":\"# End to end\\n\\nThe whole-platform suite wrote this.\","
                    + "\"category\":\"e2e\",\"tags\":[\"e2e\"]}",
                    response -> assertThat(response.json().get("zettel").get("title").asText()).isEqualTo("End to end"))),
            Map.entry("convert:document_to_pdf", json("{\"document\":\"# End to end\\n\\n\u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1 \u2192 \u2713 \u03a9\",\"title\":\"e2e\"}",
                    response -> assertThat(response.json().get("pages").asInt()).isEqualTo(1))),
            Map.entry("classify:image_category", json("{\"image_base64\":\"" + blankPng() + "\",\"top_k\":2}",
                    response -> {
                        assertThat(response.json().get("predictions")).hasSize(2);
                        assertThat(response.json().get("analysis").get("width").asInt()).isEqualTo(64);
                    })),
            Map.entry("parse:email_headers", json("{\"raw_email\":\"From: Alice Example <alice@example.com>\\r\\nTo: bob@example.org\\r\\n"
                    + "Subject: =?UTF-8?B?SW52b2ljZSDinJM=?=\\r\\nDate: Tue, 24 Nov 2026 10:00:00 +0000\\r\\nMessage-ID: <e2e@example.com>\\r\\n\\r\\n"
                    + "Your invoice total is 42 EUR.\\r\\n\"}",
                    response -> {
                        assertThat(response.json().get("subject").asText()).isEqualTo("Invoice \u2713");
                        assertThat(response.json().get("from").get("address").asText()).isEqualTo("alice@example.com");
                    })),
            Map.entry("classify:email_intent", json("{\"email_content\":\"Dear customer, your invoice total and amount due are attached. "
                    + "Payment is due on receipt.\",\"subject\":\"Your invoice\"}",
                    response -> assertThat(response.json().get("results")).isNotEmpty())),
            Map.entry("analyze:philosophy", json("{\"text\":\"Decisions are made by many autonomous agents that coordinate without a "
                    + "central controller; agency is distributed across the network of teams.\"}",
                    response -> assertThat(response.json().get("dna_markers").get("AID").asDouble()).isPositive())));

    private Samples() {}

    static Call of(String capability) {
        Call call = CALLS.get(capability);
        if (call == null) {
            throw new AssertionError("no sample call for " + capability + ": add one to " + Samples.class.getName());
        }
        return call;
    }

    /** Checks after the bad-input run that stored data survived: the zettels the samples stored are intact. */
    static void verifyStoredData(PlatformProcesses platform, Map<String, PlatformProcesses.Node> nodes) {
        PlatformProcesses.Node zettels = nodes.get("crank-sonnet-zettel-manager");
        if (zettels == null) {
            return;
        }
        ClientResponse list = platform.postJson(zettels.url().resolve("/invoke/manage/zettel"),
                "{\"operation\":\"list\",\"category\":\"e2e\"}");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("total").asInt()).as("both sample zettels (direct and via the gateway)").isEqualTo(2);
        for (var zettel : list.json().get("zettels")) {
            ClientResponse retrieved = platform.postJson(zettels.url().resolve("/invoke/manage/zettel"),
                    "{\"operation\":\"retrieve\",\"id\":\"" + zettel.get("id").asText() + "\"}");
            assertThat(retrieved.status()).isEqualTo(200);
            assertThat(retrieved.json().get("zettel").get("content").asText()).contains("The whole-platform suite wrote this.");
        }
    }

    /** A 64 x 64 white PNG, as base64. */
    private static String blankPng() {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D graphics = image.createGraphics();
        graphics.setColor(java.awt.Color.WHITE);
        graphics.fillRect(0, 0, 64, 64);
        graphics.dispose();
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", png);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return java.util.Base64.getEncoder().encodeToString(png.toByteArray());
    }

    private static Call json(String body, Consumer<ClientResponse> check) {
        return new Call(Map.of("content-type", "application/json"), body.getBytes(StandardCharsets.UTF_8), check);
    }
}
