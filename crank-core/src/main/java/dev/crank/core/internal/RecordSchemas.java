package dev.crank.core.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationOption;

/**
 * JSON Schemas (draft 2020-12) generated from records, with the names the one mapper writes
 * (snake_case unless {@code @JsonProperty("...")} says otherwise). Required: components of a primitive
 * type and those marked {@code @NotNull}, {@code @NotEmpty} or {@code @NotBlank}. Constraints come from
 * Bean Validation annotations ({@code @Size}, {@code @Pattern}, {@code @Min}, {@code @Max}, ...), descriptions
 * from {@code @JsonPropertyDescription}, defaults from {@code @JsonProperty(defaultValue = "<JSON>")}.
 * Objects refuse properties they do not declare.
 */
public final class RecordSchemas {

    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
    private static final SchemaGenerator GENERATOR = generator();

    private RecordSchemas() {}

    public static ObjectNode of(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException("type: " + type.getName() + " (expected: a record)");
        }
        return GENERATOR.generateSchema(type);
    }

    private static SchemaGenerator generator() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(Json.mapper(), SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(new JacksonModule())
                .with(new JakartaValidationModule(JakartaValidationOption.NOT_NULLABLE_FIELD_IS_REQUIRED,
                        JakartaValidationOption.INCLUDE_PATTERN_EXPRESSIONS))
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT);
        config.forFields()
                .withPropertyNameOverrideResolver(RecordSchemas::wireName)
                .withRequiredCheck(field -> field.getType() != null && field.getType().isPrimitive())
                .withDefaultResolver(RecordSchemas::defaultValue);
        return new SchemaGenerator(config.build());
    }

    /** The mapper's snake_case, unless the field or its class names itself. */
    private static String wireName(FieldScope field) {
        JsonProperty property = field.getAnnotationConsideringFieldAndGetter(JsonProperty.class);
        if (property != null && !property.value().isEmpty()) {
            return null;
        }
        if (field.getDeclaringType().getErasedType().isAnnotationPresent(JsonNaming.class)) {
            return null;
        }
        return SNAKE_CASE.translate(field.getDeclaredName());
    }

    private static Object defaultValue(FieldScope field) {
        JsonProperty property = field.getAnnotationConsideringFieldAndGetter(JsonProperty.class);
        if (property == null || property.defaultValue().isEmpty()) {
            return null;
        }
        // A plain Java value: the generator writes strings, numbers and booleans as such.
        return Json.convert(Json.parse(property.defaultValue()), Object.class);
    }
}
