package dev.crank.workers.zettel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZettelIdsTest {

    @Test
    void generatedIdsAreUniqueAndIncreasingAcrossThreadsEvenWithAFrozenClock() throws Exception {
        ZettelIds ids = new ZettelIds();
        Instant frozen = Instant.parse("2026-11-15T10:30:45.123Z");
        Set<String> all = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    String previous = "";
                    for (int i = 0; i < 5_000; i++) {
                        String id = ids.next(frozen);
                        if (id.compareTo(previous) <= 0 || !all.add(id) || !ZettelIds.isValid(id)) {
                            return false;
                        }
                        previous = id;
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(all).hasSize(40_000).contains("20261115T103045123Z-0000", "20261115T103045126Z-9999");
    }

    @Test
    void idsSortByCreationTime() {
        ZettelIds ids = new ZettelIds();
        String first = ids.next(Instant.parse("2026-11-15T10:30:45.123Z"));
        String second = ids.next(Instant.parse("2026-11-15T10:30:46Z"));
        String stepBack = ids.next(Instant.parse("2026-11-15T10:00:00Z"));

        assertThat(first).isEqualTo("20261115T103045123Z-0000");
        assertThat(second).isEqualTo("20261115T103046000Z-0000");
        assertThat(stepBack).isGreaterThan(second);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "../x", "a\\b", "a b", "a\n", "%2e%2e", "\u00e9", "a:b"})
    void refusesIdsThatAreInvalidOrEscape(String id) {
        assertThat(ZettelIds.isValid(id)).isFalse();
    }

    @Test
    void acceptsTheFullAlphabetAndLength() {
        assertThat(ZettelIds.isValid("Az09._-")).isTrue();
        assertThat(ZettelIds.isValid("...")).isTrue();
        assertThat(ZettelIds.isValid("x".repeat(128))).isTrue();
        assertThat(ZettelIds.isValid("x".repeat(129))).isFalse();
    }
}
