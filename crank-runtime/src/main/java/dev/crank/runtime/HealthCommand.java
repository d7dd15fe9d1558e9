package dev.crank.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankJson;
import dev.crank.core.WorkerConfig;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code health URL}: a probe for supervisors that cannot present a client certificate themselves
 * (a Kubernetes {@code exec} probe, a systemd {@code ExecStartPost}). Exit 0 when the endpoint answers
 * 2xx, 1 on anything else, unreachable included, so a probe has exactly two outcomes.
 */
@Command(name = "health", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Probe a Crank process over mutual TLS: exit 0 when it answers 2xx, 1 otherwise (unreachable included).",
            "A URL without a path probes /health/ready; use .../health/live for liveness."})
final class HealthCommand extends ClientCommand {

    static final int HEALTHY = 0;
    static final int UNHEALTHY = 1;

    @Parameters(index = "0", paramLabel = "URL", description = "e.g. https://localhost:8500 or https://localhost:8500/health/live")
    String url;

    @Override
    int run() {
        URI target = target();
        CliHttp.Answer answer;
        try {
            answer = http().get(target);
        } catch (CliException e) {
            if (e.exitCode() == CliException.USAGE) {
                throw e;
            }
            err().println("unhealthy: " + e.getMessage());
            return UNHEALTHY;
        }
        String status = summary(answer);
        if (answer.ok()) {
            out().println(json ? answer.text() : "healthy: " + answer.status() + " " + status);
            return HEALTHY;
        }
        if (json) {
            out().println(answer.text());
        }
        err().println("unhealthy: " + answer.status() + " " + status);
        return UNHEALTHY;
    }

    private URI target() {
        URI uri;
        try {
            uri = WorkerConfig.requireHttps("URL", new URI(url));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("URL: '" + url + "' is not a URL (expected: https://host:port[/health/ready])");
        }
        return uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/") ? uri.resolve("/health/ready") : uri;
    }

    /** The status field and any failing checks, from a JSON health answer. */
    private static String summary(CliHttp.Answer answer) {
        try {
            JsonNode body = CrankJson.read(answer.body());
            StringBuilder text = new StringBuilder(body.path("status").asText(""));
            for (JsonNode check : body.path("checks")) {
                if (!"pass".equals(check.path("status").asText())) {
                    text.append("; ").append(check.path("name").asText()).append(": ").append(check.path("detail").asText());
                }
            }
            return text.toString();
        } catch (RuntimeException e) {
            return answer.contentType();
        }
    }
}
