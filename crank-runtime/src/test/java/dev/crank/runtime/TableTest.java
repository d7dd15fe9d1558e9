package dev.crank.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void alignsColumnsToTheWidestCell() {
        StringWriter out = new StringWriter();
        new Table("A", "BB", "C").row("long-value", 1, "x").row("s", 22222, "").print(new PrintWriter(out, true));

        assertThat(out.toString().lines()).containsExactly(
                "A           BB     C",
                "long-value  1      x",
                "s           22222");
    }

    @Test
    void refusesARowOfTheWrongWidth() {
        assertThatThrownBy(() -> new Table("A", "B").row("only one")).hasMessageContaining("expected: 2");
    }

    @Test
    void heartbeatAgeIsShort() {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");

        assertThat(WorkersCommand.age("2026-01-01T11:59:55Z", now)).isEqualTo("5s ago");
        assertThat(WorkersCommand.age("2026-01-01T11:50:00Z", now)).isEqualTo("10m ago");
        assertThat(WorkersCommand.age("2026-01-01T06:00:00Z", now)).isEqualTo("6h ago");
        assertThat(WorkersCommand.age("not a time", now)).isEqualTo("not a time");
    }
}
