package dev.crank.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hottest methods of a JFR recording (JDK 17 has no {@code jfr view}): CPU samples
 * ({@code jdk.ExecutionSample}) and threads in native code ({@code jdk.NativeMethodSample}, e.g. an
 * fsync), by top frame (self) and by the first {@code dev.crank} frame on the stack (inclusive).
 */
final class JfrTop {

    private JfrTop() {}

    static void run(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: jfr-top FILE.jfr [TOP]");
        }
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        for (String type : List.of("jdk.ExecutionSample", "jdk.NativeMethodSample")) {
            Map<String, Integer> self = new HashMap<>();
            Map<String, Integer> crank = new HashMap<>();
            int total = 0;
            for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
                if (!event.getEventType().getName().equals(type) || event.getStackTrace() == null) {
                    continue;
                }
                if (type.equals("jdk.NativeMethodSample") && event.getThread("sampledThread") != null
                        && !event.getThread("sampledThread").getJavaName().matches(".*(handler|io|sweeper|controller).*")) {
                    continue; // idle pollers (epoll_wait of the load generator, JFR itself) drown the signal
                }
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                total++;
                self.merge(name(frames.get(0)), 1, Integer::sum);
                for (RecordedFrame frame : frames) {
                    String name = name(frame);
                    if (name.startsWith("dev.crank.") && !name.startsWith("dev.crank.bench.")) {
                        crank.merge(name, 1, Integer::sum);
                        break;
                    }
                }
            }
            System.out.printf("%n== %s: %d samples; top frames (self)%n", type, total);
            print(self, total, top);
            System.out.printf("-- first dev.crank frame on the stack (inclusive)%n");
            print(crank, total, top);
        }
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(Map<String, Integer> counts, int total, int top) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(entry -> System.out.printf("%6.1f%%  %6d  %s%n", 100.0 * entry.getValue() / Math.max(1, total), entry.getValue(), entry.getKey()));
    }
}
