package dev.crank.workers.tools;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The terminal of the project's command-line jobs (training, evaluations, corpus checks): their report
 * is what they are run for, so it goes to standard output, not to a log. Workers and library code log
 * through SLF4J; only these jobs, the runtime CLI and the benchmarks write here
 * ({@code SourceScanTest} keeps it so).
 */
public final class Terminal {

    private Terminal() {}

    /** One line of the report, formatted with {@link Locale#ROOT}. */
    public static void line(String format, Object... args) {
        out().println(String.format(Locale.ROOT, format, args));
    }

    /** Text as it is (it carries its own line ends). */
    public static void text(String text) {
        out().print(text);
    }

    /** Progress and diagnostics, apart from the report. */
    static PrintStream diagnostics() {
        return System.err;
    }

    private static PrintStream out() {
        return System.out;
    }
}
