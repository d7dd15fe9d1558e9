package dev.crank.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code workers}: the controller's registry, one worker a line. */
@Command(name = "workers", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List the workers registered with the controller (GET /workers).")
final class WorkersCommand extends ClientCommand {

    @Override
    int run() {
        CliHttp.Answer answer = http().get(controller().resolve("/workers"));
        JsonNode body = requireJson(answer, "the controller");
        if (json) {
            out().println(answer.text());
            return 0;
        }
        JsonNode workers = body.path("workers");
        if (workers.isEmpty()) {
            out().println("No workers are registered with " + controller());
            return 0;
        }
        Table table = new Table("WORKER", "STATE", "DEVICE", "URL", "LAST HEARTBEAT", "CAPABILITIES");
        Instant now = Instant.now();
        for (JsonNode worker : workers) {
            List<String> capabilities = new ArrayList<>();
            worker.path("capabilities").forEach(capability -> capabilities.add(capability.asText()));
            table.row(worker.path("worker_id").asText(), worker.path("state").asText(), worker.path("device").asText("-"),
                    worker.path("worker_url").asText(), age(worker.path("last_heartbeat").asText(), now),
                    String.join(", ", capabilities));
        }
        table.print(out());
        return 0;
    }

    /** {@code 4s ago}, {@code 3m ago}; the raw text when it is not an instant. */
    static String age(String instant, Instant now) {
        try {
            Duration age = Duration.between(Instant.parse(instant), now);
            if (age.isNegative()) {
                return "just now";
            }
            if (age.toSeconds() < 120) {
                return age.toSeconds() + "s ago";
            }
            if (age.toMinutes() < 120) {
                return age.toMinutes() + "m ago";
            }
            return age.toHours() + "h ago";
        } catch (DateTimeParseException e) {
            return instant;
        }
    }
}
