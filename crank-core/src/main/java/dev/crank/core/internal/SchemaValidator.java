package dev.crank.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import java.util.List;
import java.util.Set;

/**
 * A compiled JSON Schema (draft 2020-12 unless the schema says otherwise). Compiling never loads
 * anything but the meta-schemas bundled in the validator's jar: no URL of any scheme is dereferenced,
 * so a registration cannot make the controller dial out or read local files. Regular expressions run
 * on a linear-time engine ({@link LinearRegularExpressions}).
 */
public final class SchemaValidator {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012))
            .schemaLoaders(loaders -> loaders.add(new AllowSchemaLoader(iri -> SchemaReferences.isBundled(iri.toString()))))
            .build();
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .regularExpressionFactory(LinearRegularExpressions.INSTANCE)
            .build();
    private static final JsonSchema META_SCHEMA = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012), CONFIG);

    private final JsonSchema schema;

    private SchemaValidator(JsonSchema schema) {
        this.schema = schema;
    }

    /** Compiles a schema the program trusts (a worker's own). */
    public static SchemaValidator compile(JsonNode schema) {
        JsonSchema compiled = FACTORY.getSchema(schema, CONFIG);
        compiled.initializeValidators();
        return new SchemaValidator(compiled);
    }

    /**
     * Checks {@code schema} against the 2020-12 meta-schema, allows only local references
     * ({@code #...}) and the bundled meta-schemas, and compiles it, regular expressions included; any
     * problem is an {@link IllegalArgumentException} that says what is wrong.
     */
    public static SchemaValidator compileUntrusted(JsonNode schema) {
        SchemaReferences.check(schema);
        List<String> problems = META_SCHEMA.validate(schema).stream().map(ValidationMessage::getMessage).sorted().toList();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("not a valid JSON Schema: " + String.join("; ", problems));
        }
        try {
            return compile(schema);
        } catch (JsonSchemaException | IllegalStateException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot compile the schema: " + e.getMessage(), e);
        }
    }

    /** Every violation, as {@code /pointer: message}; empty when {@code document} is valid. */
    public List<String> validate(JsonNode document) {
        Set<ValidationMessage> messages = schema.validate(document);
        if (messages.isEmpty()) {
            return List.of(); // the usual case: no stream to sort
        }
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
