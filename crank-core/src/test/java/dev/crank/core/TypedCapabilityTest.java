package dev.crank.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TypedCapabilityTest {

    record Order(
            @NotNull @Size(min = 1, max = 20) @JsonPropertyDescription("Who orders") String customerName,
            @Min(1) @Max(9) int itemCount,
            @JsonProperty(defaultValue = "\"post\"") String deliveryMode,
            Address shipTo) {}

    record Address(@NotNull String streetLine, List<String> notes) {}

    record Receipt(@NotNull String orderId, double totalPrice) {}

    private static CapabilitySchema schema() {
        return CapabilitySchema.builder("place", "order").version("1.0.0")
                .inputSchema(Order.class)
                .outputSchema(Receipt.class)
                .build();
    }

    @Test
    void schemaFromARecordIsDraft202012InSnakeCaseWithItsConstraints() {
        JsonNode input = schema().inputSchema();

        assertThat(input.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(input.path("type").asText()).isEqualTo("object");
        assertThat(input.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(input.path("properties").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("customer_name", "item_count", "delivery_mode", "ship_to");
        assertThat(input.path("required")).extracting(JsonNode::asText).containsExactlyInAnyOrder("customer_name", "item_count");
        JsonNode name = input.path("properties").path("customer_name");
        assertThat(name.path("type").asText()).isEqualTo("string");
        assertThat(name.path("minLength").asInt()).isEqualTo(1);
        assertThat(name.path("maxLength").asInt()).isEqualTo(20);
        assertThat(name.path("description").asText()).isEqualTo("Who orders");
        JsonNode count = input.path("properties").path("item_count");
        assertThat(count.path("type").asText()).isEqualTo("integer");
        assertThat(count.path("minimum").asInt()).isEqualTo(1);
        assertThat(count.path("maximum").asInt()).isEqualTo(9);
        assertThat(input.path("properties").path("delivery_mode").path("default").asText()).isEqualTo("post");
        JsonNode shipTo = input.path("properties").path("ship_to");
        assertThat(shipTo.path("required")).extracting(JsonNode::asText).containsExactly("street_line");
        assertThat(shipTo.path("properties").path("notes").path("items").path("type").asText()).isEqualTo("string");
        assertThat(schema().outputSchema().path("required")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("order_id", "total_price");
    }

    @Test
    void theGeneratedSchemaValidatesWhatTheRecordReads() {
        JsonSchemaValidator validator = JsonSchemaValidator.of(schema().inputSchema());

        assertThat(validator.validate(CrankJson.parse("{\"customer_name\":\"Ada\",\"item_count\":2,\"ship_to\":{\"street_line\":\"1 Main St\"}}")))
                .isEmpty();
        assertThat(validator.validate(CrankJson.parse("{\"customer_name\":\"\",\"item_count\":10,\"colour\":\"red\"}")))
                .hasSize(3);
    }

    @Test
    void requestBindsItsBodyToARecord() {
        CrankRequest request = request("{\"customer_name\":\"Ada\",\"item_count\":2,\"ship_to\":{\"street_line\":\"1 Main St\",\"notes\":[\"ring\"]}}");

        Order order = request.json(Order.class);

        assertThat(order).isEqualTo(new Order("Ada", 2, null, new Address("1 Main St", List.of("ring"))));
    }

    @Test
    void aBodyThatDoesNotFitTheRecordIsA400() {
        CrankRequest request = request("{\"customer_name\":\"Ada\",\"item_count\":\"many\"}");

        assertThatThrownBy(() -> request.json(Order.class)).isInstanceOfSatisfying(CrankException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("INVALID_INPUT");
        });
    }

    @Test
    void outputIsCheckedAgainstTheGeneratedSchema() {
        assertThat(schema().validateOutput(CrankJson.tree(new Receipt("o-1", 12.5)))).isEmpty();
        assertThat(schema().validateOutput(CrankJson.parse("{\"order_id\":7}"))).hasSize(2);
    }

    private static CrankRequest request(String body) {
        return new CrankRequest("POST", "/invoke/place/order", Map.of(), Map.of(), Map.of(),
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8), Optional.empty());
    }
}
