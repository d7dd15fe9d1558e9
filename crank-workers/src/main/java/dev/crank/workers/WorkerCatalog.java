package dev.crank.workers;

import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import dev.crank.workers.documentconversion.DocumentConversionWorker;
import dev.crank.workers.emailclassifier.EmailClassifierWorker;
import dev.crank.workers.emailparser.EmailParserWorker;
import dev.crank.workers.helloworld.HelloWorldWorker;
import dev.crank.workers.image.GpuImageClassifierWorker;
import dev.crank.workers.image.ImageClassifierWorker;
import dev.crank.workers.philosophy.PhilosophicalAnalyzerWorker;
import dev.crank.workers.streaming.StreamingWorker;
import dev.crank.workers.zettel.ZettelWorker;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The workers that ship with Crank: CLI name, worker id, default port and constructor. */
public final class WorkerCatalog {

    /**
     * One shipped worker. {@code developmentFactory} is what {@code --all} uses: the same worker, set up
     * so that one JVM on a laptop can run everything (the GPU worker falls back to the CPU there).
     */
    public record Entry(String name, String workerId, int defaultPort, List<String> capabilities,
                        Function<WorkerConfig, WorkerApplication> factory,
                        Function<WorkerConfig, WorkerApplication> developmentFactory) {

        public Entry(String name, String workerId, int defaultPort, List<String> capabilities,
                     Function<WorkerConfig, WorkerApplication> factory) {
            this(name, workerId, defaultPort, capabilities, factory, factory);
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry("hello-world", HelloWorldWorker.WORKER_ID, HelloWorldWorker.DEFAULT_PORT,
                    List.of(HelloWorldWorker.CAPABILITY), HelloWorldWorker::new),
            new Entry("streaming", StreamingWorker.WORKER_ID, StreamingWorker.DEFAULT_PORT,
                    List.of(StreamingWorker.TEXT_EVENTS, StreamingWorker.SSE_EVENTS), StreamingWorker::new),
            new Entry("email-classifier", EmailClassifierWorker.WORKER_ID, EmailClassifierWorker.DEFAULT_PORT,
                    List.of(EmailClassifierWorker.CAPABILITY), EmailClassifierWorker::new),
            new Entry("email-parser", EmailParserWorker.WORKER_ID, EmailParserWorker.DEFAULT_PORT,
                    List.of(EmailParserWorker.CAPABILITY), EmailParserWorker::new),
            new Entry("document-conversion", DocumentConversionWorker.WORKER_ID, DocumentConversionWorker.DEFAULT_PORT,
                    List.of(DocumentConversionWorker.CAPABILITY), DocumentConversionWorker::new),
            new Entry("image-classifier", ImageClassifierWorker.WORKER_ID, ImageClassifierWorker.DEFAULT_PORT,
                    List.of(ImageClassifierWorker.CAPABILITY), ImageClassifierWorker::fromEnvironment),
            new Entry("image-classifier-gpu", GpuImageClassifierWorker.WORKER_ID, GpuImageClassifierWorker.DEFAULT_PORT,
                    List.of(GpuImageClassifierWorker.CAPABILITY), GpuImageClassifierWorker::fromEnvironment,
                    GpuImageClassifierWorker::forDevelopment),
            new Entry("philosophical-analyzer", PhilosophicalAnalyzerWorker.WORKER_ID, PhilosophicalAnalyzerWorker.DEFAULT_PORT,
                    List.of(PhilosophicalAnalyzerWorker.CAPABILITY), PhilosophicalAnalyzerWorker::new),
            new Entry("sonnet-zettel-manager", ZettelWorker.WORKER_ID, ZettelWorker.DEFAULT_PORT,
                    List.of(ZettelWorker.CAPABILITY), ZettelWorker::new));

    private WorkerCatalog() {}

    public static List<Entry> entries() {
        return ENTRIES;
    }

    public static Optional<Entry> find(String name) {
        return ENTRIES.stream().filter(entry -> entry.name().equals(name)).findFirst();
    }

    public static List<String> names() {
        return ENTRIES.stream().map(Entry::name).toList();
    }
}
