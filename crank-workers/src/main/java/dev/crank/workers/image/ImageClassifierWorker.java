package dev.crank.workers.image;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankRequest;
import dev.crank.core.CrankResponse;
import dev.crank.core.Routes;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import java.time.Duration;
import java.util.List;

/**
 * {@code classify:image_category} on the CPU, through DJL on the PyTorch engine. Requests decode and
 * measure their images on their own threads; one {@link MicroBatcher} thread runs the forward passes,
 * each over every input waiting at that moment (it never waits for more), so concurrent requests share
 * a pass while a lone one is not delayed. See {@link ImageClassification} for the contract and
 * {@link ImageClassifierSettings} for the options.
 */
public final class ImageClassifierWorker extends WorkerApplication {

    public static final String WORKER_ID = "crank-image-classifier";
    public static final int DEFAULT_PORT = 8505;
    public static final String CAPABILITY = ImageClassification.CAPABILITY;
    static final int MAX_CONCURRENCY = 8;

    private final ImageClassifierSettings settings;
    private final ImageClassification classification;
    private volatile ImageModel model;
    private volatile MicroBatcher<float[], List<ImageModel.Prediction>> batcher;

    public ImageClassifierWorker(WorkerConfig config) {
        this(config, ImageClassifierSettings.defaults());
    }

    public ImageClassifierWorker(WorkerConfig config, ImageClassifierSettings settings) {
        super(config);
        OfflineDjl.configure();
        this.settings = requireNonNull(settings, "settings");
        this.classification = new ImageClassification(settings);
    }

    /** The catalog's factory: options from the environment, a body limit that fits a 20 MiB image in base64. */
    public static ImageClassifierWorker fromEnvironment(WorkerConfig config) {
        return new ImageClassifierWorker(ImageClassification.withImageBodyLimit(config),
                ImageClassifierSettings.fromEnvironment(System.getenv()));
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of(ImageClassification.capability(false, MAX_CONCURRENCY));
    }

    @Override
    protected void configure(Routes routes) {
        routes.capability(CAPABILITY, this::classify, ImageClassification.RAW_TYPES);
    }

    @Override
    protected void onStartup() throws Exception {
        model = settings.modelDir().isPresent()
                ? ImageModel.load(settings.modelDir().get(), Device.cpu())
                : ImageModel.loadDefault(Device.cpu());
        batcher = new MicroBatcher<>(workerId() + "-batcher", MAX_CONCURRENCY, Duration.ZERO, MAX_CONCURRENCY, model::classify);
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
        ObjectNode json = status.putObject("model");
        if (model != null) {
            json.put("name", model.name()).put("version", model.version()).put("device", model.device())
                    .put("labels", String.join(",", model.spec().labels()));
        }
        status.put("device", "cpu");
        status.put("images_classified", classification.classified());
        MicroBatcher<float[], List<ImageModel.Prediction>> batching = batcher;
        if (batching != null) {
            batching.describe(status.putObject("batching"));
        }
    }

    @Override
    protected void describeRegistration(ObjectNode metadata) {
        metadata.put("device", "cpu");
        if (model != null) {
            metadata.put("model", model.name() + " " + model.version());
        }
    }

    private CrankResponse classify(CrankRequest request) {
        ImageModel current = model;
        return classification.classify(request, current, current.device(), input -> ImageClassification.infer(batcher, input));
    }
}
