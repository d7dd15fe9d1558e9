package dev.crank.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code capabilities}: every {@code verb:name} the controller knows, with how many workers serve it. */
@Command(name = "capabilities", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List the capabilities the controller can route, with their workers (GET /capabilities).")
final class CapabilitiesCommand extends ClientCommand {

    @Override
    int run() {
        CliHttp.Answer answer = http().get(controller().resolve("/capabilities"));
        JsonNode body = requireJson(answer, "the controller");
        if (json) {
            out().println(answer.text());
            return 0;
        }
        if (body.isEmpty()) {
            out().println("No capabilities are registered with " + controller());
            return 0;
        }
        Table table = new Table("CAPABILITY", "HEALTHY", "VERSIONS", "GPU", "WORKERS");
        for (Map.Entry<String, JsonNode> entry : body.properties()) {
            JsonNode capability = entry.getValue();
            table.row(entry.getKey(),
                    capability.path("healthy_workers").asInt() + "/" + capability.path("workers").asInt(),
                    join(capability.path("versions")),
                    capability.path("requires_gpu").asBoolean() ? "yes" : "no",
                    join(capability.path("worker_ids")));
        }
        table.print(out());
        return 0;
    }

    private static String join(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values.isEmpty() ? "-" : String.join(", ", values);
    }
}
