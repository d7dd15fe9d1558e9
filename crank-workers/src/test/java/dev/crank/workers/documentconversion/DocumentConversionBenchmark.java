package dev.crank.workers.documentconversion;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Prints conversion figures; not a test. Run from the repository root after
 * {@code mvn -B -q -o -pl crank-workers -am test-compile}:
 *
 * <pre>{@code
 * mvn -B -q -o -pl crank-workers dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp crank-workers/target/classes:crank-workers/target/test-classes:$(cat /tmp/cp.txt) \
 *     dev.crank.workers.documentconversion.DocumentConversionBenchmark [warm-up runs] [measured runs]
 * }</pre>
 *
 * Wall time depends on what else the machine runs; CPU time (of the converting thread) much less so.
 */
public final class DocumentConversionBenchmark {

    private DocumentConversionBenchmark() {}

    public static void main(String[] args) throws IOException {
        int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        DocumentConverter converter = DocumentConverter.create(ConversionLimits.defaults());
        String readme = Files.readString(DocumentConverterTest.projectRoot().resolve("README.md"));

        System.out.printf(Locale.ROOT, "%-28s %6s %9s %11s %11s %11s%n", "document", "pages", "pdf bytes", "wall ms", "cpu ms", "cpu ms/page");
        measure(converter, "README.md (markdown)", request(readme, SourceFormat.MARKDOWN), warmUp, runs);
        measure(converter, "1-page note (markdown)", request("# Note\n\nΚαλημέρα → ✓ Ω, a short note.\n", SourceFormat.MARKDOWN), warmUp, runs);
        measure(converter, "prose, 400 paragraphs (md)", request(prose(400), SourceFormat.MARKDOWN), warmUp / 4 + 1, runs / 4 + 1);
        measure(converter, "table, 500 rows (html)", request(table(500), SourceFormat.HTML), warmUp / 4 + 1, runs / 4 + 1);
        measure(converter, "plain text, 2000 lines", request(lines(2000), SourceFormat.TEXT), warmUp / 4 + 1, runs / 4 + 1);
    }

    private static void measure(DocumentConverter converter, String name, ConversionRequest request, int warmUp, int runs) {
        for (int i = 0; i < warmUp; i++) {
            converter.convert(request);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long wall = 0;
        long cpu = 0;
        RenderedPdf pdf = null;
        for (int i = 0; i < runs; i++) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long wallStart = System.nanoTime();
            pdf = converter.convert(request);
            wall += System.nanoTime() - wallStart;
            cpu += threads.getCurrentThreadCpuTime() - cpuStart;
        }
        double wallMs = wall / 1e6 / runs;
        double cpuMs = cpu / 1e6 / runs;
        System.out.printf(Locale.ROOT, "%-28s %6d %9d %11.1f %11.1f %11.1f%n", name, pdf.pages(), pdf.bytes().length, wallMs, cpuMs,
                cpuMs / pdf.pages());
    }

    private static ConversionRequest request(String document, SourceFormat format) {
        return new ConversionRequest(document, format, false, Optional.empty(), PageSize.A4);
    }

    private static String prose(int paragraphs) {
        StringBuilder markdown = new StringBuilder("# A long report\n\n");
        for (int i = 1; i <= paragraphs; i++) {
            if (i % 40 == 0) {
                markdown.append("## Section ").append(i / 40).append("\n\n");
            }
            markdown.append("Paragraph ").append(i).append(": the quick brown fox jumps over the lazy dog, *again* and **again**; ")
                    .append("Съешь же ещё этих мягких французских булок. Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.\n\n");
        }
        return markdown.toString();
    }

    private static String table(int rows) {
        StringBuilder html = new StringBuilder("<h1>Price list</h1><table><tr><th>#</th><th>Item</th><th>Price</th></tr>");
        for (int i = 1; i <= rows; i++) {
            html.append("<tr><td>").append(i).append("</td><td>Item № ").append(i).append("</td><td>€ ").append(i * 3).append("</td></tr>");
        }
        return html.append("</table>").toString();
    }

    private static String lines(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            text.append(String.format(Locale.ROOT, "%5d  log line with some fields: status=ok latency=%dms%n", i, i % 97));
        }
        return text.toString();
    }
}
