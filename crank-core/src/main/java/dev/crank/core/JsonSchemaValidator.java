package dev.crank.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crank.core.internal.SchemaValidator;
import java.util.List;

/**
 * A compiled JSON Schema (draft 2020-12 unless the schema says otherwise), the same validator the
 * framework runs on capability input; it never loads anything from a URL or a file.
 *
 * <pre>{@code
 * JsonSchemaValidator query = JsonSchemaValidator.of(QUERY_SCHEMA);
 * List<String> errors = query.validate(input);   // "/interval_ms: must have a minimum value of 100", ...
 * }</pre>
 */
public final class JsonSchemaValidator {

    private final SchemaValidator validator;

    private JsonSchemaValidator(SchemaValidator validator) {
        this.validator = validator;
    }

    /** Compiles a schema the program trusts (its own). */
    public static JsonSchemaValidator of(JsonNode schema) {
        return new JsonSchemaValidator(SchemaValidator.compile(requireNonNull(schema, "schema")));
    }

    /** Compiles a schema written as JSON text. */
    public static JsonSchemaValidator of(String schemaJson) {
        return of(CrankJson.parse(requireNonNull(schemaJson, "schemaJson")));
    }

    /** Every violation, as {@code /pointer: message}, sorted; empty when {@code document} is valid. */
    public List<String> validate(JsonNode document) {
        return validator.validate(requireNonNull(document, "document"));
    }
}
