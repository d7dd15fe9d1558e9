package dev.crank.workers.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {

    @Test
    void gathersWaitingItemsIntoOneBatchUpToTheMaximum() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try (MicroBatcher<Integer, Integer> batcher = new MicroBatcher<>("test", 4, Duration.ofMillis(200), 100, items -> {
            awaitQuietly(release);
            sizes.add(items.size());
            return items.stream().map(i -> i * 10).toList();
        })) {
            List<CompletableFuture<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                results.add(batcher.submit(i));
            }
            release.countDown();

            for (int i = 0; i < 10; i++) {
                assertThat(results.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(i * 10);
            }
            assertThat(sizes).allMatch(size -> size <= 4);
            assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
            assertThat(batcher.largestBatch()).isEqualTo(4);
            assertThat(batcher.batches()).isEqualTo(sizes.size());
        }
    }

    @Test
    void runsALoneItemAfterTheWait() throws Exception {
        try (MicroBatcher<String, String> batcher = new MicroBatcher<>("test", 32, Duration.ofMillis(20), 10,
                items -> items.stream().map(String::toUpperCase).toList())) {
            assertThat(batcher.submit("a").get(5, TimeUnit.SECONDS)).isEqualTo("A");
            assertThat(batcher.batches()).isEqualTo(1);
            assertThat(batcher.largestBatch()).isEqualTo(1);
        }
    }

    @Test
    void failsEveryItemOfAFailedBatch() {
        try (MicroBatcher<Integer, Integer> batcher = new MicroBatcher<>("test", 8, Duration.ofMillis(50), 10, items -> {
            throw new IllegalStateException("model broke");
        })) {
            CompletableFuture<Integer> a = batcher.submit(1);
            CompletableFuture<Integer> b = batcher.submit(2);

            assertThatThrownBy(() -> a.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasMessageContaining("model broke");
            assertThatThrownBy(() -> b.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasMessageContaining("model broke");
        }
    }

    @Test
    void rejectsWhenTheQueueIsFullOrClosed() {
        CountDownLatch release = new CountDownLatch(1);
        MicroBatcher<Integer, Integer> batcher = new MicroBatcher<>("test", 1, Duration.ZERO, 1, items -> {
            awaitQuietly(release);
            return items;
        });
        batcher.submit(1);
        List<CompletableFuture<Integer>> extra = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            extra.add(batcher.submit(i));
        }
        assertThat(extra).anyMatch(f -> f.isCompletedExceptionally());
        release.countDown();
        batcher.close();

        assertThatThrownBy(() -> batcher.submit(9).join()).hasCauseInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void describesItsFigures() throws Exception {
        try (MicroBatcher<Integer, Integer> batcher = new MicroBatcher<>("test", 32, Duration.ofMillis(5), 10, items -> items)) {
            batcher.submit(1).get(5, TimeUnit.SECONDS);
            ObjectNode json = CrankJson.object();
            batcher.describe(json);

            assertThat(json.get("max_batch").asInt()).isEqualTo(32);
            assertThat(json.get("max_wait_ms").asDouble()).isEqualTo(5.0);
            assertThat(json.get("batches").asLong()).isEqualTo(1);
            assertThat(json.get("images").asLong()).isEqualTo(1);
            assertThat(json.get("max_batch_size").asLong()).isEqualTo(1);
        }
    }

    @Test
    void refusesNonsenseOptions() {
        assertThatThrownBy(() -> new MicroBatcher<Integer, Integer>("t", 0, Duration.ZERO, 1, items -> items))
                .hasMessageContaining("maxBatch: 0");
        assertThatThrownBy(() -> new MicroBatcher<Integer, Integer>("t", 1, Duration.ofMillis(-1), 1, items -> items))
                .hasMessageContaining("maxWait");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
