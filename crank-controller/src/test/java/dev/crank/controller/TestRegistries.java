package dev.crank.controller;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankJson;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Registries on the embedded store for unit tests. */
final class TestRegistries {

    private TestRegistries() {}

    /** A restored registry in {@code dir} with {@code workerIds} registered, each offering greet:hello_world 1.0.0 at {@code maxConcurrency}. */
    static Registry withGreeters(Path dir, int maxConcurrency, String... workerIds) {
        Registry registry = new Registry(Clock.systemUTC(), ControllerSettings.defaults(dir), new Contracts());
        registry.restore();
        for (String id : workerIds) {
            registry.register(id, URI.create("https://localhost:1"),
                    List.of(CapabilitySchema.builder("greet", "hello_world").version("1.0.0").maxConcurrency(maxConcurrency).build()),
                    CrankJson.object());
        }
        return registry;
    }
}
