package dev.crank.workers.helloworld;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankJson;
import dev.crank.core.CrankResponse;
import dev.crank.core.Routes;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code greet:hello_world}: greets a message, optionally reversed (by user-perceived characters,
 * so an emoji keeps its skin tone), upper-cased and with 0-10 exclamation marks. Input and output
 * are records ({@link GreetInput}, {@link Greeting}); the schemas it publishes are generated from them.
 */
public final class HelloWorldWorker extends WorkerApplication {

    public static final String WORKER_ID = "crank-hello-world";
    public static final int DEFAULT_PORT = 8500;
    public static final String CAPABILITY = "greet:hello_world";

    private static final Pattern GRAPHEME = Pattern.compile("\\X");

    private final AtomicLong totalGreetings = new AtomicLong();

    public HelloWorldWorker(WorkerConfig config) {
        super(config);
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of(CapabilitySchema.builder("greet", "hello_world")
                .version("1.0.0")
                .description("Greets a message, optionally reversed, upper-cased and with exclamation marks")
                .inputSchema(GreetInput.class)
                .outputSchema(Greeting.class)
                .idempotent(true)
                .maxConcurrency(64)
                .tags("demo")
                .build());
    }

    @Override
    protected void configure(Routes routes) {
        routes.capability(CAPABILITY, GreetInput.class, (input, request) -> greet(input))
                .get("/stats", request -> CrankResponse.json(CrankJson.object()
                        .put("total_greetings", totalGreetings.get())
                        .put("worker_id", workerId())));
    }

    private Greeting greet(GreetInput input) {
        long started = System.nanoTime();
        String message = input.message().strip();
        GreetInput.Options options = input.optionsOrDefaults();

        List<String> applied = new ArrayList<>();
        String processed = message;
        if (options.reverse()) {
            processed = reverseGraphemes(processed);
            applied.add("reverse");
        }
        if (options.uppercase()) {
            processed = processed.toUpperCase(Locale.ROOT);
            applied.add("uppercase");
        }
        applied.add("exclamations:" + options.exclamations());
        String greeting = "Hello, " + processed + "!".repeat(options.exclamations());
        Greeting.Metadata metadata = new Greeting.Metadata(totalGreetings.incrementAndGet(), applied, graphemes(message).size());
        return new Greeting(greeting, metadata, (System.nanoTime() - started) / 1_000_000.0);
    }

    /** Reverses by extended grapheme clusters: "héllo👋🏽" becomes "👋🏽olléh". */
    static String reverseGraphemes(String text) {
        List<String> clusters = graphemes(text);
        StringBuilder reversed = new StringBuilder(text.length());
        for (int i = clusters.size() - 1; i >= 0; i--) {
            reversed.append(clusters.get(i));
        }
        return reversed.toString();
    }

    private static List<String> graphemes(String text) {
        List<String> clusters = new ArrayList<>();
        Matcher matcher = GRAPHEME.matcher(text);
        while (matcher.find()) {
            clusters.add(matcher.group());
        }
        return clusters;
    }
}
