package dev.crank.controller;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crank.core.CrankException;
import dev.crank.core.CrankJson;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CapabilityPolicyTest {

    private static final CapabilityPolicy SHIPPED = CapabilityPolicy.load(Path.of("../examples/policy/nine-workers.json"));

    @ParameterizedTest
    @CsvSource({"crank-hello-world,greet:hello_world", "crank-streaming,stream:sse_events", "crank-streaming,stream:text_events",
            "crank-email-classifier,classify:email_intent", "crank-email-parser,parse:email_headers",
            "crank-document-conversion,convert:document_to_pdf", "crank-image-classifier,classify:image_category",
            "crank-image-classifier-gpu,classify:image_category", "crank-philosophical-analyzer,analyze:philosophy",
            "crank-sonnet-zettel-manager,manage:zettel"})
    void theShippedPolicyLetsEachOfTheNineWorkersOfferItsCapabilities(String workerId, String capability) {
        assertThatCode(() -> SHIPPED.check(workerId, capability)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource({"crank-streaming,greet:hello_world", "crank-hello-world,classify:image_category", "crank-hello-world-2,greet:hello_world",
            "CRANK-HELLO-WORLD,greet:hello_world", "crank-hello-world,greet:hello_world_v2", "crank-image-classifier-gpu2,classify:image_category"})
    void theShippedPolicyRefusesEverythingElse(String workerId, String capability) {
        assertThatThrownBy(() -> SHIPPED.check(workerId, capability)).isInstanceOfSatisfying(CrankException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo("CAPABILITY_NOT_ALLOWED"));
    }

    @Test
    void wildcardsMatchAnyRunAndNothingElseIsSpecial() {
        CapabilityPolicy policy = CapabilityPolicy.parse(CrankJson.parse(
                "{\"rules\":[{\"capabilities\":[\"greet:*\"],\"workers\":[\"team.a-*\",\"*-gpu\"]}]}"), "test");
        assertThatCode(() -> policy.check("team.a-1", "greet:x")).doesNotThrowAnyException();
        assertThatCode(() -> policy.check("crank-gpu", "greet:y")).doesNotThrowAnyException();
        assertThatThrownBy(() -> policy.check("teamXa-1", "greet:x")).isInstanceOf(CrankException.class);
        assertThatThrownBy(() -> policy.check("team.a-1", "greetx:x")).isInstanceOf(CrankException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "{\"rules\":{}}", "{\"rules\":[{\"capabilities\":[],\"workers\":[\"a\"]}]}",
            "{\"rules\":[{\"capabilities\":[\"a:b\"]}]}", "{\"rules\":[{\"capabilities\":[1],\"workers\":[\"a\"]}]}",
            "{\"rules\":[{\"capabilities\":[\"\"],\"workers\":[\"a\"]}]}"})
    void aPolicyThatIsNotOneIsRefusedWithItsProblem(String text) {
        assertThatThrownBy(() -> CapabilityPolicy.parse(CrankJson.parse(text), "test"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capability policy test");
    }
}
