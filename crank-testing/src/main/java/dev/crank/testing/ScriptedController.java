package dev.crank.testing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CrankJson;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.CrankServer;
import dev.crank.core.DevPki;
import dev.crank.core.PeerIdentity;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A controller that answers what the test tells it to and records what the worker sent, in the style of
 * OkHttp's {@code MockWebServer}: for tests of a worker's side of the protocol (registration retries,
 * re-registration after a 404, failover, deregistration on stop). It listens on 127.0.0.1, port 0, with
 * the controller certificate of the test's PKI and requires a client certificate from the same CA.
 *
 * <p>Answers are queued per path; a path whose queue is empty gets the answer of a well-behaved
 * controller: {@code /register} 200 {@code registered}, {@code /heartbeat} 200 {@code ok},
 * {@code /deregister} 200 {@code deregistered}, anything else 404.
 *
 * <pre>{@code
 * try (ScriptedController controller = ScriptedController.start(pki)) {
 *     controller.enqueue("/heartbeat", 404, "{\"status\":\"unknown_worker\"}");
 *     // start a worker with CONTROLLER_URL = controller.url() ...
 *     assertThat(controller.takeRequest(Duration.ofSeconds(5)).path()).isEqualTo("/register");
 * }
 * }</pre>
 */
public final class ScriptedController implements AutoCloseable {

    /** A request the controller received; {@code peer} is the identity of the client certificate. */
    public record Recorded(String method, String path, Optional<PeerIdentity> peer, String contentType, byte[] body) {

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return CrankJson.read(body);
        }
    }

    private record Answer(int status, String json) {}

    private final Map<String, Deque<Answer>> script = new HashMap<>();
    private final LinkedBlockingQueue<Recorded> recorded = new LinkedBlockingQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final CrankServer server;

    private ScriptedController(DevPki pki) {
        this.server = CrankServer.builder(pki.controllerMaterial(), this::answer)
                .name("scripted-controller").bindHost("127.0.0.1").build().start();
    }

    /** Starts a scripted controller with {@code pki}'s controller certificate. */
    public static ScriptedController start(DevPki pki) {
        return new ScriptedController(requireNonNull(pki, "pki"));
    }

    /** {@code https://localhost:<port>}: the worker's {@code CONTROLLER_URL}. */
    public URI url() {
        return URI.create("https://localhost:" + server.port());
    }

    public int port() {
        return server.port();
    }

    /** The next request to {@code path} gets {@code status} with the JSON body {@code json}. */
    public ScriptedController enqueue(String path, int status, String json) {
        requireNonNull(path, "path");
        requireNonNull(json, "json");
        synchronized (script) {
            script.computeIfAbsent(path, p -> new ArrayDeque<>()).add(new Answer(status, json));
        }
        return this;
    }

    /** The oldest request not taken yet, waiting up to {@code timeout}; fails when none comes. */
    public Recorded takeRequest(Duration timeout) {
        try {
            Recorded next = recorded.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("the scripted controller received no request within " + timeout);
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for a request", e);
        }
    }

    /** The oldest request to {@code path} not taken yet, skipping (and dropping) requests to other paths. */
    public Recorded takeRequest(String path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Recorded next = takeRequest(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (next.path().equals(path)) {
                return next;
            }
        }
    }

    /** Requests received so far, taken or not. */
    public int requestCount() {
        return count.get();
    }

    private CrankResponse answer(CrankRequest request) {
        recorded.add(new Recorded(request.method(), request.path(), request.peer(), request.contentType(), request.body()));
        count.incrementAndGet();
        Answer answer;
        synchronized (script) {
            Deque<Answer> queued = script.get(request.path());
            answer = queued == null ? null : queued.poll();
        }
        if (answer == null) {
            answer = standard(request);
        }
        return CrankResponse.of(answer.status(), "application/json", answer.json().getBytes(StandardCharsets.UTF_8));
    }

    private static Answer standard(CrankRequest request) {
        String workerId = request.isJson() ? request.json().path("worker_id").asText("") : "";
        return switch (request.path()) {
            case "/register" -> new Answer(200, CrankJson.string(Map.of("status", "registered", "worker_id", workerId)));
            case "/heartbeat" -> new Answer(200, "{\"status\":\"ok\",\"acknowledged\":true}");
            case "/deregister" -> new Answer(200, CrankJson.string(Map.of("status", "deregistered", "worker_id", workerId)));
            default -> new Answer(404, "{\"code\":\"NOT_FOUND\"}");
        };
    }

    @Override
    public void close() {
        server.close();
    }
}
