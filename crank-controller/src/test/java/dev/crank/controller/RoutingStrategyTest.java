package dev.crank.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankJson;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The strategies on their own: providers and a load view made by the test, no registry, no clock. */
class RoutingStrategyTest {

    private static final String KEY = "greet:hello_world";
    private static final CapabilitySchema CAPABILITY = CapabilitySchema.builder("greet", "hello_world").version("1.0.0").build();

    /** What the test says routing knows: the ineligible ids and calls in flight per id. */
    private static final class View implements RoutingStrategy.Load {
        final Set<String> ineligible = new HashSet<>();
        final Map<String, Integer> inFlight = new HashMap<>();

        @Override
        public boolean eligible(RegisteredWorker worker) {
            return !ineligible.contains(worker.workerId());
        }

        @Override
        public int inFlight(RegisteredWorker worker) {
            return inFlight.getOrDefault(worker.workerId(), 0);
        }
    }

    private final View view = new View();

    @Test
    void roundRobinTakesTurnsInIdOrderAndSkipsIneligibleWorkers() {
        Providers providers = providers("w-a", "w-b", "w-c");
        RoutingStrategy strategy = RoutingStrategy.roundRobin();
        assertThat(picks(strategy, providers, 6)).containsExactly("w-a", "w-b", "w-c", "w-a", "w-b", "w-c");

        view.ineligible.add("w-b");
        assertThat(picks(strategy, providers, 4)).containsExactly("w-a", "w-c", "w-c", "w-a");
        view.ineligible.addAll(List.of("w-a", "w-c"));
        assertThat(strategy.select(providers, view)).isEmpty();
    }

    @Test
    void roundRobinKeepsOneTurnPerCapability() {
        RoutingStrategy strategy = RoutingStrategy.roundRobin();
        List<RegisteredWorker> workers = List.of(worker("w-a", "cpu"), worker("w-b", "cpu"));
        assertThat(strategy.select("echo:text", workers, view)).map(RegisteredWorker::workerId).hasValue("w-a");
        assertThat(strategy.select(KEY, workers, view)).map(RegisteredWorker::workerId).hasValue("w-a");
        assertThat(strategy.select("echo:text", workers, view)).map(RegisteredWorker::workerId).hasValue("w-b");
    }

    @Test
    void leastInFlightPicksTheLeastLoadedAndSpreadsTies() {
        Providers providers = providers("w-a", "w-b", "w-c", "w-d");
        view.inFlight.putAll(Map.of("w-a", 3, "w-b", 1, "w-c", 1, "w-d", 2));
        RoutingStrategy strategy = RoutingStrategy.leastInFlight();
        List<String> picks = picks(strategy, providers, 20);
        assertThat(picks).containsOnly("w-b", "w-c").contains("w-b", "w-c");

        view.ineligible.addAll(List.of("w-b", "w-c"));
        assertThat(picks(strategy, providers, 5)).containsOnly("w-d");
    }

    @Test
    void leastInFlightAmongManyProvidersNeverPicksAnIneligibleOneAndFindsTheLastEligible() {
        List<String> ids = IntStream.range(0, 200).mapToObj(i -> String.format("w-%03d", i)).toList();
        Providers providers = providers(ids.toArray(String[]::new));
        RoutingStrategy strategy = RoutingStrategy.leastInFlight();
        view.ineligible.addAll(ids.subList(0, 100));
        assertThat(picks(strategy, providers, 200)).allSatisfy(id -> assertThat(ids.indexOf(id)).isGreaterThanOrEqualTo(100));

        view.ineligible.addAll(ids.subList(100, 199));
        assertThat(picks(strategy, providers, 20)).as("random probes miss it; the fallback scan does not").containsOnly("w-199");
        view.ineligible.add("w-199");
        assertThat(strategy.select(providers, view)).isEmpty();
    }

    @Test
    void leastInFlightOfTwoRandomCandidatesNeverPicksTheHeaviest() {
        List<String> ids = IntStream.range(0, 50).mapToObj(i -> String.format("w-%02d", i)).toList();
        Providers providers = providers(ids.toArray(String[]::new));
        for (int i = 0; i < ids.size(); i++) {
            view.inFlight.put(ids.get(i), i); // all different: w-49 is the heaviest
        }
        List<String> picks = picks(RoutingStrategy.leastInFlight(), providers, 1_000);
        assertThat(picks).as("the lighter of two candidates wins").doesNotContain("w-49");
        assertThat(new HashSet<>(picks)).as("and the choice spreads, no herd on the lightest").hasSizeGreaterThan(10);
    }

    @Test
    void gpuFirstPrefersGpuWorkersAndSpillsOverWhenTheyAreFull() {
        Providers providers = Providers.of(KEY, List.of(worker("w-a", "cpu"), worker("w-b", "cuda:0"), worker("w-c", "cpu")));
        assertThat(providers.gpu()).extracting(RegisteredWorker::workerId).containsExactly("w-b");
        RoutingStrategy strategy = RoutingStrategy.gpuFirst(RoutingStrategy.roundRobin());
        assertThat(picks(strategy, providers, 3)).containsOnly("w-b");

        view.ineligible.add("w-b");
        assertThat(picks(strategy, providers, 4)).containsOnly("w-a", "w-c").contains("w-a", "w-c");
    }

    @Test
    void noProvidersNoChoice() {
        Providers none = Providers.of(KEY, List.of());
        assertThat(RoutingStrategy.standard().select(none, view)).isEmpty();
        assertThat(RoutingStrategy.roundRobin().select(none, view)).isEmpty();
        assertThat(RoutingStrategy.leastInFlight().select(none, view)).isEmpty();
    }

    private List<String> picks(RoutingStrategy strategy, Providers providers, int times) {
        List<String> picks = new ArrayList<>(times);
        for (int i = 0; i < times; i++) {
            Optional<RegisteredWorker> choice = strategy.select(providers, view);
            assertThat(choice).as("pick %d", i).isPresent();
            picks.add(choice.get().workerId());
        }
        return picks;
    }

    private static Providers providers(String... ids) {
        List<RegisteredWorker> workers = new ArrayList<>();
        for (String id : ids) {
            workers.add(worker(id, "cpu"));
        }
        return Providers.of(KEY, workers);
    }

    private static RegisteredWorker worker(String id, String device) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        return new RegisteredWorker(id, URI.create("https://localhost:8600"), List.of(CAPABILITY),
                CrankJson.object().put("device", device), at, at, false, CrankJson.object());
    }
}
