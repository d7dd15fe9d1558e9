package dev.crank.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.internal.Json;
import dev.crank.core.testing.MutableClock;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTest {

    private static final List<CapabilitySchema> GREET = List.of(CapabilitySchema.builder("greet", "hello_world").version("1.0.0").build());

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void expiresThenEvictsOnTheInjectedClock() {
        Registry registry = new Registry(clock, settings(), new Contracts());
        registry.register("crank-a", URI.create("https://localhost:1"), GREET, Json.object());

        clock.advance(Duration.ofSeconds(90));
        assertThat(registry.healthyFor("greet:hello_world")).isNotEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(registry.healthyFor("greet:hello_world")).isEmpty();
        assertThat(registry.sweep()).isZero();

        assertThat(registry.heartbeat("crank-a", Json.object())).isTrue();
        assertThat(registry.healthyFor("greet:hello_world")).as("a heartbeat revives an expired worker").isNotEmpty();

        clock.advance(Duration.ofSeconds(181));
        assertThat(registry.sweep()).isEqualTo(1);
        assertThat(registry.workers()).isEmpty();
        assertThat(registry.heartbeat("crank-a", Json.object())).as("evicted workers must register again").isFalse();
    }

    @Test
    void restoresFromTheStateFileAndRoutesAfterTheFirstHeartbeat() throws Exception {
        Registry first = new Registry(clock, settings(), new Contracts());
        first.register("crank-a", URI.create("https://localhost:1"), GREET, Json.object().put("device", "cpu"));
        first.register("crank-b", URI.create("https://localhost:2"), GREET, Json.object());
        first.deregister("crank-b");

        List<String> lines = Files.readAllLines(settings().stateFile());
        assertThat(lines).hasSize(1);
        assertThat(Files.exists(settings().stateFile().resolveSibling("registry.jsonl.tmp"))).isFalse();
        Files.writeString(settings().stateFile(), lines.get(0) + "\n{not json\n");

        Registry restored = new Registry(clock, settings(), new Contracts());
        assertThat(restored.restore()).as("the corrupt line is skipped").isEqualTo(1);
        assertThat(restored.healthyFor("greet:hello_world")).isEmpty();
        assertThat(restored.heartbeat("crank-a", Json.object())).isTrue();
        assertThat(restored.healthyFor("greet:hello_world")).singleElement().extracting(RegisteredWorker::workerUrl)
                .isEqualTo(URI.create("https://localhost:1"));
        assertThat(restored.workers().get(0).metadata().get("device").asText()).isEqualTo("cpu");
    }

    private ControllerSettings settings() {
        return ControllerSettings.defaults(dir).withHeartbeatTimeout(Duration.ofSeconds(90)).withEvictionGrace(Duration.ofSeconds(90));
    }
}
