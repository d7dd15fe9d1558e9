package dev.crank.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.StreamedResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.crank.core.CrankJson;
import dev.crank.core.ServerSentEvent;
import dev.crank.core.ServerSentEventReader;
import dev.crank.core.WorkerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code invoke VERB:NAME}: asks the controller for a worker ({@code POST /route}), then calls
 * {@code POST /invoke/{verb}/{name}} on it and prints the answer: JSON pretty-printed, text as is,
 * server-sent events line by line as they arrive.
 */
@Command(name = "invoke", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Call a capability: route through the controller, then POST /invoke/VERB/NAME on the worker.",
            "JSON answers are pretty-printed, text/event-stream is printed as the events arrive."},
        footer = {"", "Examples:",
            "  invoke greet:hello_world --data '{\"message\":\"World\"}'",
            "  invoke analyze:text_stats --data @request.json",
            "  invoke analyze:text_stats --data-binary @chapter.txt --content-type text/plain",
            "  invoke stream:text_events --data '{\"text\":\"one two three\"}'",
            "", "Exit status: 0 done, 1 the server answered with an error, 2 bad arguments or files, 3 no answer."})
final class InvokeCommand extends ClientCommand {

    static final String DEFAULT_ACCEPT = "application/json, text/event-stream, */*";

    @Parameters(index = "0", paramLabel = "VERB:NAME", description = "The capability, e.g. greet:hello_world.")
    String capability;

    @Option(names = {"-d", "--data"}, paramLabel = "JSON|@FILE",
            description = "The body: JSON text, @FILE or @- for standard input (default: {}). Content type application/json "
                    + "unless --content-type says otherwise.")
    String data;

    @Option(names = "--data-binary", paramLabel = "@FILE", description = "A raw body from @FILE or @- (sent as is, with --content-type).")
    String dataBinary;

    @Option(names = "--content-type", paramLabel = "TYPE",
            description = "Content type of the body (default: application/json for --data, application/octet-stream for --data-binary).")
    String contentType;

    @Option(names = "--accept", paramLabel = "TYPES", description = "Accept header (default: " + DEFAULT_ACCEPT + ").")
    String accept = DEFAULT_ACCEPT;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the answer's body to FILE instead of printing it.")
    Path output;

    @Option(names = {"-v", "--verbose"}, description = "Tell on standard error which worker answered, and how.")
    boolean verbose;

    private record Payload(String contentType, byte[] bytes) {}

    @Override
    int run() {
        Capability target = capability(capability);
        Payload payload = payload();
        JsonNode route = route(target);
        String workerId = route.path("worker_id").asText();
        URI invoke = invokeUri(route.path("worker_url").asText(), target);
        if (verbose) {
            err().printf("> %s -> %s (%s)%n", target.key(), workerId, invoke);
            err().flush();
        }
        StreamedResponse response = http().stream(invoke,
                Map.of("content-type", payload.contentType(), "accept", accept), payload.bytes());
        String type = CliHttp.contentType(response.header("content-type"));
        if (verbose) {
            err().printf("< %d %s%n", response.status(), type);
            err().flush();
        }
        try (InputStream body = response.body().inputStream(CliHttp.WHILE_IT_STREAMS)) {
            if (response.status() < 200 || response.status() >= 300) {
                throw failure(response.status(), type, body.readAllBytes(), workerId);
            }
            if (output != null) {
                long bytes = Files.copy(body, output, StandardCopyOption.REPLACE_EXISTING);
                err().printf("Saved %d bytes (%s) to %s%n", bytes, type.isEmpty() ? "no content type" : type, output);
            } else if (type.equals(ServerSentEvent.MEDIA_TYPE)) {
                printEvents(body);
            } else if (type.equals("application/json") || type.endsWith("+json")) {
                printJson(body.readAllBytes());
            } else if (type.startsWith("text/") || type.endsWith("xml") || type.isEmpty()) {
                out().print(new String(body.readAllBytes(), StandardCharsets.UTF_8));
                out().println();
            } else {
                int size = body.readAllBytes().length;
                out().printf("(binary answer: %s, %d bytes; pass --output FILE to save it)%n", type, size);
            }
        } catch (IOException e) {
            throw new CliException(CliException.ERROR_RESPONSE, "the answer from " + workerId + " broke off: " + e.getMessage(), e);
        }
        return 0;
    }

    /** Each event as it arrives: as sent, or with {@code --json} one object a line, {@code data} parsed when it is JSON. */
    private void printEvents(InputStream body) throws IOException {
        ServerSentEventReader events = new ServerSentEventReader(body);
        for (Optional<ServerSentEvent> next = events.next(); next.isPresent(); next = events.next()) {
            ServerSentEvent event = next.get();
            if (json) {
                ObjectNode line = CrankJson.object().put("event", event.event());
                event.id().ifPresent(id -> line.put("id", id));
                line.set("data", jsonOrText(event.data()));
                out().println(CrankJson.string(line));
            } else {
                out().print(event.encode());
            }
            out().flush();
        }
    }

    private static JsonNode jsonOrText(String text) {
        try {
            JsonNode node = CrankJson.parse(text);
            return node == null || node.isMissingNode() ? TextNode.valueOf(text) : node;
        } catch (IllegalArgumentException e) {
            return TextNode.valueOf(text);
        }
    }

    private void printJson(byte[] body) throws IOException {
        if (json) {
            out().println(new String(body, StandardCharsets.UTF_8));
            return;
        }
        try {
            out().println(CrankJson.prettyString(CrankJson.read(body)));
        } catch (IllegalArgumentException e) {
            out().println(new String(body, StandardCharsets.UTF_8));
        }
    }

    private static URI invokeUri(String workerUrl, Capability capability) {
        String base = workerUrl.endsWith("/") ? workerUrl.substring(0, workerUrl.length() - 1) : workerUrl;
        try {
            return WorkerConfig.requireHttps("worker_url", new URI(base + "/invoke/" + capability.verb() + "/" + capability.name()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new CliException(CliException.ERROR_RESPONSE, "the controller routed to an unusable worker_url '" + workerUrl + "'");
        }
    }

    private Payload payload() {
        if (data != null && dataBinary != null) {
            throw new IllegalArgumentException("--data and --data-binary: give one body, not both");
        }
        if (dataBinary != null) {
            if (!dataBinary.startsWith("@")) {
                throw new IllegalArgumentException("--data-binary: '" + dataBinary + "' (expected: @FILE, or @- for standard input)");
            }
            return new Payload(contentType != null ? contentType : "application/octet-stream", read("--data-binary", dataBinary.substring(1)));
        }
        String type = contentType != null ? contentType : "application/json";
        if (data == null) {
            return new Payload(type, "{}".getBytes(StandardCharsets.UTF_8));
        }
        if (data.startsWith("@")) {
            return new Payload(type, read("--data", data.substring(1)));
        }
        return new Payload(type, data.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] read(String option, String file) {
        try {
            return file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new CliException(CliException.USAGE, option + ": no such file: " + file);
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, option + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
