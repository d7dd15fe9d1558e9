package dev.crank.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.controller.BenchAccess;
import dev.crank.controller.ControllerSettings;
import dev.crank.controller.RegisteredWorker;
import dev.crank.controller.Registry;
import dev.crank.core.CrankJson;
import dev.crank.core.DevPki;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Controller heap per registered worker: a bare registry restores N workers from a state file (as a
 * restarted controller does), each gets a heartbeat with a realistic load report (as it would
 * within 30 s), then retained heap after full GCs is compared with the empty registry.
 */
final class MemoryBench {

    private MemoryBench() {}

    static void run(Args args) {
        var sizes = args.integers("sizes", "10000,50000");
        Harness.header("memory", "sizes=" + sizes + " max-heap=" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + "MB");
        Path dir = Harness.scratch("memory");
        DevPki pki = Harness.pki(dir);
        Fleet fleet = new Fleet(pki);
        for (int size : sizes) {
            Path stateFile = ControllerSettings.defaults(dir.resolve("n" + size)).stateFile();
            fleet.writeState(stateFile, size);
            long before = usedAfterGc();
            Registry registry = BenchAccess.restoredRegistry(dir.resolve("n" + size), stateFile, Clock.systemUTC());
            for (int i = 0; i < size; i++) {
                ObjectNode load = (ObjectNode) CrankJson.parse(fleet.heartbeat(i)).get("load");
                registry.heartbeat(Fleet.workerId(i), load);
            }
            long after = usedAfterGc();
            int count = registry.workers().size();
            RegisteredWorker sample = registry.workers().get(0);
            Harness.result("heap per worker N=" + size, "%.1f KB (%d workers, %.1f MB retained; capability JSON per worker %d bytes)",
                    (after - before) / 1024.0 / count, count, (after - before) / 1048576.0,
                    CrankJson.bytes(sample.capabilities().get(0).toJson()).length);
            Harness.deleteQuietly(stateFile.getParent());
        }
        Harness.deleteQuietly(dir);
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Harness.sleep(java.time.Duration.ofMillis(100));
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
