package dev.crank.bench;

import dev.crank.core.TlsMaterial;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Loads a running platform: {@code load --url https://localhost:9000 --path /route --body '{...}'}.
 * {@code {seq}} in the body is replaced by the request number (distinct worker ids, for instance).
 * The client presents {@code <pki>/<identity>.crt} (default {@code crank-data/pki/admin.crt}).
 */
final class LoadCommand {

    private LoadCommand() {}

    static void run(Args args) throws IOException, InterruptedException {
        URI url = URI.create(args.string("url", "https://localhost:9000"));
        String path = args.string("path", url.getRawPath() == null || url.getRawPath().isEmpty() ? "/health" : url.getRawPath());
        String method = args.string("method", args.optional("body").isPresent() || args.optional("body-file").isPresent() ? "POST" : "GET");
        String body = args.optional("body-file").map(file -> {
            try {
                return Files.readString(Path.of(file));
            } catch (IOException e) {
                throw new IllegalArgumentException("--body-file: cannot read " + file, e);
            }
        }).orElse(args.string("body", ""));
        String contentType = args.string("content-type", body.isEmpty() ? "" : "application/json");
        Path pkiDir = Path.of(args.string("pki", "crank-data/pki"));
        String identity = args.string("identity", "admin");
        TlsMaterial tls = new TlsMaterial(pkiDir.resolve(identity + ".crt"), pkiDir.resolve(identity + ".key"), pkiDir.resolve("ca.crt"))
                .verifyReadable();
        int connections = args.integer("connections", 16);
        double rate = args.number("rate", 0);
        Duration warmup = args.duration("warmup", Duration.ofSeconds(5));
        Duration duration = args.duration("duration", Duration.ofSeconds(30));
        Duration timeout = args.duration("timeout", Duration.ofSeconds(30));
        int threads = args.integer("client-threads", 1);
        String[] parts = body.split("\\{seq}", -1);
        LoadGenerator.RequestSource source = seq -> {
            String text = parts.length == 1 ? body : String.join(Long.toString(seq), parts);
            return new LoadGenerator.Request(method, path, contentType, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        };
        Harness.header("load " + method + " " + url.resolve(path), String.format("connections=%d rate=%s warmup=%s duration=%s threads=%d",
                connections, rate == 0 ? "closed-loop" : rate + "/s", warmup, duration, threads));
        try (LoadGenerator generator = LoadGenerator.create(url, tls, threads)) {
            LoadGenerator.Options options = new LoadGenerator.Options(connections, warmup, duration, rate, args.integer("max-requests", 0), timeout);
            LoadGenerator.Result result = generator.run(source, options);
            Harness.result("load", "%s", result.summary());
        }
    }
}
