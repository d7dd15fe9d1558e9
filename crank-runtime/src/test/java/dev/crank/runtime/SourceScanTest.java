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
 *
 * <p>It also keeps {@code dev.crank.core.internal} internal: no file of crank-workers, crank-runtime,
 * crank-testing or the examples (main or test) may name it; crank-controller and crank-bench, parts of the
 * platform itself, may where a comment on the same line or just before says why.
 */
class SourceScanTest {


    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern INTERNAL = Pattern.compile("\\bdev\\.crank\\.core\\.internal\\.");
    private static final Pattern PLAIN_HTTP = Pattern.compile("\"http://");
    private static final Pattern TERMINAL = Pattern.compile("System\\.(out|err)\\b|\\.printStackTrace\\(");
    private static final Pattern BYPASS = Pattern.compile(
            "InsecureTrustManagerFactory|TrustAllCerts|trustAll|X509TrustManager\\s*\\(|setHostnameVerifier|NoopHostnameVerifier"
            + "|setEndpointIdentificationAlgorithm\\(\\s*(null|\"\")|endpointIdentificationAlgorithm\\(\\s*(null|\"\")"
            + "|ALLOW_ALL_HOSTNAME_VERIFIER|checkServerTrusted\\([^)]*\\)\\s*\\{\\s*\\}");

    @Test
    void mainCodeHasNoPlainHttpUrls() throws IOException {
        assertThat(scan("src/main", PLAIN_HTTP)).isEmpty();
    }

    /**
     * Library and worker code logs through SLF4J; the terminal belongs to the runtime CLI, the benchmarks and
     * the command-line jobs' {@code Terminal}.
     */
    @Test
    void onlyTheCommandLinePrintsToTheTerminal() throws IOException {
        List<String> hits = scan("src/main", TERMINAL).stream()
                .filter(hit -> !hit.startsWith("crank-runtime/") && !hit.startsWith("crank-bench/")
                        && !hit.startsWith("crank-training/src/main/java/dev/crank/workers/tools/Terminal.java:"))
                .toList();
        assertThat(hits).isEmpty();
    }

    @Test
    void noCodeBypassesCertificateOrHostNameVerification() throws IOException {
        assertThat(scan("src/main", BYPASS)).isEmpty();
        assertThat(scan("src/test", BYPASS)).isEmpty();
    }

    @Test
    void onlyCrankCoreUsesItsInternalPackage() throws IOException {
        List<String> forbidden = new ArrayList<>();
        for (Path file : javaFiles("src/main", "src/test")) {
            Path relative = ROOT.relativize(file);
            String module = relative.getName(0).toString();
            if (module.equals("crank-core")) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            List<Integer> uses = internalUses(lines);
            List<Integer> unjustified = uses.stream().filter(at -> !justified(lines, at)).toList();
            if (module.equals("crank-controller") || module.equals("crank-bench")) {
                unjustified.forEach(at -> forbidden.add(relative + ":" + (at + 1) + " (no comment says why)"));
            } else {
                uses.forEach(at -> forbidden.add(relative + ":" + (at + 1)));
            }
        }
        assertThat(forbidden).as("uses of dev.crank.core.internal outside crank-core (use CrankJson, JsonSchemaValidator, ...)")
                .isEmpty();
    }

    @Test
    void theInternalRuleTellsUsesAndJustifications() {
        List<String> lines = List.of(
                "import dev.crank.core.CrankJson;",
                "import dev.crank.core.internal.Json;",
                "// internal: the registry stores the wire form byte for byte",
                "import dev.crank.core.internal.SchemaValidator;",
                "import dev.crank.core.internal.Transport; // internal: raw Netty for the benchmark",
                " * see {@code dev.crank.core.internal.Json}",
                "        ObjectNode load = dev.crank.core.internal.Json.object();");
        List<Integer> uses = internalUses(lines);

        assertThat(uses).containsExactly(1, 3, 4, 6);
        assertThat(uses.stream().filter(at -> justified(lines, at))).containsExactly(3, 4);
    }

    @Test
    void theScanSeesTheWholeProject() throws IOException {
        assertThat(javaFiles("src/main")).as("scanned files").hasSizeGreaterThan(30)
                .anySatisfy(path -> assertThat(path.toString()).endsWith("CrankClient.java"));
    }

    /** Indices of the code lines (not comments) that name the internal package. */
    static List<Integer> internalUses(List<String> lines) {
        List<Integer> uses = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String code = lines.get(i).strip();
            if (code.startsWith("//") || code.startsWith("*") || code.startsWith("/*")) {
                continue;
            }
            int comment = code.indexOf("//");
            if (INTERNAL.matcher(comment < 0 ? code : code.substring(0, comment)).find()) {
                uses.add(i);
            }
        }
        return uses;
    }

    /**
     * Whether a comment with some words on the same line, or a line comment just before it (or just before
     * the run of internal imports it belongs to), says why.
     */
    static boolean justified(List<String> lines, int at) {
        String line = lines.get(at);
        int comment = line.indexOf("//");
        if (comment >= 0 && line.substring(comment + 2).strip().length() >= 10) {
            return true;
        }
        int before = at - 1;
        while (before >= 0 && lines.get(before).strip().startsWith("import dev.crank.core.internal.")) {
            before--;
        }
        String previous = before >= 0 ? lines.get(before).strip() : "";
        return previous.startsWith("//") && previous.substring(2).strip().length() >= 10;
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

    private static List<Path> javaFiles(String... sourceRoots) throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> Stream.of(sourceRoots).anyMatch(root -> path.toString().contains("/" + root + "/")))
                    .filter(path -> !path.toString().contains("/target/"))
                    .filter(path -> !path.endsWith("SourceScanTest.java"))
                    .toList();
        }
    }
}
