package dev.crank.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when main code gains a plain-HTTP URL or a way around certificate or host-name
 * verification. Test code is scanned for the bypasses too (tests must use real verification).
 */
class SourceScanTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern PLAIN_HTTP = Pattern.compile("\"http://");
    private static final Pattern BYPASS = Pattern.compile(
            "InsecureTrustManagerFactory|TrustAllCerts|trustAll|X509TrustManager\\s*\\(|setHostnameVerifier|NoopHostnameVerifier"
            + "|setEndpointIdentificationAlgorithm\\(\\s*(null|\"\")|endpointIdentificationAlgorithm\\(\\s*(null|\"\")"
            + "|ALLOW_ALL_HOSTNAME_VERIFIER|checkServerTrusted\\([^)]*\\)\\s*\\{\\s*\\}");

    @Test
    void mainCodeHasNoPlainHttpUrls() throws IOException {
        assertThat(scan("src/main", PLAIN_HTTP)).isEmpty();
    }

    @Test
    void noCodeBypassesCertificateOrHostNameVerification() throws IOException {
        assertThat(scan("src/main", BYPASS)).isEmpty();
        assertThat(scan("src/test", BYPASS)).isEmpty();
    }

    @Test
    void theScanSeesTheWholeProject() throws IOException {
        assertThat(javaFiles("src/main")).as("scanned files").hasSizeGreaterThan(30)
                .anySatisfy(path -> assertThat(path.toString()).endsWith("CrankClient.java"));
    }

    private static List<String> scan(String sourceRoot, Pattern pattern) throws IOException {
        List<String> hits = new ArrayList<>();
        for (Path file : javaFiles(sourceRoot)) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (pattern.matcher(lines.get(i)).find()) {
                    hits.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        return hits;
    }

    private static List<Path> javaFiles(String sourceRoot) throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> path.toString().contains("/" + sourceRoot + "/"))
                    .filter(path -> !path.toString().contains("/target/"))
                    .filter(path -> !path.endsWith("SourceScanTest.java"))
                    .toList();
        }
    }
}
