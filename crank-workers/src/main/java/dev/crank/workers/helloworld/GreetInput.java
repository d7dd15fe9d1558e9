package dev.crank.workers.helloworld;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Optional;

/**
 * The input of {@code greet:hello_world}; its JSON Schema is generated from this record.
 * {@code @Pattern} is a JSON Schema pattern (it matches anywhere): {@code \S} means "not blank".
 */
public record GreetInput(
        @NotNull @Size(min = 1, max = 10_000) @Pattern(regexp = "\\S")
        @JsonPropertyDescription("Text to greet; not blank after trimming")
        String message,
        Options options) {

    /** How to greet; every option may be left out. */
    public record Options(
            @JsonProperty(defaultValue = "false") Boolean uppercase,
            @JsonProperty(defaultValue = "false") Boolean reverse,
            @Min(0) @Max(10) @JsonProperty(defaultValue = "1") Integer exclamations) {

        static final Options DEFAULTS = new Options(false, false, 1);

        public Options {
            uppercase = uppercase != null && uppercase;
            reverse = reverse != null && reverse;
            exclamations = exclamations == null ? 1 : exclamations;
        }
    }

    /** The options given, with defaults for those left out. */
    public Options optionsOrDefaults() {
        return Optional.ofNullable(options).orElse(Options.DEFAULTS);
    }
}
