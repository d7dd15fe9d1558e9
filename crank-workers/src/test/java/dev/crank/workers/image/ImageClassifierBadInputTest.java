package dev.crank.workers.image;

import static dev.crank.testing.CrankAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;

import dev.crank.testing.CrankPlatform;
import java.awt.Color;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageClassifierBadInputTest {

    private static final String PATH = "/invoke/classify/image_category";

    private CrankPlatform platform;
    private ImageClassifierWorker worker;
    private byte[] png;
    private byte[] jpeg;
    private byte[] webp;

    @BeforeAll
    void start(@TempDir Path dir) {
        platform = CrankPlatform.withoutController(dir);
        worker = platform.start(new ImageClassifierWorker(
                ImageClassification.withImageBodyLimit(platform.config(ImageClassifierWorker.WORKER_ID).build())));
        png = TestImages.encode(TestImages.picture(320, 240, 5), "png");
        jpeg = TestImages.encode(TestImages.picture(320, 240, 6), "jpeg");
        try (java.io.InputStream in = ImageClassifierBadInputTest.class.getResourceAsStream("red-blue.webp")) {
            webp = in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    void stop() {
        platform.close();
    }

    Stream<Arguments> badJson() {
        byte[] corrupt = png.clone();
        for (int i = png.length / 3; i < png.length / 3 + 64; i++) {
            corrupt[i] ^= 0x5a;
        }
        return Stream.of(
                Arguments.of("not base64", "{\"image_base64\":\"!!! not base64 !!!\"}", 400, "INVALID_BASE64"),
                Arguments.of("data URL without base64", "{\"image_base64\":\"data:image/png,abc\"}", 400, "INVALID_BASE64"),
                Arguments.of("text, not an image", TestImages.json("hello, world".getBytes(StandardCharsets.UTF_8)), 400, "INVALID_IMAGE"),
                Arguments.of("truncated PNG", TestImages.json(Arrays.copyOf(png, png.length / 2)), 400, "INVALID_IMAGE"),
                Arguments.of("truncated JPEG", TestImages.json(Arrays.copyOf(jpeg, jpeg.length / 2)), 400, "INVALID_IMAGE"),
                Arguments.of("truncated WebP", TestImages.json(Arrays.copyOf(webp, webp.length / 2)), 400, "INVALID_IMAGE"),
                Arguments.of("corrupt PNG data", TestImages.json(corrupt), 400, "INVALID_IMAGE"),
                Arguments.of("PNG header only", TestImages.json(TestImages.pngHeader(64, 64)), 400, "INVALID_IMAGE"),
                Arguments.of("TIFF", TestImages.json(TestImages.encode(TestImages.filled(32, 32, Color.RED), "tiff")), 400, "INVALID_IMAGE"),
                Arguments.of("48 megapixels declared", TestImages.json(TestImages.pngHeader(8000, 6000)), 413, "IMAGE_TOO_LARGE"),
                Arguments.of("no image", "{}", 400, "INVALID_INPUT"),
                Arguments.of("empty image", "{\"image_base64\":\"\"}", 400, "INVALID_INPUT"),
                Arguments.of("top_k 0", TestImages.json(png, 0), 400, "INVALID_INPUT"),
                Arguments.of("top_k 11", TestImages.json(png, 11), 400, "INVALID_INPUT"),
                Arguments.of("top_k text", "{\"image_base64\":\"AAAA\",\"top_k\":\"3\"}", 400, "INVALID_INPUT"),
                Arguments.of("unknown field", "{\"image_base64\":\"AAAA\",\"url\":\"x\"}", 400, "INVALID_INPUT"),
                Arguments.of("malformed JSON", "{\"image_base64\":", 400, "MALFORMED_JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badJson")
    void refusesBadJsonWithAProblem(String name, String body, int status, String code) {
        ClientResponse response = platform.postJson(base(), PATH, body);

        assertThat(response).isProblem(status, code);
    }

    @Test
    void refusesBadRawBodies() {
        assertThat(platform.post(base(), PATH, "image/tiff", png)).isProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(platform.post(base(), PATH, "image/webp", Arrays.copyOf(webp, 40))).isProblem(400, "INVALID_IMAGE");
        assertThat(platform.post(base(), PATH, "text/plain", png)).isProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(platform.post(base(), PATH, "image/png", new byte[0])).isProblem(400, "INVALID_IMAGE");
        assertThat(platform.post(base(), PATH, "image/gif", "GIF89a but not really".getBytes(StandardCharsets.US_ASCII))).isProblem(400, "INVALID_IMAGE");
        assertThat(platform.post(base(), PATH + "?top_k=abc", "image/png", png)).isProblem(400, "INVALID_TOP_K");
        assertThat(platform.post(base(), PATH + "?top_k=11", "image/png", png)).isProblem(400, "INVALID_TOP_K");
        assertThat(platform.post(base(), PATH, "image/png", TestImages.pngHeader(10_000, 5_000))).isProblem(413, "IMAGE_TOO_LARGE");
    }

    @Test
    void refusesRawImagesOverTwentyMebibytes() {
        byte[] big = new byte[ImageClassifierSettings.DEFAULT_MAX_IMAGE_BYTES + 1];
        System.arraycopy(png, 0, big, 0, png.length);

        ClientResponse raw = platform.post(base(), PATH, "image/png", big);

        assertThat(raw).isProblem(413, "PAYLOAD_TOO_LARGE");
        assertThat(raw.json().get("detail").asText()).contains("at most " + ImageClassifierSettings.DEFAULT_MAX_IMAGE_BYTES);
    }

    @Test
    void refusesBase64ImagesOverTheLimitBeforeDecodingThem() {
        // The framework's JSON parser takes strings of at most 20,000,000 characters, so the
        // base64 size check is shown here with a 1 MB limit (see docs/workers/image-classifier.md).
        ImageClassifierWorker small = platform.start(new ImageClassifierWorker(
                platform.config(ImageClassifierWorker.WORKER_ID).build(),
                ImageClassifierSettings.defaults().withLimits(ImageClassifierSettings.DEFAULT_MAX_PIXELS, 1_000_000)));
        byte[] big = new byte[1_000_001];
        System.arraycopy(png, 0, big, 0, png.length);
        URI url = URI.create("https://localhost:" + small.port());

        ClientResponse json = platform.postJson(url, PATH, TestImages.json(big));
        ClientResponse fits = platform.postJson(url, PATH, TestImages.json(png));

        assertThat(json).isProblem(413, "PAYLOAD_TOO_LARGE");
        assertThat(json.json().get("detail").asText()).contains("1000001 bytes (expected: at most 1000000)");
        assertThat(fits.status()).isEqualTo(png.length <= 1_000_000 ? 200 : 413);
    }

    @Test
    void stillServesAfterBadInput() {
        platform.postJson(base(), PATH, TestImages.json(Arrays.copyOf(png, 40)));

        ClientResponse response = platform.postJson(base(), PATH, TestImages.json(png));

        assertThat(response.status()).isEqualTo(200);
        assertThat(platform.get(base(), "/health").status()).isEqualTo(200);
    }

    private URI base() {
        return URI.create("https://localhost:" + worker.port());
    }
}
