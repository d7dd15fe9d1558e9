package dev.crank.workers.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The UTF-8 check agrees with Java's strict decoder. */
class TextDecodingTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "41", "c3a9", "c0af", "c1bf", "c280", "e0a080", "e09f80", "eda080", "edbfbf", "ee8080",
        "efbfbf", "f0908080", "f08f8080", "f48fbfbf", "f4908080", "f5808080", "ff", "80", "c3", "e282", "f09f98",
        "f09f9880", "41c3a942", "e2828c41"})
    void agreesWithTheStrictDecoder(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThat(TextDecoding.isUtf8(bytes)).as(hex).isEqualTo(decodes(bytes));
    }

    @Test
    void agreesWithTheStrictDecoderOnRandomBytes() {
        Random random = new Random(19);
        for (int n = 0; n < 20_000; n++) {
            byte[] bytes = new byte[random.nextInt(8)];
            for (int i = 0; i < bytes.length; i++) {
                int pick = random.nextInt(4);
                bytes[i] = (byte) (pick == 0 ? random.nextInt(128) : pick == 1 ? 0x80 + random.nextInt(64)
                        : 0xC0 + random.nextInt(64));
            }
            assertThat(TextDecoding.isUtf8(bytes)).as(HexFormat.of().formatHex(bytes)).isEqualTo(decodes(bytes));
        }
    }

    private static boolean decodes(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
