package dev.crank.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Package-private controller internals for the benchmarks (this class sits in the controller's
 * package inside crank-bench; nothing in crank-controller depends on it). Lets a harness write a
 * registry database of N workers in one go instead of N registrations, and build a bare
 * {@link Registry}/{@link Admission} pair for microbenchmarks and heap measurements.
 */
public final class BenchAccess {

    private BenchAccess() {}

    /** Writes {@code workers} into the controller's registry database in one batch, as the controller would. */
    public static void writeState(Path stateFile, List<RegisteredWorker> workers) {
        try (SqliteRegistryStore store = new SqliteRegistryStore(stateFile)) {
            store.load();
            List<RegistryChange> changes = new java.util.ArrayList<>(workers.size());
            workers.forEach(worker -> changes.add(new RegistryChange.Register(worker)));
            store.write(changes).join();
        }
    }

    /** A registry with default settings persisting to {@code stateFile}, restored from it. */
    public static Registry restoredRegistry(Path dataDir, Path stateFile, Clock clock) {
        Registry registry = new Registry(clock, ControllerSettings.defaults(dataDir).withStateFile(stateFile), new Contracts());
        registry.restore();
        return registry;
    }

    /** The controller's {@code /route} decision: {@link Admission#choose} with the standard strategy. */
    public static Router router(Registry registry) {
        Admission admission = new Admission(registry, RoutingStrategy.standard());
        return capability -> admission.choose(capability).orElse(null);
    }

    /** The providers of a capability, as the capability index holds them. */
    public static Providers providers(Registry registry, String capability) {
        return registry.providers(capability).orElseThrow();
    }

    /** The load object a worker's heartbeat carries, as the framework builds it. */
    public static ObjectNode load(String capability) {
        ObjectNode load = dev.crank.core.CrankJson.object();
        load.putObject("in_flight").put(capability, 0);
        load.put("in_flight_total", 0);
        load.put("queue_depth", 0);
        load.putObject("latency_ms").putObject(capability).put("p50", 1.25).put("p99", 4.5);
        load.put("device", "cpu");
        return load;
    }

    /** One routing decision. */
    @FunctionalInterface
    public interface Router {
        RegisteredWorker route(String capability);
    }
}
