package dev.crank.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admission's bounds over several providers: each worker's max_concurrency holds, exclusions are honoured. */
class AdmissionBoundsTest {

    private static final String KEY = "greet:hello_world";
    private static final Duration QUEUE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Registry registry;
    private Admission admission;

    @BeforeEach
    void open() {
        registry = TestRegistries.withGreeters(dir, 2, "crank-a", "crank-b");
        admission = new Admission(registry, RoutingStrategy.roundRobin());
    }

    @AfterEach
    void close() {
        admission.close();
        registry.close();
    }

    @Test
    void noWorkerGetsMoreThanItsBoundAndTheFifthCallerWaits() throws Exception {
        List<Admission.Lease> leases = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Admission.Lease lease = admission.acquireAsync(KEY, Set.of(), QUEUE).get(5, TimeUnit.SECONDS);
            lease.dispatched();
            leases.add(lease);
        }
        assertThat(leases).extracting(lease -> lease.worker().workerId()).containsOnly("crank-a", "crank-b");
        assertThat(admission.inFlight("crank-a", KEY)).isEqualTo(2);
        assertThat(admission.inFlight("crank-b", KEY)).isEqualTo(2);

        CompletableFuture<Admission.Lease> fifth = admission.acquireAsync(KEY, Set.of(), QUEUE);
        assertThat(fifth).as("both workers are at their bound").isNotDone();
        Admission.Lease freed = leases.remove(0);
        String freedWorker = freed.worker().workerId();
        freed.close();
        Admission.Lease granted = fifth.get(5, TimeUnit.SECONDS);
        assertThat(granted.worker().workerId()).as("the slot that was freed").isEqualTo(freedWorker);
        granted.close();
        leases.forEach(Admission.Lease::close);
        assertThat(admission.inFlight("crank-a", KEY) + admission.inFlight("crank-b", KEY)).isZero();
    }

    @Test
    void anExcludedWorkerIsNotChosenEvenWithRoomToSpare() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (Admission.Lease lease = admission.acquireAsync(KEY, Set.of("crank-a"), QUEUE).get(5, TimeUnit.SECONDS)) {
                assertThat(lease.worker().workerId()).isEqualTo("crank-b");
            }
        }
        CompletableFuture<Admission.Lease> nobody = admission.acquireAsync(KEY, Set.of("crank-a", "crank-b"), Duration.ofMillis(50));
        assertThat(nobody).failsWithin(Duration.ofSeconds(5));
    }
}
