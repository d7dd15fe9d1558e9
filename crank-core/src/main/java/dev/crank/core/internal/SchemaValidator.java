package dev.crank.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.Set;

/** A compiled JSON Schema (draft 2020-12 unless the schema says otherwise). */
public final class SchemaValidator {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(com.networknt.schema.PathType.JSON_POINTER)
            .build();

    private final JsonSchema schema;

    private SchemaValidator(JsonSchema schema) {
        this.schema = schema;
    }

    public static SchemaValidator compile(JsonNode schema) {
        JsonSchema compiled = FACTORY.getSchema(schema, CONFIG);
        compiled.initializeValidators();
        return new SchemaValidator(compiled);
    }

    /** Every violation, as {@code /pointer: message}; empty when {@code document} is valid. */
    public List<String> validate(JsonNode document) {
        Set<ValidationMessage> messages = schema.validate(document);
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
