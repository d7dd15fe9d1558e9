package dev.crank.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankJson;
import dev.crank.core.DevPki;
import dev.crank.core.RegistrationState;
import dev.crank.core.WorkerConfig;
import dev.crank.testing.Await;
import dev.crank.testing.CrankWorkerExtension;
import dev.crank.workers.helloworld.HelloWorldWorker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code invoke}, {@code workers}, {@code capabilities} and {@code route} against a real controller and workers. */
class ClientCommandsTest {

    @RegisterExtension
    static final CrankWorkerExtension<CliTestWorker> crank = CrankWorkerExtension.of(CliTestWorker::new)
            .workerId(CliTestWorker.WORKER_ID)
            .withController();

    private static HelloWorldWorker hello;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startHelloWorld() {
        hello = new HelloWorldWorker(WorkerConfig.builder(HelloWorldWorker.WORKER_ID, crank.pki().workerMaterial(HelloWorldWorker.WORKER_ID))
                .bindHost("127.0.0.1")
                .dataDir(dataDir().resolve("hello"))
                .controllerUrl(crank.controllerUrl())
                .build());
        hello.start();
        Await.until("hello-world registered", Duration.ofSeconds(15), () -> hello.registrationState() == RegistrationState.REGISTERED);
    }

    @AfterAll
    static void stopHelloWorld() {
        hello.close();
    }

    private static Path dataDir() {
        return crank.pki().dir().getParent();
    }

    /** Runs the CLI with the controller and data dir of the test platform. */
    private int crank(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--controller-url", crank.controllerUrl().toString(), "--data-dir", dataDir().toString()));
        return run(Map.of(), all.toArray(String[]::new));
    }

    private int run(Map<String, String> env, String... args) {
        return Main.commandLine(env, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    void workersPrintsOneWorkerALine() {
        assertThat(crank("workers")).isZero();

        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("WORKER").contains("STATE", "DEVICE", "URL", "LAST HEARTBEAT", "CAPABILITIES");
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .startsWith("cli-test ").contains("active", "cpu", crank.workerUrl().toString(), "stream:ticks, echo:text, render:bytes"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("crank-hello-world ").contains("greet:hello_world"));
    }

    @Test
    void workersJsonIsTheControllersAnswer() {
        assertThat(crank("workers", "--json")).isZero();

        JsonNode answer = CrankJson.parse(out.toString());
        assertThat(answer.get("workers")).extracting(worker -> worker.get("worker_id").asText())
                .containsExactlyInAnyOrder("cli-test", "crank-hello-world");
    }

    @Test
    void capabilitiesCountHealthyWorkers() {
        assertThat(crank("capabilities")).isZero();

        assertThat(out.toString().lines()).anySatisfy(line -> assertThat(line)
                .matches("greet:hello_world +1/1 +1\\.0\\.0 +no +crank-hello-world"));

        out.getBuffer().setLength(0);
        assertThat(crank("capabilities", "--json")).isZero();
        assertThat(CrankJson.parse(out.toString()).get("stream:ticks").get("healthy_workers").asInt()).isEqualTo(1);
    }

    @Test
    void routeNamesTheWorker() {
        assertThat(crank("route", "greet:hello_world")).isZero();
        assertThat(out.toString()).contains("greet:hello_world", "crank-hello-world", "https://localhost:" + hello.port());

        out.getBuffer().setLength(0);
        assertThat(crank("route", "--json", "stream:ticks")).isZero();
        assertThat(CrankJson.parse(out.toString()).get("worker_url").asText()).isEqualTo(crank.workerUrl().toString());
    }

    @Test
    void routeToNobodyExitsOneWithTheProblemCode() {
        assertThat(crank("route", "nope:nothing")).isEqualTo(1);

        assertThat(err.toString()).contains("404 NO_HEALTHY_WORKER", "nope:nothing");
    }

    @Test
    void malformedCapabilityIsAUsageError() {
        assertThat(crank("invoke", "greet/hello_world")).isEqualTo(2);

        assertThat(err.toString()).contains("expected: VERB:NAME");
    }

    @Test
    void invokeGreetsThroughTheRoutedWorker() {
        assertThat(crank("invoke", "greet:hello_world", "--data", "{\"message\":\"World\"}")).isZero();

        assertThat(out.toString()).contains("\"greeting\" : \"Hello, World!\"");
    }

    @Test
    void invokeReadsTheBodyFromAFile() throws Exception {
        Path request = Files.writeString(dir.resolve("request.json"), "{\"message\":\"File\",\"options\":{\"uppercase\":true}}");

        assertThat(crank("invoke", "greet:hello_world", "--data", "@" + request, "--json")).isZero();

        assertThat(CrankJson.parse(out.toString()).get("greeting").asText()).isEqualTo("Hello, FILE!");
    }

    @Test
    void invokePrintsTheProblemAndExitsOne() {
        assertThat(crank("invoke", "greet:hello_world", "--data", "{\"msg\":\"World\"}")).isEqualTo(1);

        assertThat(err.toString()).contains("crank-hello-world answered 400 INVALID_INPUT", "  - ", "required property 'message'");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void invokeJsonAlsoPrintsTheProblemDocument() {
        assertThat(crank("invoke", "--json", "greet:hello_world", "--data", "{\"message\":")).isEqualTo(1);

        assertThat(CrankJson.parse(out.toString()).get("code").asText()).isEqualTo("MALFORMED_JSON");
    }

    @Test
    void invokePrintsServerSentEventsAsTheyArrive() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        crank.worker().gate = gate;
        try {
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> crank("invoke", "stream:ticks"));

            // The worker holds the stream after the first event: it can only be printed if it was streamed.
            Await.until("the first event printed", Duration.ofSeconds(15), () -> out.toString().contains("data: {\"n\":1}"));
            assertThat(out.toString()).doesNotContain("\"n\":2");
            gate.countDown();

            assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
            assertThat(out.toString()).contains("event: tick", "id: 2", "data: {\"n\":2}", "data: done", "data: bye");
        } finally {
            gate.countDown();
        }
    }

    @Test
    void aStreamMayLastLongerThanTheTimeoutOnceItHasStarted() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        crank.worker().gate = gate;
        try {
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> crank("invoke", "stream:ticks", "--timeout", "1s"));
            Await.until("the first event printed", Duration.ofSeconds(15), () -> out.toString().contains("data: {\"n\":1}"));
            Thread.sleep(2_500);
            gate.countDown();

            assertThat(exit.get(15, TimeUnit.SECONDS)).as(err.toString()).isZero();
            assertThat(out.toString()).contains("data: {\"n\":2}", "data: bye");
        } finally {
            gate.countDown();
        }
    }

    @Test
    void invokeJsonPrintsOneJsonObjectPerEvent() {
        assertThat(crank("invoke", "stream:ticks", "--json")).isZero();

        List<JsonNode> events = out.toString().lines().map(CrankJson::parse).toList();
        assertThat(events).hasSize(3);
        assertThat(events.get(0).get("event").asText()).isEqualTo("tick");
        assertThat(events.get(0).get("id").asText()).isEqualTo("1");
        assertThat(events.get(0).get("data").get("n").asInt()).isEqualTo(1);
        assertThat(events.get(1).get("data").get("n").asInt()).isEqualTo(2);
        assertThat(events.get(2).get("event").asText()).isEqualTo("message");
        assertThat(events.get(2).get("data").asText()).isEqualTo("done\nbye");
    }

    @Test
    void invokeSendsARawBodyWithItsContentType() throws Exception {
        Path text = Files.writeString(dir.resolve("note.txt"), "grüße", StandardCharsets.UTF_8);

        assertThat(crank("invoke", "echo:text", "--data-binary", "@" + text, "--content-type", "text/plain")).isZero();

        assertThat(out.toString()).isEqualTo("echo: grüße" + System.lineSeparator());
    }

    @Test
    void binaryAnswersGoToAFileNotTheTerminal() throws Exception {
        assertThat(crank("invoke", "render:bytes")).isZero();
        assertThat(out.toString()).contains("binary answer: application/octet-stream, 256 bytes", "--output");

        Path file = dir.resolve("answer.bin");
        assertThat(crank("invoke", "render:bytes", "--output", file.toString())).isZero();
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).hasSize(256);
        assertThat(bytes[255]).isEqualTo((byte) 255);
    }

    @Test
    void missingFileIsAUsageErrorAndNothingIsSent() {
        assertThat(crank("invoke", "greet:hello_world", "--data", "@" + dir.resolve("absent.json"))).isEqualTo(2);
        assertThat(err.toString()).contains("--data: no such file");

        assertThat(crank("invoke", "greet:hello_world", "--data", "{}", "--data-binary", "@x")).isEqualTo(2);
        assertThat(err.toString()).contains("give one body, not both");
    }

    @Test
    void unreachableControllerExitsThree() {
        int status = run(Map.of(), "workers", "--controller-url", "https://localhost:1", "--data-dir", dataDir().toString(), "--timeout", "5s");

        assertThat(status).isEqualTo(3);
        assertThat(err.toString()).contains("cannot connect to https://localhost:1");
    }

    @Test
    void aServerSignedByAnotherCaIsRefused() {
        DevPki other = DevPki.open(dir.resolve("pki"));
        other.adminMaterial("admin");

        int status = run(Map.of(), "workers", "--controller-url", crank.controllerUrl().toString(), "--data-dir", dir.toString());

        assertThat(status).isEqualTo(3);
        assertThat(err.toString()).contains("TLS handshake with " + crank.controllerUrl() + " failed");
    }

    @Test
    void missingAdminCertificateSaysWhereItLooked() {
        int status = run(Map.of(), "workers", "--controller-url", crank.controllerUrl().toString(), "--data-dir", dir.toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("no admin certificate", dir.resolve("pki").resolve("admin.crt").toString(), "CRANK_TLS_CERT");
    }

    @Test
    void readsControllerUrlDataDirAndTlsFilesFromTheEnvironment() {
        Map<String, String> env = Map.of("CONTROLLER_URL", crank.controllerUrl().toString(), "CRANK_DATA_DIR", dataDir().toString());
        assertThat(run(env, "route", "greet:hello_world")).isZero();
        assertThat(out.toString()).contains("crank-hello-world");

        Path pki = crank.pki().dir();
        Map<String, String> tls = Map.of("CONTROLLER_URL", crank.controllerUrl().toString(),
                "CRANK_DATA_DIR", dir.toString(),
                "CRANK_TLS_CERT", pki.resolve("admin.crt").toString(),
                "CRANK_TLS_KEY", pki.resolve("admin.key").toString(),
                "CRANK_TLS_CA", pki.resolve("ca.crt").toString());
        assertThat(run(tls, "workers")).as(err.toString()).isZero();
    }

    @Test
    void plainHttpControllerIsRefused() {
        int status = run(Map.of(), "workers", "--controller-url", "http" + "://localhost:9000", "--data-dir", dataDir().toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("is refused", "https://");
    }
}
