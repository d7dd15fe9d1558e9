package dev.crank.testing;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankResponse;
import dev.crank.core.Routes;
import dev.crank.core.WorkerApplication;
import dev.crank.core.WorkerConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code convert:upper}: upper-cases {@code text}; the smallest worker the extension can run. */
final class UpperWorker extends WorkerApplication {

    UpperWorker(WorkerConfig config) {
        super(config);
    }

    @Override
    protected List<CapabilitySchema> capabilities() {
        return List.of(CapabilitySchema.builder("convert", "upper").version("1.0.0")
                .inputSchema("""
                        {"type":"object","required":["text"],"properties":{"text":{"type":"string"}}}""")
                .build());
    }

    @Override
    protected void configure(Routes routes) {
        routes.capability("convert:upper", request ->
                CrankResponse.json(Map.of("text", request.json().get("text").asText().toUpperCase(Locale.ROOT))));
    }
}
