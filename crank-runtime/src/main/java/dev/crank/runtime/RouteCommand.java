package dev.crank.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code route VERB:NAME}: which worker the controller would send a call to now. */
@Command(name = "route", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Ask the controller which worker serves VERB:NAME (POST /route).")
final class RouteCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "VERB:NAME", description = "The capability, e.g. greet:hello_world.")
    String capability;

    @Override
    int run() {
        JsonNode route = route(capability(capability));
        if (json) {
            out().println(CrankJson.string(route));
            return 0;
        }
        new Table("CAPABILITY", "WORKER", "URL")
                .row(route.path("capability").asText(), route.path("worker_id").asText(), route.path("worker_url").asText())
                .print(out());
        return 0;
    }
}
