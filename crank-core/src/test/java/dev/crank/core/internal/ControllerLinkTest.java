package dev.crank.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.CrankClient;
import dev.crank.core.CrankResponse;
import dev.crank.core.CrankServer;
import dev.crank.core.DevPki;
import dev.crank.core.RegistrationState;
import dev.crank.core.testing.ManualScheduler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's side of the protocol step by step on a {@link ManualScheduler}: no test waits for a
 * heartbeat interval, delays are read off the scheduler. The controllers are real mTLS servers that
 * answer scripted statuses (crank-core's tests cannot use crank-testing's ScriptedController: that
 * module depends on this one).
 */
class ControllerLinkTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private DevPki pki;
    private CrankClient client;
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<Scripted> controllers = new CopyOnWriteArrayList<>();
    /** Tasks handed to the scheduler with execute(): one per answer from a controller, one per stop(). */
    private int executions;

    @BeforeEach
    void start() {
        pki = DevPki.open(dir.resolve("pki"));
        client = CrankClient.builder(pki.workerMaterial("crank-w")).build();
    }

    @AfterEach
    void stop() {
        client.close();
        controllers.forEach(Scripted::close);
    }

    @Test
    void registersThenHeartbeatsEveryIntervalWithTenPercentJitter() throws Exception {
        Scripted controller = controller();
        ControllerLink link = link(INTERVAL, controller);
        link.start();
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ZERO);
        scheduler.runDue(); // the registration is sent...
        answer(); // ...and its answer handled on the scheduler
        assertThat(link.state()).isEqualTo(RegistrationState.REGISTERED);
        assertThat(link.registrations()).isEqualTo(1);
        assertThat(controller.paths).containsExactly("/register");
        assertNextWithinJitter();

        for (int beat = 1; beat <= 3; beat++) {
            advanceToNextStep();
            answer();
            assertThat(link.heartbeats()).isEqualTo(beat);
            assertNextWithinJitter();
        }
        assertThat(controller.paths).containsExactly("/register", "/heartbeat", "/heartbeat", "/heartbeat");
        assertThat(link.registrations()).isEqualTo(1);
    }

    @Test
    void retriesRegistrationWithBackoffCappedAtTheHeartbeatInterval() throws Exception {
        Duration interval = Duration.ofMillis(300);
        Scripted controller = controller().script("/register", 503, 503, 503, 400, 503);
        ControllerLink link = link(interval, controller);
        link.start();
        scheduler.runDue();
        long[] ceilings = {100, 200, 300, 300, 300};
        for (long ceiling : ceilings) {
            answer();
            assertThat(link.state()).isEqualTo(RegistrationState.REGISTERING);
            Duration delay = scheduler.pendingDelays().get(0);
            assertThat(delay.toMillis()).as("retry after a refusal").isBetween(ceiling / 2, ceiling);
            scheduler.advance(delay);
        }
        answer();
        assertThat(link.state()).isEqualTo(RegistrationState.REGISTERED);
        assertThat(controller.paths).hasSize(6).containsOnly("/register");
    }

    @Test
    void registersAgainAtOnceWhenAHeartbeatAnswers404() throws Exception {
        Scripted controller = controller().script("/heartbeat", 404);
        ControllerLink link = link(INTERVAL, controller);
        registered(link);
        advanceToNextStep();
        answer(); // the 404: register() is sent right away, not scheduled
        answer();
        assertThat(link.registrations()).isEqualTo(2);
        assertThat(link.state()).isEqualTo(RegistrationState.REGISTERED);
        assertThat(controller.paths).containsExactly("/register", "/heartbeat", "/register");
        assertNextWithinJitter();
    }

    @Test
    void movesToTheNextControllerWhenTheCurrentOneFailsAndHeartbeatsThereWithoutRegistering() throws Exception {
        Scripted first = controller().script("/heartbeat", 503);
        Scripted second = controller();
        ControllerLink link = link(INTERVAL, first, second);
        registered(link);
        advanceToNextStep();
        answer(); // 503 from the first: the heartbeat to the second is due at once, and sent in the same run
        assertThat(link.controller()).isEqualTo(second.url());
        answer();
        assertThat(link.controller()).isEqualTo(second.url());
        assertThat(link.failovers()).isEqualTo(1);
        assertThat(link.heartbeats()).isEqualTo(1);
        assertThat(first.paths).containsExactly("/register", "/heartbeat");
        assertThat(second.paths).as("the registration lives in the shared store").containsExactly("/heartbeat");
        assertThat(link.registrations()).isEqualTo(1);
    }

    @Test
    void deregistersOnStopAndSendsNothingWhenItNeverTried() throws Exception {
        Scripted controller = controller();
        ControllerLink never = link(INTERVAL, controller);
        never.stop(WAIT);
        executions++; // stop() hands the scheduler the cancellation of the next step
        assertThat(controller.paths).isEmpty();

        ControllerLink link = link(INTERVAL, controller);
        registered(link);
        link.stop(WAIT);
        assertThat(link.state()).isEqualTo(RegistrationState.DEREGISTERED);
        assertThat(controller.paths).containsExactly("/register", "/deregister");
        scheduler.advance(INTERVAL.multipliedBy(2));
        assertThat(controller.paths).as("no heartbeat after stop").hasSize(2);
    }

    private void registered(ControllerLink link) throws Exception {
        link.start();
        scheduler.runDue();
        answer();
        assertThat(link.state()).isEqualTo(RegistrationState.REGISTERED);
    }

    /**
     * Moves time exactly to the next pending step. Advancing past it would race: an answer that reaches the
     * scheduler while advance() still runs is timed at the step's due time, not at the end of the advance.
     */
    private void advanceToNextStep() {
        scheduler.advance(scheduler.pendingDelays().get(0));
    }

    /** Waits for the next answer from a controller to reach the scheduler and runs what it triggers. */
    private void answer() throws InterruptedException {
        scheduler.awaitExecutions(++executions, WAIT);
        scheduler.runDue();
    }

    private void assertNextWithinJitter() {
        assertThat(scheduler.pendingDelays()).hasSize(1);
        assertThat(scheduler.pendingDelays().get(0)).isBetween(INTERVAL.multipliedBy(9).dividedBy(10),
                INTERVAL.multipliedBy(11).dividedBy(10));
    }

    private ControllerLink link(Duration interval, Scripted... to) {
        return new ControllerLink(client, List.of(to).stream().map(Scripted::url).toList(), "crank-w",
                () -> Json.object().put("worker_id", "crank-w"), Json::object, interval, Duration.ofSeconds(5),
                scheduler, new Random(42));
    }

    private Scripted controller() {
        Scripted controller = new Scripted(pki);
        controllers.add(controller);
        return controller;
    }

    /** A controller that answers the scripted statuses per path, then 200; it records the paths it was sent. */
    private static final class Scripted implements AutoCloseable {
        final List<String> paths = new CopyOnWriteArrayList<>();
        private final Map<String, Deque<Integer>> script = new ConcurrentHashMap<>();
        private final CrankServer server;

        Scripted(DevPki pki) {
            server = CrankServer.builder(pki.controllerMaterial(), request -> {
                paths.add(request.path());
                Deque<Integer> statuses = script.get(request.path());
                Integer status;
                synchronized (this) {
                    status = statuses == null ? null : statuses.poll();
                }
                return CrankResponse.of(status == null ? 200 : status, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            }).bindHost("127.0.0.1").build().start();
        }

        synchronized Scripted script(String path, int... statuses) {
            Deque<Integer> queue = script.computeIfAbsent(path, p -> new ArrayDeque<>());
            for (int status : statuses) {
                queue.add(status);
            }
            return this;
        }

        URI url() {
            return URI.create("https://localhost:" + server.port());
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
