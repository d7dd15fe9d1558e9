package dev.crank.workers.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A headless Chromium driven over the DevTools protocol on a pair of pipes ({@code --remote-debugging-pipe}:
 * commands on fd 3, answers on fd 4), so no debugging port is opened. Its profile lives in a folder of
 * the test: an NSS database (HOME/.pki/nssdb) holding the test CA as trusted and the admin PKCS#12, and
 * a content setting that picks that client certificate for the console's origin without a dialog.
 * Every host name but localhost fails to resolve: the browser can reach nothing but loopback.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final OutputStream commands;
    private final InputStream answers;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Thread reader;
    private String session;

    private HeadlessChromium(Process process, OutputStream commands, InputStream answers) {
        this.process = process;
        this.commands = commands;
        this.answers = answers;
        this.reader = new Thread(this::readAnswers, "chromium-devtools");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** The browser binary on PATH ({@code CRANK_CHROMIUM} overrides), if any. */
    static Optional<Path> find() {
        String override = System.getenv("CRANK_CHROMIUM");
        if (override != null && !override.isBlank()) {
            return Optional.of(Path.of(override)).filter(Files::isExecutable);
        }
        return onPath("chromium").or(() -> onPath("chromium-browser")).or(() -> onPath("google-chrome"));
    }

    static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts the browser with a profile in {@code dir} that trusts {@code caCertificate} and presents
     * the client certificate in {@code pkcs12} to {@code origin} (issued by {@code issuerCommonName}).
     */
    static HeadlessChromium start(Path binary, Path dir, Path caCertificate, Path pkcs12, String password,
                                  String origin, String issuerCommonName) throws IOException, InterruptedException {
        Path home = dir.resolve("home");
        Path nss = home.resolve(".pki/nssdb");
        Files.createDirectories(nss);
        String db = "sql:" + nss;
        run(dir, "certutil", "-N", "-d", db, "--empty-password");
        run(dir, "certutil", "-A", "-d", db, "-n", "crank-test-ca", "-t", "CT,C,C", "-i", caCertificate.toString());
        run(dir, "pk12util", "-i", pkcs12.toString(), "-d", db, "-W", password);
        Path profile = dir.resolve("profile");
        Files.createDirectories(profile.resolve("Default"));
        ObjectNode preferences = CrankJson.object();
        preferences.putObject("profile").putObject("content_settings").putObject("exceptions")
                .putObject("auto_select_certificate").putObject(origin + ",*").putObject("setting")
                .putArray("filters").addObject().putObject("ISSUER").put("CN", issuerCommonName);
        Files.write(profile.resolve("Default/Preferences"), CrankJson.bytes(preferences));
        Path in = dir.resolve("devtools.in");
        Path out = dir.resolve("devtools.out");
        run(dir, "mkfifo", in.toString(), out.toString());

        List<String> command = new ArrayList<>(List.of("bash", "-c", "exec \"$0\" \"$@\" 3<\"" + in + "\" 4>\"" + out + "\"",
                binary.toString(), "--headless", "--remote-debugging-pipe", "--user-data-dir=" + profile,
                "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
                "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--disable-features=Translate,MediaRouter",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost", "--window-size=1360,900", "about:blank"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add(4, "--no-sandbox"); // Chromium refuses to sandbox itself as root (CI containers)
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("chromium.log").toFile());
        builder.environment().put("HOME", home.toString());
        Process process = builder.start();
        // Opening order matches the shell's: fd 3 (our write end) first, then fd 4. A FIFO open blocks until the
        // other side opens it, so a browser that dies first must not hang the test.
        CompletableFuture<HeadlessChromium> opened = CompletableFuture.supplyAsync(() -> {
            try {
                OutputStream commands = Files.newOutputStream(in);
                return new HeadlessChromium(process, commands, Files.newInputStream(out));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            return opened.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException("Chromium did not open its DevTools pipes; its log: "
                    + Files.readString(dir.resolve("chromium.log")), e);
        }
    }

    /** Opens {@code url} in a new tab and attaches to it; later calls act on that tab. */
    void open(String url, String scriptBeforeLoad) {
        String target = call("Target.createTarget", CrankJson.object().put("url", "about:blank"), null).path("targetId").asText();
        session = call("Target.attachToTarget", CrankJson.object().put("targetId", target).put("flatten", true), null)
                .path("sessionId").asText();
        call("Page.enable", CrankJson.object(), session);
        call("Page.addScriptToEvaluateOnNewDocument", CrankJson.object().put("source", scriptBeforeLoad), session);
        call("Emulation.setDeviceMetricsOverride", CrankJson.object().put("width", 1360).put("height", 900)
                .put("deviceScaleFactor", 1).put("mobile", false), session);
        call("Page.navigate", CrankJson.object().put("url", url), session);
    }

    /** Evaluates {@code expression} in the tab (promises awaited) and returns its JSON value. */
    JsonNode evaluate(String expression) {
        JsonNode result = call("Runtime.evaluate", CrankJson.object().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true), session);
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + result.path("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** The tab's whole page as PNG: the viewport is stretched to the document's height first. */
    byte[] screenshot() {
        int height = evaluate("document.documentElement.scrollHeight").asInt();
        call("Emulation.setDeviceMetricsOverride", CrankJson.object().put("width", 1360).put("height", Math.max(600, Math.min(height, 4000)))
                .put("deviceScaleFactor", 1).put("mobile", false), session);
        JsonNode result = call("Page.captureScreenshot", CrankJson.object().put("format", "png"), session);
        return Base64.getDecoder().decode(result.path("data").asText());
    }

    private JsonNode call(String method, ObjectNode params, String sessionId) {
        int id = ids.incrementAndGet();
        ObjectNode message = CrankJson.object().put("id", id).put("method", method);
        message.set("params", params);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            synchronized (commands) {
                commands.write(CrankJson.bytes(message));
                commands.write(0);
                commands.flush();
            }
            JsonNode reply = answer.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + " failed: " + reply.get("error"));
            }
            return reply.path("result");
        } catch (Exception e) {
            throw e instanceof IllegalStateException ise ? ise : new IllegalStateException(method + " failed", e);
        } finally {
            pending.remove(id);
        }
    }

    private void readAnswers() {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = answers.read()) != -1) {
                if (b != 0) {
                    message.write(b);
                    continue;
                }
                JsonNode node = CrankJson.parse(message.toString(StandardCharsets.UTF_8));
                message.reset();
                if (node.has("id")) {
                    CompletableFuture<JsonNode> answer = pending.get(node.get("id").asInt());
                    if (answer != null) {
                        answer.complete(node);
                    }
                }
            }
        } catch (IOException e) {
            pending.values().forEach(answer -> answer.completeExceptionally(e));
        }
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            call("Browser.close", CrankJson.object(), null);
        } catch (RuntimeException ignored) {
            // already gone: destroyed below
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        try {
            commands.close();
            answers.close();
        } catch (IOException ignored) {
            // the pipes died with the browser
        }
    }
}
