package dev.crank.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import dev.crank.core.ClientResponse;
import dev.crank.core.ClientRequest;

import dev.crank.controller.ControllerApplication;
import dev.crank.core.CrankClient;
import dev.crank.core.Routes;
import dev.crank.testing.CrankWorkerExtension;
import dev.crank.workers.helloworld.HelloWorldWorker;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keeps {@code docs/protocol.md} true: every row of its checked tables is sent to a real controller and
 * a real worker, and every route the controller binds must be in the endpoint table.
 */
class ProtocolDocTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final CrankWorkerExtension<HelloWorldWorker> crank = CrankWorkerExtension.of(HelloWorldWorker::new)
            .workerId(HelloWorldWorker.WORKER_ID)
            .withController();

    private static final Map<String, CrankClient> clients = new HashMap<>();

    /** One row of a markdown table, cells trimmed and stripped of backticks. */
    private record Row(List<String> cells) {
        String get(int i) {
            return cells.get(i);
        }

        @Override
        public String toString() {
            return String.join(" | ", cells);
        }
    }

    @AfterAll
    static void closeClients() {
        clients.values().forEach(CrankClient::close);
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedEndpointAnswersWithItsSuccessStatus() throws IOException {
        List<Row> rows = table("endpoints");
        assertThat(rows).hasSizeGreaterThanOrEqualTo(10);
        String registration = rows.stream().filter(row -> row.get(2).equals("/register")).findFirst()
                .orElseThrow(() -> new AssertionError("protocol.md documents no POST /register")).get(3);
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.get(1) + " " + row.get(2) + " on " + row.get(0), () -> {
            boolean controller = servedBy(row.get(0));
            if (controller) {
                // Heartbeat, deregister and friends need the example worker to exist.
                assertThat(send("admin", controllerUrl(), "POST", "/register", "application/json", registration).status()).isEqualTo(200);
            }
            String path = row.get(2).replace("{worker_id}", "crank-doc").replace("{verb}", "greet").replace("{name}", "hello_world");
            String body = row.get(3);
            ClientResponse response = send("admin", controller ? controllerUrl() : crank.workerUrl(), row.get(1), path,
                    body.isEmpty() ? "" : "application/json", body);

            assertThat(response.status()).as(row + " answered " + response.bodyText()).isEqualTo(Integer.parseInt(row.get(4)));
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedBadInputGetsItsStatusAndCode() throws IOException {
        List<Row> rows = table("errors");
        assertThat(rows).hasSizeGreaterThanOrEqualTo(20);
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.get(7) + ": " + row.get(2) + " " + row.get(3) + " " + row.get(5), () -> {
            URI base = servedBy(row.get(0)) ? controllerUrl() : crank.workerUrl();
            ClientResponse response = send(row.get(1), base, row.get(2), row.get(3), row.get(4), row.get(5));

            assertThat(response.status()).as(row + " answered " + response.bodyText()).isEqualTo(Integer.parseInt(row.get(6)));
            assertThat(response.json().path("code").asText()).as(row.toString()).isEqualTo(row.get(7));
        }));
    }

    @Test
    void everyControllerRouteIsDocumented() throws Exception {
        Routes routes = new Routes();
        Method configure = ControllerApplication.class.getDeclaredMethod("configure", Routes.class);
        configure.setAccessible(true);
        configure.invoke(crank.controller().orElseThrow(), routes);
        Method list = Routes.class.getDeclaredMethod("routes");
        list.setAccessible(true);
        List<?> bound = (List<?>) list.invoke(routes);

        List<String> documented = table("endpoints").stream().filter(row -> servedBy(row.get(0)))
                .map(row -> row.get(1) + " " + row.get(2)).toList();
        assertThat(bound).isNotEmpty();
        for (Object route : bound) {
            // Routes.Route is package-private: read its method and path components reflectively.
            String endpoint = component(route, "method") + " " + component(route, "path");
            assertThat(documented).as("docs/protocol.md documents the controller's " + endpoint).contains(endpoint);
        }
    }

    private static String component(Object record, String name) throws ReflectiveOperationException {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            if (component.getName().equals(name)) {
                Method accessor = component.getAccessor();
                accessor.setAccessible(true);
                return (String) accessor.invoke(record);
            }
        }
        throw new AssertionError(record.getClass() + " has no component " + name);
    }

    private static boolean servedBy(String who) {
        return switch (who) {
            case "controller" -> true;
            case "every worker" -> false;
            default -> throw new AssertionError("served by: '" + who + "' (expected: controller or every worker)");
        };
    }

    private static URI controllerUrl() {
        return crank.controllerUrl();
    }

    private static ClientResponse send(String caller, URI base, String method, String path, String contentType, String body) {
        CrankClient client = clients.computeIfAbsent(caller, name -> {
            if (name.equals("admin")) {
                return CrankClient.builder(crank.pki().adminMaterial("admin")).build();
            }
            if (name.startsWith("worker:")) {
                return CrankClient.builder(crank.pki().workerMaterial(name.substring("worker:".length()))).build();
            }
            throw new AssertionError("caller: '" + name + "' (expected: admin or worker:<id>)");
        });
        Map<String, String> headers = contentType.isEmpty() ? Map.of() : Map.of("content-type", contentType);
        return client.send(new ClientRequest(method, base.resolve(path), headers, body.getBytes(StandardCharsets.UTF_8), TIMEOUT))
                .join();
    }

    /** The rows of the first table after {@code <!-- marker:}, header and separator skipped. */
    private static List<Row> table(String marker) throws IOException {
        List<String> lines = Files.readAllLines(protocolMd(), StandardCharsets.UTF_8);
        int at = 0;
        while (at < lines.size() && !lines.get(at).startsWith("<!-- " + marker + ":")) {
            at++;
        }
        if (at == lines.size()) {
            throw new AssertionError("docs/protocol.md has no '<!-- " + marker + ":' table");
        }
        while (at < lines.size() && !lines.get(at).startsWith("|")) {
            at++;
        }
        List<Row> rows = new ArrayList<>();
        int width = -1;
        for (at += 2; at < lines.size() && lines.get(at).startsWith("|"); at++) {
            String line = lines.get(at).strip();
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1, line.length() - 1).split("\\|", -1)) {
                String text = cell.strip();
                if (text.length() >= 2 && text.startsWith("`") && text.endsWith("`")) {
                    text = text.substring(1, text.length() - 1);
                }
                cells.add(text.equals("(empty)") ? "" : text);
            }
            if (width != -1 && cells.size() != width) {
                throw new AssertionError("docs/protocol.md: row with " + cells.size() + " cells (expected " + width + "): " + line);
            }
            width = cells.size();
            rows.add(new Row(cells));
        }
        return rows;
    }

    private static Path protocolMd() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("docs").resolve("protocol.md");
            if (Files.exists(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new AssertionError("docs/protocol.md not found above " + Path.of("").toAbsolutePath());
    }

}
