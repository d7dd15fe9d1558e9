package dev.crank.controller;

import dev.crank.bench.Fleet;
import dev.crank.core.DevPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole {@code /route} decision: {@link Admission#choose} scans the registry for healthy workers
 * of the capability, builds candidates with their load and asks the standard strategy. The registry
 * holds N workers spread over 10 capabilities, so the capability has N/10 candidates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class AdmissionBenchmark {

    @Param({"100", "1000", "10000", "50000"})
    int registered;

    private Admission admission;

    @Setup
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("crank-jmh-routing-");
        Fleet fleet = new Fleet(DevPki.open(dir.resolve("pki")));
        Path stateFile = dir.resolve("registry.db");
        fleet.writeState(stateFile, registered);
        Registry registry = BenchAccess.restoredRegistry(dir, stateFile, Clock.systemUTC());
        for (int i = 0; i < registered; i++) {
            registry.heartbeat(Fleet.workerId(i), BenchAccess.load(Fleet.capability(i)));
        }
        admission = new Admission(registry, RoutingStrategy.standard());
    }

    @Benchmark
    public Optional<RegisteredWorker> choose() {
        return admission.choose("greet:bench_0");
    }
}
