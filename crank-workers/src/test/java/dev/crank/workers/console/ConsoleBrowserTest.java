package dev.crank.workers.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.testing.Await;
import dev.crank.testing.CrankPlatform;
import dev.crank.workers.helloworld.HelloWorldWorker;
import dev.crank.workers.streaming.StreamingWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real browser: headless Chromium with the admin certificate (PKCS#12, as an operator
 * imports it) against a real controller and two workers over mutual TLS. Outside CI a machine without
 * Chromium skips it; under CI (env {@code CI} set) a missing browser fails it.
 */
class ConsoleBrowserTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PASSWORD = "console-test";
    /** Counts Content-Security-Policy violations, so the test sees if the page broke its own policy. */
    private static final String CSP_WATCH = "window.__cspViolations = [];"
            + "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
            + "window.__errors = []; window.addEventListener('error', e => window.__errors.push(String(e.message)));"
            + "window.addEventListener('unhandledrejection', e => window.__errors.push(String(e.reason)));";

    @TempDir
    Path dir;

    @Test
    void consoleListsWorkersFollowsAStopAndTriesAGreeting() throws Exception {
        Optional<Path> browser = HeadlessChromium.find();
        boolean tools = HeadlessChromium.onPath("certutil").isPresent() && HeadlessChromium.onPath("pk12util").isPresent();
        if (browser.isEmpty() || !tools) {
            String why = "ConsoleBrowserTest: needs chromium and certutil/pk12util on PATH "
                    + "(Debian: apt-get install chromium libnss3-tools)";
            if (System.getenv("CI") != null) {
                throw new AssertionError(why + "; under CI the browser test may not be skipped");
            }
            System.err.println(why + " - skipped");
            Assumptions.abort(why);
        }
        try (CrankPlatform platform = CrankPlatform.start(dir.resolve("platform"))) {
            HelloWorldWorker hello = platform.worker(HelloWorldWorker.WORKER_ID, HelloWorldWorker::new);
            StreamingWorker streaming = platform.worker(StreamingWorker.WORKER_ID, StreamingWorker::new);
            platform.awaitRegistered(hello);
            platform.awaitRegistered(streaming);
            platform.pki().adminMaterial("admin");
            Path pkcs12 = platform.pki().writePkcs12("admin", PASSWORD.toCharArray());
            String origin = "https://localhost:" + platform.controller().port();
            Path profile = Files.createDirectories(dir.resolve("browser"));

            try (HeadlessChromium chromium = HeadlessChromium.start(browser.get(), profile, platform.pki().caCertificate(),
                    pkcs12, PASSWORD, origin, "Crank Development CA")) {
                chromium.open(origin + "/ui", CSP_WATCH);

                awaitTrue(chromium, "both workers listed", "document.querySelector('tr[data-worker-id=\"crank-hello-world\"][data-state=active]') !== null"
                        + " && document.querySelector('tr[data-worker-id=\"crank-streaming\"][data-state=active]') !== null");
                assertThat(chromium.evaluate("document.title").asText()).isEqualTo("Crank console");
                assertThat(chromium.evaluate("document.querySelectorAll('#capabilities tr[data-capability]').length").asInt())
                        .isEqualTo(3);

                chromium.evaluate("document.querySelector('button.try-button[data-capability=\"greet:hello_world\"]').click()");
                awaitTrue(chromium, "the try-it form for greet:hello_world",
                        "document.querySelector('#try-form [name=message]') !== null");
                chromium.evaluate("document.querySelector('#try-form [name=message]').value = 'Browser';"
                        + "document.querySelector('#try-form input[name=\"options.uppercase\"]').checked = true;"
                        + "document.querySelector('#try-submit').click()");
                awaitTrue(chromium, "a greeting in the answer", "document.querySelector('#try-output').dataset.status === '200'");
                assertThat(chromium.evaluate("JSON.parse(document.querySelector('#try-output').textContent).greeting").asText())
                        .isEqualTo("Hello, BROWSER!");
                awaitTrue(chromium, "the gateway call counted", "document.querySelector('#capabilities tr[data-capability=\"greet:hello_world\"]')"
                        + ".cells[6].textContent === '1'");
                chromium.evaluate("document.querySelector('tr[data-worker-id=\"crank-hello-world\"] button').click()");
                awaitTrue(chromium, "the worker detail view", "document.querySelector('#detail').textContent.includes('\"max_concurrency\"')");
                Files.write(dir.resolve("console.png"), chromium.screenshot());
                Path copy = Path.of(System.getProperty("crank.console.screenshot", "target/console.png"));
                Files.createDirectories(copy.toAbsolutePath().getParent());
                Files.copy(dir.resolve("console.png"), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

                // Server-sent events through the gateway: the first chunks show while the stream is still open.
                chromium.evaluate("document.querySelector('button.try-button[data-capability=\"stream:text_events\"]').click()");
                awaitTrue(chromium, "the try-it form for stream:text_events", "document.querySelector('#try-form [name=content]') !== null");
                chromium.evaluate("document.querySelector('#try-form [name=content]').value = 'one two three four five six seven eight';"
                        + "document.querySelector('#try-form [name=chunk_size]').value = '1';"
                        + "document.querySelector('#try-form [name=interval_ms]').value = '400';"
                        + "document.querySelector('#try-submit').click()");
                awaitTrue(chromium, "a first event while the stream is open",
                        "document.querySelector('#try-output').textContent.includes('event: chunk')"
                                + " && !document.querySelector('#try-status').textContent.includes('done in')");
                assertThat(chromium.evaluate("document.querySelector('#try-status').textContent").asText())
                        .contains("HTTP 200 from crank-streaming", "text/event-stream", "streaming");
                awaitTrue(chromium, "the end of the stream", "document.querySelector('#try-output').dataset.status === '200'"
                        + " && document.querySelector('#try-output').textContent.includes('event: done')");

                streaming.close();
                awaitTrue(chromium, "the stopped worker gone from the page",
                        "document.querySelector('tr[data-worker-id=\"crank-streaming\"]') === null"
                                + " && document.querySelector('tr[data-worker-id=\"crank-hello-world\"]') !== null"
                                + " && document.querySelectorAll('#capabilities tr[data-capability]').length === 1");

                // Paging and filtering, as at 10,000 workers: 150 more registrations, 100 rows a page.
                for (int i = 0; i < 150; i++) {
                    assertThat(platform.postJson(platform.controllerUrl(), "/register", String.format(java.util.Locale.ROOT,
                            "{\"worker_id\":\"paged-%03d\",\"worker_url\":\"https://localhost:1\","
                                    + "\"capabilities\":[{\"verb\":\"paging\",\"name\":\"probe\",\"version\":\"1.0.0\"}]}", i))
                            .status()).isEqualTo(200);
                }
                awaitTrue(chromium, "a first page of 100 of 151", "document.querySelectorAll('#workers tr[data-worker-id]').length === 100"
                        + " && document.getElementById('workers-total').textContent === '(151)' && !document.getElementById('page-next').disabled");
                chromium.evaluate("document.getElementById('page-next').click()");
                awaitTrue(chromium, "the second page", "document.querySelectorAll('#workers tr[data-worker-id]').length === 51"
                        + " && document.querySelector('#workers tr[data-worker-id]').dataset.workerId === 'paged-099'"
                        + " && document.getElementById('page-next').disabled");
                awaitTrue(chromium, "the new capability in the filter",
                        "Array.from(document.getElementById('filter-capability').options).some(o => o.value === 'greet:hello_world')");
                chromium.evaluate("const select = document.getElementById('filter-capability'); select.value = 'greet:hello_world';"
                        + "select.dispatchEvent(new Event('change'))");
                awaitTrue(chromium, "only the greeter", "document.querySelectorAll('#workers tr[data-worker-id]').length === 1"
                        + " && document.querySelector('#workers tr[data-worker-id]').dataset.workerId === 'crank-hello-world'");

                assertThat(chromium.evaluate("window.__cspViolations").toString()).isEqualTo("[]");
            }
        }
    }

    private static void awaitTrue(HeadlessChromium chromium, String what, String condition) {
        try {
            Await.until(what, TIMEOUT, () -> chromium.evaluate("(() => { try { return " + condition + "; } catch (e) { return false; } })()")
                    .asBoolean());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; page errors " + chromium.evaluate("window.__errors")
                    + ", CSP violations " + chromium.evaluate("window.__cspViolations")
                    + ", status line '" + chromium.evaluate("document.getElementById('freshness').textContent").asText() + "'"
                    + ", try-it '" + chromium.evaluate("document.getElementById('try-status').textContent").asText() + "': "
                    + chromium.evaluate("document.getElementById('try-output').textContent.slice(0, 400)").asText(), e);
        }
    }
}
