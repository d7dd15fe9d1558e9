package dev.crank.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankJson;
import dev.crank.core.Environment;
import dev.crank.core.TlsMaterial;
import dev.crank.core.WorkerConfig;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What the client commands ({@code invoke}, {@code workers}, {@code capabilities}, {@code route})
 * share: where the controller is, which certificate to call it with, {@code --json}, and exit codes
 * 0 (done), 1 (the server answered with an error), 2 (bad arguments or files, nothing sent),
 * 3 (no answer: connection, TLS or timeout).
 */
abstract class ClientCommand implements Callable<Integer> {

    static final URI DEFAULT_CONTROLLER = URI.create("https://localhost:9000");
    private static final Pattern CAPABILITY = Pattern.compile("([a-z][a-z0-9_]*):([a-z][a-z0-9_]*)");

    /** A capability key split in two. */
    record Capability(String verb, String name) {
        String key() {
            return verb + ":" + name;
        }
    }

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--controller-url", paramLabel = "URL",
            description = "Controller to ask (env CONTROLLER_URL; default https://localhost:9000).")
    String controllerUrl;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Whose dev PKI to use: DIR/pki/admin.crt, admin.key, ca.crt (env CRANK_DATA_DIR; default ./crank-data). "
                    + "CRANK_TLS_CERT, CRANK_TLS_KEY, CRANK_TLS_CA take precedence.")
    Path dataDir;

    @Option(names = "--json", description = "Print the answer as JSON, for scripts.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "Deadline to connect and get an answer (default ${DEFAULT-VALUE}).")
    String timeout;

    private CliHttp http;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (CliException e) {
            err().println("error: " + e.getMessage());
            return e.exitCode();
        } catch (IllegalArgumentException e) {
            err().println("error: " + e.getMessage());
            return CliException.USAGE;
        } finally {
            if (http != null) {
                http.close();
            }
            out().flush();
            err().flush();
        }
    }

    /** Does the command's work and returns its exit code. */
    abstract int run();

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** {@code --controller-url}, else the global flag or {@code CONTROLLER_URL}, else {@code https://localhost:9000}. */
    URI controller() {
        if (controllerUrl != null) {
            try {
                return WorkerConfig.requireHttps("--controller-url", new URI(controllerUrl));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("--controller-url: '" + controllerUrl + "' is not a URL (expected: https://host:port)");
            }
        }
        return main.settings().controllerUrl().orElse(DEFAULT_CONTROLLER);
    }

    /** {@code CRANK_TLS_*} when set, else the admin certificate of the dev PKI in the data dir. */
    TlsMaterial tls() {
        Settings settings = main.settings();
        if (!settings.usesDevPki()) {
            return settings.tls("admin", false);
        }
        Path pki = Optional.ofNullable(dataDir).orElseGet(settings::dataDir).resolve("pki");
        TlsMaterial admin = new TlsMaterial(pki.resolve("admin.crt"), pki.resolve("admin.key"), pki.resolve("ca.crt"));
        for (Path file : new Path[] {admin.certificateChain(), admin.privateKey(), admin.trustedCa()}) {
            if (!Files.isReadable(file)) {
                throw new CliException(CliException.USAGE, "no admin certificate: " + file + " is missing. Run this where the platform "
                        + "runs (it creates " + pki + " on first start), pass --data-dir, run 'pki init', "
                        + "or set CRANK_TLS_CERT, CRANK_TLS_KEY and CRANK_TLS_CA");
            }
        }
        return admin;
    }

    CliHttp http() {
        if (http == null) {
            http = new CliHttp(tls(), Environment.parseDuration("--timeout", timeout));
        }
        return http;
    }

    static Capability capability(String key) {
        Matcher matcher = CAPABILITY.matcher(key);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("capability: '" + key + "' (expected: VERB:NAME such as greet:hello_world)");
        }
        return new Capability(matcher.group(1), matcher.group(2));
    }

    /** {@code POST /route}: the worker the controller picks for {@code capability}. */
    JsonNode route(Capability capability) {
        String body = CrankJson.string(CrankJson.object().put("verb", capability.verb()).put("capability", capability.name()));
        CliHttp.Answer answer = http().postJson(controller().resolve("/route"), body);
        return requireJson(answer, "the controller");
    }

    /** The JSON body of a 2xx answer; anything else is a {@link CliException} that tells what the server said. */
    JsonNode requireJson(CliHttp.Answer answer, String who) {
        if (!answer.ok()) {
            throw failure(answer.status(), answer.contentType(), answer.body(), who);
        }
        try {
            return CrankJson.read(answer.body());
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.ERROR_RESPONSE, who + " answered " + answer.status() + " with a body that is not JSON");
        }
    }

    /**
     * An error answer, as one line ({@code 404 NO_HEALTHY_WORKER: No healthy worker offers x:y}) plus
     * the schema violations; with {@code --json} the problem document also goes to standard output.
     */
    CliException failure(int status, String contentType, byte[] body, String who) {
        if (json) {
            out().println(new String(body, StandardCharsets.UTF_8));
        }
        StringBuilder message = new StringBuilder(who + " answered " + status);
        JsonNode problem = null;
        if (contentType.endsWith("json")) {
            try {
                problem = CrankJson.read(body);
            } catch (IllegalArgumentException ignored) {
                // not JSON after all: fall back to the text
            }
        }
        if (problem != null && problem.isObject()) {
            if (problem.hasNonNull("code")) {
                message.append(' ').append(problem.get("code").asText());
            }
            String detail = problem.hasNonNull("detail") ? problem.get("detail").asText() : problem.path("status").asText("");
            if (!detail.isEmpty()) {
                message.append(": ").append(detail);
            }
            for (JsonNode error : problem.path("errors")) {
                message.append(System.lineSeparator()).append("  - ").append(error.asText());
            }
        } else if (body.length > 0) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            message.append(": ").append(text.length() > 300 ? text.substring(0, 300) + "..." : text);
        }
        return new CliException(CliException.ERROR_RESPONSE, message.toString());
    }
}
