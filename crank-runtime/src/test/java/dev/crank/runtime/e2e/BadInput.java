package dev.crank.runtime.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.crank.core.CrankJson;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Inputs no capability may answer with a 5xx: each must be a 4xx problem with a code. */
final class BadInput {

    static final List<String> ADVERSARIAL = List.of(
            "'; DROP TABLE zettels; --",
            "<script>alert(document.cookie)</script>",
            "../../../../etc/passwd",
            "${jndi:ldap://127.0.0.1:1/a}",
            "\u202Etxt.exe",
            "zero\u200Bwidth\u200Djoiner\uFEFF",
            "nul\u0000byte");

    private BadInput() {}

    /** Named bad bodies for a capability whose input schema is {@code schema}. */
    static Map<String, byte[]> payloads(JsonNode schema) {
        Map<String, byte[]> payloads = new LinkedHashMap<>();
        payloads.put("a JSON array", bytes("[]"));
        payloads.put("a JSON string", bytes("\"text\""));
        payloads.put("a JSON number", bytes("42"));
        payloads.put("JSON null", bytes("null"));
        payloads.put("malformed JSON", bytes("{\"a\":"));
        payloads.put("invalid UTF-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        payloads.put("nested 10,000 deep", bytes("[".repeat(10_000) + "]".repeat(10_000)));
        payloads.put("a 20 MB body", bytes("{\"x\":\"" + "a".repeat(20 * 1024 * 1024) + "\"}"));
        if (schema.has("required") && !schema.get("required").isEmpty()) {
            payloads.put("missing required fields", bytes("{}"));
            payloads.put("NUL bytes only", bytes("{\"\\u0000\":\"\\u0000\"}"));
        }
        JsonNode properties = schema.path("properties");
        for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String type = properties.get(name).path("type").asText("");
            ObjectNode wrong = CrankJson.object();
            switch (type) {
                case "string" -> wrong.put(name, 12345);
                case "integer", "number" -> wrong.put(name, "12");
                case "boolean" -> wrong.put(name, "yes");
                case "object" -> wrong.putArray(name).add(1);
                case "array" -> wrong.put(name, "not an array");
                default -> {
                    continue;
                }
            }
            payloads.put("wrong type for " + name, CrankJson.bytes(wrong));
            int maxLength = properties.get(name).path("maxLength").asInt(0);
            if ("string".equals(type) && maxLength > 0 && maxLength < 5_000_000) {
                payloads.put("oversized " + name, CrankJson.bytes(CrankJson.object().put(name, "x".repeat(maxLength + 1))));
            }
        }
        return payloads;
    }

    /**
     * The sample's JSON body with every string value (but an {@code operation} discriminator) replaced
     * by {@code value}; null when the sample is not JSON.
     */
    static byte[] withStrings(Samples.Call sample, String value) {
        if (!sample.headers().getOrDefault("content-type", "application/json").startsWith("application/json")) {
            return null;
        }
        JsonNode body = CrankJson.parse(sample.text());
        replace(body, value);
        return CrankJson.bytes(body);
    }

    private static void replace(JsonNode node, String value) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().equals("operation")) {
                    continue; // keep the discriminator so the adversarial text reaches the operation
                }
                if (field.getValue().isTextual()) {
                    field.setValue(TextNode.valueOf(value));
                } else {
                    replace(field.getValue(), value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(value));
                } else {
                    replace(array.get(i), value);
                }
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
