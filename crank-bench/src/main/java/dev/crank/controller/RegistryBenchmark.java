package dev.crank.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.bench.Fleet;
import dev.crank.core.DevPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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

/** A heartbeat as the registry applies it ({@link Registry#heartbeat}), cycling over N registered workers. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class RegistryBenchmark {

    @Param({"10000"})
    int registered;

    private Registry registry;
    private String[] ids;
    private ObjectNode[] loads;
    private int next;

    @Setup
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("crank-jmh-registry-");
        Fleet fleet = new Fleet(DevPki.open(dir.resolve("pki")));
        Path stateFile = dir.resolve("registry.db");
        fleet.writeState(stateFile, registered);
        registry = BenchAccess.restoredRegistry(dir, stateFile, Clock.systemUTC());
        ids = new String[registered];
        loads = new ObjectNode[Fleet.CAPABILITY_KINDS];
        for (int i = 0; i < registered; i++) {
            ids[i] = Fleet.workerId(i);
        }
        for (int k = 0; k < loads.length; k++) {
            loads[k] = BenchAccess.load(Fleet.capability(k));
        }
    }

    @Benchmark
    public boolean heartbeat() {
        int i = next++ % registered;
        if (next == registered) {
            next = 0;
        }
        return registry.heartbeat(ids[i], loads[i % loads.length]);
    }
}
