package dev.crank.controller;

import dev.crank.bench.Fleet;
import dev.crank.core.DevPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
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
 * The routing decision alone: {@link RoutingStrategy#standard()} (GPU first, then power of two
 * choices on in-flight counts) over a prepared list of N healthy candidates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class RoutingBenchmark {

    @Param({"10", "100", "1000"})
    int candidates;

    private final RoutingStrategy strategy = RoutingStrategy.standard();
    private Providers providers;
    private RoutingStrategy.Load load;

    @Setup
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("crank-jmh-routing-");
        Fleet fleet = new Fleet(DevPki.open(dir.resolve("pki")));
        Random random = new Random(42);
        Map<RegisteredWorker, Integer> inFlight = new HashMap<>();
        for (RegisteredWorker worker : fleet.workers(candidates)) {
            inFlight.put(worker, random.nextInt(10));
        }
        providers = Providers.of("greet:bench_0", inFlight.keySet());
        load = new RoutingStrategy.Load() {
            @Override
            public boolean eligible(RegisteredWorker worker) {
                return inFlight.get(worker) < 10;
            }

            @Override
            public int inFlight(RegisteredWorker worker) {
                return inFlight.get(worker);
            }
        };
    }

    @Benchmark
    public Optional<RegisteredWorker> strategy() {
        return strategy.select(providers, load);
    }
}
