package dev.crank.workers.helloworld;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;

/** The answer of {@code greet:hello_world}; its JSON Schema is generated from this record. */
public record Greeting(
        @NotNull String greeting,
        @NotNull Metadata metadata,
        @PositiveOrZero double processingTimeMs) {

    /** What was done. */
    public record Metadata(
            @Min(1) long totalGreetings,
            @NotNull List<String> optionsApplied,
            @Min(1) int characterCount) {

        public Metadata {
            optionsApplied = List.copyOf(optionsApplied);
        }
    }
}
