package dev.crank.workers;

import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import dev.crank.workers.emailclassifier.EmailClassifierWorker;
import dev.crank.workers.emailparser.EmailParserWorker;
import dev.crank.workers.helloworld.HelloWorldWorker;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The workers that ship with Crank: CLI name, worker id, default port and constructor. */
public final class WorkerCatalog {

    /** One shipped worker. */
    public record Entry(String name, String workerId, int defaultPort, List<String> capabilities,
                        Function<WorkerConfig, WorkerApplication> factory) {}

    private static final List<Entry> ENTRIES = List.of(
            new Entry("hello-world", HelloWorldWorker.WORKER_ID, HelloWorldWorker.DEFAULT_PORT,
                    List.of(HelloWorldWorker.CAPABILITY), HelloWorldWorker::new),
            new Entry("email-classifier", EmailClassifierWorker.WORKER_ID, EmailClassifierWorker.DEFAULT_PORT,
                    List.of(EmailClassifierWorker.CAPABILITY), EmailClassifierWorker::new),
            new Entry("email-parser", EmailParserWorker.WORKER_ID, EmailParserWorker.DEFAULT_PORT,
                    List.of(EmailParserWorker.CAPABILITY), EmailParserWorker::new));

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
