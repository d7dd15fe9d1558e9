package dev.crank.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.controller.BenchAccess;
import dev.crank.controller.RegisteredWorker;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankJson;
import dev.crank.core.DevPki;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import dev.crank.workers.helloworld.HelloWorldWorker;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic fleet of workers for registry benchmarks: worker {@code i} is {@code bench-worker-i}
 * and offers {@code greet:bench_(i % 10)} with hello-world's real input and output schemas, device
 * {@code cpu}, a URL that is never dialled (only {@code /route} answers name it).
 */
public final class Fleet {

    public static final int CAPABILITY_KINDS = 10;

    private final List<CapabilitySchema> schemas = new ArrayList<>();
    private final List<String> schemaJson = new ArrayList<>();
    private final List<String> loadJson = new ArrayList<>();

    public Fleet(DevPki pki) {
        CapabilitySchema hello = helloWorldCapability(pki);
        for (int k = 0; k < CAPABILITY_KINDS; k++) {
            ObjectNode node = hello.toJson();
            node.put("name", "bench_" + k);
            CapabilitySchema schema = CapabilitySchema.fromJson(node);
            schemas.add(schema);
            schemaJson.add(CrankJson.string(schema.toJson()));
            loadJson.add(CrankJson.string(BenchAccess.load(schema.key())));
        }
    }

    /** hello-world's declared capability, read from the worker itself (its schemas are private constants). */
    public static CapabilitySchema helloWorldCapability(DevPki pki) {
        HelloWorldWorker worker = new HelloWorldWorker(WorkerConfig.builder(HelloWorldWorker.WORKER_ID,
                pki.workerMaterial(HelloWorldWorker.WORKER_ID)).build());
        try {
            Method capabilities = WorkerApplication.class.getDeclaredMethod("capabilities");
            capabilities.setAccessible(true);
            @SuppressWarnings("unchecked")
            List<CapabilitySchema> declared = (List<CapabilitySchema>) capabilities.invoke(worker);
            return declared.get(0);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read hello-world's capabilities", e);
        }
    }

    public static String workerId(long i) {
        return "bench-worker-" + i;
    }

    public static String capability(long i) {
        return "greet:bench_" + (i % CAPABILITY_KINDS);
    }

    static URI url(long i) {
        return URI.create("https://localhost:" + (20000 + i % 40000));
    }

    public List<RegisteredWorker> workers(int count) {
        Instant now = Instant.now();
        List<RegisteredWorker> workers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            workers.add(new RegisteredWorker(workerId(i), url(i), List.of(schemas.get(i % CAPABILITY_KINDS)), metadata(), now, now,
                    false, BenchAccess.load(capability(i))));
        }
        return workers;
    }

    /** Writes a state file of {@code count} workers; a controller started on it restores them. */
    public void writeState(Path stateFile, int count) {
        BenchAccess.writeState(stateFile, workers(count));
    }

    /** The JSON body a worker would send to {@code /register} (with id {@code workerId}). */
    public String registration(String workerId, long i) {
        return "{\"worker_id\":\"" + workerId + "\",\"worker_url\":\"" + url(i) + "\",\"capabilities\":["
                + schemaJson.get((int) (i % CAPABILITY_KINDS)) + "],\"metadata\":" + CrankJson.string(metadata()) + "}";
    }

    /** The JSON body of a heartbeat of worker {@code i}, with the load report the framework sends. */
    public String heartbeat(long i) {
        return "{\"worker_id\":\"" + workerId(i) + "\",\"load\":" + loadJson.get((int) (i % CAPABILITY_KINDS)) + "}";
    }

    private static ObjectNode metadata() {
        return CrankJson.object().put("device", "cpu").put("host", "localhost").put("version", "0.1.0-SNAPSHOT");
    }
}
