package dev.crank.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crank.core.CrankException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admission without a thread per waiting call: a waiter gets the slot a lease frees, or 429 at its deadline. */
class AdmissionTest {

    @TempDir
    Path dir;

    private Registry registry;
    private Admission admission;

    @BeforeEach
    void open() {
        registry = TestRegistries.withGreeters(dir, 1, "crank-a");
        admission = new Admission(registry, RoutingStrategy.standard());
    }

    @AfterEach
    void close() {
        admission.close();
        registry.close();
    }

    @Test
    void aWaiterGetsTheSlotALeaseFreesWithoutAThreadOfItsOwn() throws Exception {
        Admission.Lease first = admission.acquireAsync("greet:hello_world", Set.of(), Duration.ofSeconds(30)).get(5, TimeUnit.SECONDS);
        first.dispatched();
        CompletableFuture<Admission.Lease> waiting = admission.acquireAsync("greet:hello_world", Set.of(), Duration.ofSeconds(30));
        assertThat(waiting).as("the only slot is taken").isNotDone();
        assertThat(admission.inFlight("crank-a", "greet:hello_world")).isEqualTo(1);

        first.close();
        Admission.Lease second = waiting.get(5, TimeUnit.SECONDS);
        assertThat(second.worker().workerId()).isEqualTo("crank-a");
        assertThat(admission.inFlight("crank-a", "greet:hello_world")).isEqualTo(1);
        second.close();
        assertThat(admission.inFlight("crank-a", "greet:hello_world")).isZero();
    }

    @Test
    void aWaiterIsRefusedWith429AtItsDeadlineAndCounted() throws Exception {
        Admission.Lease held = admission.acquireAsync("greet:hello_world", Set.of(), Duration.ofSeconds(30)).get(5, TimeUnit.SECONDS);
        held.dispatched();
        CompletableFuture<Admission.Lease> refused = admission.acquireAsync("greet:hello_world", Set.of(), Duration.ofMillis(50));

        assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(CrankException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.code()).isEqualTo("TOO_MANY_REQUESTS");
                    assertThat(e.retryAfter()).isPresent();
                });
        assertThat(admission.rejected()).isEqualTo(1);
        held.close();
        assertThat(admission.inFlight("crank-a", "greet:hello_world")).as("the refused waiter took nothing").isZero();
    }

    @Test
    void anUnknownCapabilityIs404AtOnce() {
        assertThatThrownBy(() -> admission.acquireAsync("greet:nothing", Set.of(), Duration.ofSeconds(30)).join())
                .cause().isInstanceOfSatisfying(CrankException.class, e -> assertThat(e.code()).isEqualTo("NO_HEALTHY_WORKER"));
    }
}
