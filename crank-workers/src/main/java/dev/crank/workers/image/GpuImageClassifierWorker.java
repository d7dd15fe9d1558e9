package dev.crank.workers.image;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.Routes;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import java.lang.management.MemoryUsage;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code classify:image_category} on a CUDA device ({@code requires_gpu: true}). Requests are
 * decoded and measured on their own threads; their forward passes are gathered by a
 * {@link MicroBatcher} into batches of up to {@code CRANK_GPU_BATCH_MAX} images or
 * {@code CRANK_GPU_BATCH_WAIT}. Without a GPU it refuses to start, unless
 * {@code CRANK_GPU_FALLBACK=cpu}: then it runs on the CPU, batching the same way, and says
 * {@code device: cpu} everywhere.
 */
public final class GpuImageClassifierWorker extends WorkerApplication {

    private static final Logger logger = LoggerFactory.getLogger(GpuImageClassifierWorker.class);

    public static final String WORKER_ID = "crank-image-classifier-gpu";
    public static final int DEFAULT_PORT = 8506;
    public static final String CAPABILITY = ImageClassification.CAPABILITY;

    private final ImageClassifierSettings settings;
    private final ImageClassification classification;
    private volatile Device device;
    private volatile ImageModel model;
    private volatile MicroBatcher<float[], List<ImageModel.Prediction>> batcher;

    public GpuImageClassifierWorker(WorkerConfig config) {
        this(config, ImageClassifierSettings.defaults());
    }

    public GpuImageClassifierWorker(WorkerConfig config, ImageClassifierSettings settings) {
        super(config);
        OfflineDjl.configure();
        this.settings = requireNonNull(settings, "settings");
        this.classification = new ImageClassification(settings);
    }

    /** The catalog's factory: options from the environment, a body limit that fits a 20 MiB image in base64. */
    public static GpuImageClassifierWorker fromEnvironment(WorkerConfig config) {
        return new GpuImageClassifierWorker(ImageClassification.withImageBodyLimit(config),
                ImageClassifierSettings.fromEnvironment(System.getenv()));
    }

    /**
     * Like {@link #fromEnvironment} but falls back to the CPU whatever {@code CRANK_GPU_FALLBACK}
     * says: for development runs of the whole platform in one JVM ({@code --all}) on machines
     * without a GPU, where refusing to start would stop every other worker too.
     */
    public static GpuImageClassifierWorker forDevelopment(WorkerConfig config) {
        return new GpuImageClassifierWorker(ImageClassification.withImageBodyLimit(config),
                ImageClassifierSettings.fromEnvironment(System.getenv()).withCpuFallback(true));
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of(ImageClassification.capability(true, maxConcurrency()));
    }

    private int maxConcurrency() {
        return Math.max(16, 2 * settings.batchMax());
    }

    @Override
    protected void configure(Routes routes) {
        routes.capability(CAPABILITY, this::classify, ImageClassification.RAW_TYPES);
    }

    @Override
    protected void onStartup() throws Exception {
        device = chooseDevice();
        model = settings.modelDir().isPresent()
                ? ImageModel.load(settings.modelDir().get(), device)
                : ImageModel.loadDefault(device);
        batcher = new MicroBatcher<>(workerId() + "-batcher", settings.batchMax(), settings.batchWait(), maxConcurrency(),
                model::classify);
    }

    private Device chooseDevice() {
        Engine engine = Engine.getEngine("PyTorch");
        int gpus = engine.getGpuCount();
        if (gpus > 0) {
            logger.info("{} runs on cuda:0 ({} GPU(s) visible to PyTorch {})", workerId(), gpus, engine.getVersion());
            return Device.gpu(0);
        }
        if (settings.cpuFallback()) {
            logger.warn("{}: no CUDA GPU is visible to PyTorch {}; CRANK_GPU_FALLBACK=cpu, so it runs on the CPU "
                    + "(batching as on a GPU)", workerId(), engine.getVersion());
            return Device.cpu();
        }
        throw new IllegalStateException("no CUDA GPU is visible to PyTorch " + engine.getVersion()
                + " (this build ships the CPU natives, ai.djl.pytorch:pytorch-native-cpu; a GPU host needs a CUDA build "
                + "of the natives and a driver). Set CRANK_GPU_FALLBACK=cpu to run this worker on the CPU, "
                + "or run --worker image-classifier instead");
    }

    @Override
    protected void onShutdown() {
        if (batcher != null) {
            batcher.close();
        }
        if (model != null) {
            model.close();
        }
    }

    @Override
    protected void describeStatus(ObjectNode status) {
        Device current = device;
        status.put("device", current == null ? "none" : ImageModel.describe(current));
        if (current != null && current.isGpu()) {
            ObjectNode memory = status.putObject("gpu_memory");
            try {
                MemoryUsage usage = CudaUtils.getGpuMemory(current);
                memory.put("used_bytes", usage.getCommitted()).put("total_bytes", usage.getMax());
            } catch (RuntimeException | LinkageError e) {
                memory.put("error", "unavailable: " + e.getClass().getSimpleName());
            }
        }
        ImageModel loaded = model;
        if (loaded != null) {
            status.putObject("model").put("name", loaded.name()).put("version", loaded.version())
                    .put("device", loaded.device()).put("labels", String.join(",", loaded.spec().labels()));
        }
        status.put("images_classified", classification.classified());
        MicroBatcher<float[], List<ImageModel.Prediction>> batching = batcher;
        if (batching != null) {
            batching.describe(status.putObject("batching"));
        }
    }

    @Override
    protected void describeRegistration(ObjectNode metadata) {
        Device current = device;
        metadata.put("device", current == null ? "cpu" : ImageModel.describe(current));
        metadata.put("batch_max", settings.batchMax());
        if (model != null) {
            metadata.put("model", model.name() + " " + model.version());
        }
    }

    /** The batching figures, for tests and benchmarks. */
    public MicroBatcher<float[], List<ImageModel.Prediction>> batcher() {
        return batcher;
    }

    private CrankResponse classify(CrankRequest request) {
        ImageModel current = model;
        return classification.classify(request, current, current.device(), input -> ImageClassification.infer(batcher, input));
    }
}
