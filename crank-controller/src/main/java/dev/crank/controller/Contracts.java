package dev.crank.controller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
import dev.crank.core.internal.SchemaValidator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The capability contracts the controller enforces: schemas are compiled when a worker registers
 * (an invalid one is a 400), workers offering the same {@code verb:name} at the same major version
 * must agree on the input schema (else 409), and JSON input is validated before it is forwarded.
 */
final class Contracts {

    private record Compiled(JsonNode schema, SchemaValidator validator) {}

    private final Map<String, Compiled> inputs = new ConcurrentHashMap<>();

    /** Compiles and checks a registration's capabilities against the workers already registered. */
    void check(String workerId, List<CapabilitySchema> capabilities, List<RegisteredWorker> registered) {
        for (CapabilitySchema capability : capabilities) {
            compile(capability.key(), "input_schema", capability.inputSchema());
            compile(capability.key(), "output_schema", capability.outputSchema());
            for (RegisteredWorker other : registered) {
                if (other.workerId().equals(workerId)) {
                    continue;
                }
                other.capability(capability.key()).ifPresent(existing -> {
                    if (existing.majorVersion() == capability.majorVersion() && !existing.inputSchema().equals(capability.inputSchema())) {
                        throw CrankException.conflict("SCHEMA_CONFLICT", capability.key() + " " + capability.version()
                                + " declares a different input_schema than " + other.workerId() + " (" + existing.version()
                                + "); workers of one major version must accept the same input");
                    }
                });
            }
        }
    }

    /** Validates {@code input} against the input schema of {@code capability} as {@code worker} declared it. */
    void validate(RegisteredWorker worker, String key, JsonNode input) {
        CapabilitySchema capability = worker.capability(key).orElseThrow();
        String cacheKey = key + '@' + capability.majorVersion();
        Compiled compiled = inputs.compute(cacheKey, (k, cached) -> cached != null && cached.schema().equals(capability.inputSchema())
                ? cached : new Compiled(capability.inputSchema(), SchemaValidator.compile(capability.inputSchema())));
        List<String> violations = compiled.validator().validate(input);
        if (!violations.isEmpty()) {
            throw CrankException.invalid("INVALID_INPUT", "The input does not match the input schema of " + key, violations);
        }
    }

    private static void compile(String key, String field, JsonNode schema) {
        try {
            SchemaValidator.compileUntrusted(schema);
        } catch (IllegalArgumentException e) {
            throw CrankException.badRequest("INVALID_SCHEMA", key + " " + field + ": " + e.getMessage());
        }
    }
}
