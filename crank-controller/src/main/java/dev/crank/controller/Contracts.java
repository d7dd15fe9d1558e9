package dev.crank.controller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankException;
// internal: compileUntrusted (meta-schema check, reference allow-list) is the controller's alone, not worker API
import dev.crank.core.internal.SchemaValidator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The capability contracts the controller enforces. A registration's schemas are compiled first,
 * outside any lock (an invalid one is a 400); then, under the registry's membership lock, cheap checks
 * against the providers already registered: one major version per capability while it has providers
 * (else 409 {@code VERSION_CONFLICT}), and one input schema per major version (else 409
 * {@code SCHEMA_CONFLICT}). So every provider of a capability accepts the same input, and the gateway
 * validates a call once, before it takes a slot on any worker.
 */
final class Contracts {

    /** A registration whose schemas compiled; its input validators are published when it is accepted. */
    record Compiled(List<CapabilitySchema> capabilities, Map<String, SchemaValidator> inputs) {}

    private static final int MAX_CACHED = 4096;

    private final Map<String, SchemaValidator> inputs = new ConcurrentHashMap<>();
    /** By the schema itself (JSON equality, no serialisation per lookup); the keys are copies nobody else holds. */
    private final Map<JsonNode, SchemaValidator> compiled = new ConcurrentHashMap<>();

    /** Compiles every input and output schema of a registration (400 {@code INVALID_SCHEMA}). */
    Compiled compile(List<CapabilitySchema> capabilities) {
        Map<String, SchemaValidator> validators = new HashMap<>();
        for (CapabilitySchema capability : capabilities) {
            validators.put(capability.key(), compile(capability.key(), "input_schema", capability.inputSchema()));
            compile(capability.key(), "output_schema", capability.outputSchema());
        }
        return new Compiled(List.copyOf(capabilities), Map.copyOf(validators));
    }

    /**
     * Checks a compiled registration against the other providers of its capabilities (the registry's
     * writer calls it with the registry as it will be), then {@link #publish} it once it is durable.
     */
    void check(String workerId, Compiled registration, Function<String, Optional<RegisteredWorker>> anotherProvider) {
        for (CapabilitySchema capability : registration.capabilities()) {
            // Every provider of a capability agrees with every other (this check), so one is enough.
            Optional<RegisteredWorker> found = anotherProvider.apply(capability.key());
            if (found.isPresent()) {
                RegisteredWorker other = found.get();
                Optional<CapabilitySchema> existing = other.capability(capability.key());
                if (existing.get().majorVersion() != capability.majorVersion()) {
                    throw CrankException.conflict("VERSION_CONFLICT", capability.key() + " " + capability.version()
                            + " is a different major version than " + existing.get().version() + " offered by " + other.workerId()
                            + "; a capability has one major version while it has providers");
                }
                if (!existing.get().inputSchema().equals(capability.inputSchema())) {
                    throw CrankException.conflict("SCHEMA_CONFLICT", capability.key() + " " + capability.version()
                            + " declares a different input_schema than " + other.workerId() + " (" + existing.get().version()
                            + "); workers of one major version must accept the same input");
                }
            }
        }
    }

    /** Forgets the input schema of a capability that no worker offers any more. */
    void forget(String key) {
        inputs.remove(key);
    }

    /** Makes an accepted registration's input schemas the ones calls are validated against. */
    void publish(Compiled registration) {
        inputs.putAll(registration.inputs());
    }

    /** Validates {@code input} against the input schema of {@code key} (400 {@code INVALID_INPUT}); no-op for an unknown key. */
    void validate(String key, JsonNode input) {
        SchemaValidator validator = inputs.get(key);
        if (validator == null) {
            return;
        }
        List<String> violations = validator.validate(input);
        if (!violations.isEmpty()) {
            throw CrankException.invalid("INVALID_INPUT", "The input does not match the input schema of " + key, violations);
        }
    }

    /** Identical schemas (most registrations repeat the one before) are compiled once; the cache is bounded. */
    private SchemaValidator compile(String key, String field, JsonNode schema) {
        SchemaValidator cached = compiled.get(schema);
        if (cached != null) {
            return cached;
        }
        SchemaValidator validator;
        try {
            validator = SchemaValidator.compileUntrusted(schema);
        } catch (IllegalArgumentException e) {
            throw CrankException.badRequest("INVALID_SCHEMA", key + " " + field + ": " + e.getMessage());
        }
        if (compiled.size() >= MAX_CACHED) {
            compiled.clear();
        }
        compiled.put(schema.deepCopy(), validator);
        return validator;
    }
}
