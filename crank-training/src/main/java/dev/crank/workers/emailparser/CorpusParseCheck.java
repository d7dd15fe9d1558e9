package dev.crank.workers.emailparser;

import dev.crank.workers.mail.EmailParser;
import dev.crank.workers.mail.ParseOptions;
import dev.crank.workers.mail.ParsedEmail;
import dev.crank.workers.mail.SpamAssassinCorpus;
import dev.crank.workers.mail.SpamAssassinCorpus.Sample;
import dev.crank.workers.tools.Progress;
import dev.crank.workers.tools.Terminal;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses every message of the SpamAssassin corpus on one thread and prints how many parsed, how many
 * had defects, the most common defects and messages per second. Exit status 1 if any message threw.
 * The corpus is parsed {@code warm-up} times (default {@value #DEFAULT_WARM_UP}) before {@code passes}
 * measured passes (default {@value #DEFAULT_PASSES}), whose median is reported: the JIT takes several
 * passes to compile the parser fully, so the second pass alone measured mostly the warm-up.
 *
 * <pre>
 * tools/fetch-corpora.sh
 * mvn -B -q -pl crank-runtime -am package -DskipTests
 * java -cp crank-runtime/target/crank-runtime.jar dev.crank.workers.emailparser.CorpusParseCheck [corpus-dir [warm-up [passes]]]
 * </pre>
 */
public final class CorpusParseCheck {

    /** What one pass over the corpus found. */
    public record Result(int messages, int withDefects, List<String> failures, Map<String, Integer> defectKinds,
                         long bytes, long nanos, long cpuNanos) {
        /** Messages per second of wall-clock time. */
        public double messagesPerSecond() {
            return messages / (nanos / 1e9);
        }

        /** Messages per second of this thread's CPU time: what one core does, whatever else the machine runs. */
        public double messagesPerCpuSecond() {
            return messages / (cpuNanos / 1e9);
        }
    }

    static final int DEFAULT_WARM_UP = 5;
    static final int DEFAULT_PASSES = 3;

    private CorpusParseCheck() {}

    public static void main(String[] args) {
        Path dir = args.length > 0 ? Path.of(args[0]) : SpamAssassinCorpus.locate();
        int warmUps = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_WARM_UP;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_PASSES;
        List<Sample> samples = SpamAssassinCorpus.at(dir).read(SpamAssassinCorpus.FOLDERS);
        Terminal.line("corpus: %s (%d messages), %d warm-up passes, %d measured", dir, samples.size(),
                warmUps, passes);
        List<Result> warmUp = new ArrayList<>();
        for (int pass = 0; pass < warmUps; pass++) {
            warmUp.add(run(samples));
        }
        List<Result> measured = new ArrayList<>();
        for (int pass = 0; pass < Math.max(1, passes); pass++) {
            measured.add(run(samples));
        }
        measured.sort(java.util.Comparator.comparingLong(Result::cpuNanos));
        Result result = measured.get(measured.size() / 2);
        Terminal.line("parsed without exception: %d / %d", result.messages() - result.failures().size(),
                result.messages());
        Terminal.line("messages with defects:    %d", result.withDefects());
        Terminal.line("one thread, measured (median of %d): %.0f messages/s wall clock, %.0f messages/s of CPU time (%.1f MB/s)",
                measured.size(), result.messagesPerSecond(), result.messagesPerCpuSecond(),
                result.bytes() / (result.cpuNanos() / 1e9) / 1e6);
        for (int pass = 0; pass < warmUp.size(); pass++) {
            Terminal.line("one thread, warm-up pass %d: %.0f messages/s wall clock, %.0f messages/s of CPU time",
                    pass + 1, warmUp.get(pass).messagesPerSecond(), warmUp.get(pass).messagesPerCpuSecond());
        }
        Terminal.line("%s", "most common defects (messages):");
        result.defectKinds().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(12)
                .forEach(e -> Terminal.line("  %5d  %s", e.getValue(), e.getKey()));
        result.failures().forEach(failure -> Terminal.line("%s", "FAILED " + failure));
        if (!result.failures().isEmpty()) {
            System.exit(1);
        }
    }

    /** Parses every sample with the default options, on the calling thread. */
    public static Result run(List<Sample> samples) {
        List<String> failures = new ArrayList<>();
        Map<String, Integer> kinds = new TreeMap<>();
        int withDefects = 0;
        long bytes = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long started = System.nanoTime();
        long cpuStarted = threads.getCurrentThreadCpuTime();
        Progress progress = Progress.toStderr("parsing", samples.size(), "messages");
        for (Sample sample : samples) {
            progress.step();
            bytes += sample.raw().length;
            try {
                ParsedEmail email = EmailParser.parse(sample.raw(), ParseOptions.defaults());
                if (!email.defects().isEmpty()) {
                    withDefects++;
                    email.defects().stream().map(CorpusParseCheck::kind).distinct().forEach(kind -> kinds.merge(kind, 1, Integer::sum));
                }
            } catch (RuntimeException | StackOverflowError e) {
                failures.add(sample.folder() + "/" + sample.file() + ": " + e);
            }
        }
        return new Result(samples.size(), withDefects, failures, kinds, bytes, System.nanoTime() - started,
                threads.getCurrentThreadCpuTime() - cpuStarted);
    }

    /** A defect without its specifics ("Date: unparseable '...'" becomes "Date: unparseable"). */
    static String kind(String defect) {
        String kind = defect.replaceAll("'[^']*'", "'…'").replaceAll("\\[x\\d+]", "").replaceAll("body(\\.\\d+)+", "body.N");
        return kind.strip();
    }
}
