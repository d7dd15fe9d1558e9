package com.example.textstats;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The JSON input of {@code analyze:text_stats}: {@code {"text": "...", "words_per_minute": 238}}. */
public record TextStatsInput(
        @NotNull @Size(min = 1, max = TextStatsWorker.MAX_CHARACTERS) String text,
        @Min(50) @Max(1000) @JsonProperty(defaultValue = "238") Integer wordsPerMinute) {

    public TextStatsInput {
        wordsPerMinute = wordsPerMinute == null ? TextStats.DEFAULT_WORDS_PER_MINUTE : wordsPerMinute;
    }
}
