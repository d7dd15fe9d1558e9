package dev.crank.workers.image;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic micro-batching: callers {@link #submit} one item each from their own threads; one
 * dispatcher thread takes the first waiting item, then gathers more until the batch holds
 * {@code maxBatch} items or {@code maxWait} has passed since that first item, and runs the batch
 * function once for all of them. A lone request thus waits at most {@code maxWait}; under load,
 * batches fill up and one forward pass serves many requests.
 *
 * <pre>{@code
 * MicroBatcher<float[], List<Prediction>> batcher =
 *         new MicroBatcher<>("gpu-batcher", 32, Duration.ofMillis(5), 256, model::classify);
 * List<Prediction> answer = batcher.submit(input).join();
 * }</pre>
 */
public final class MicroBatcher<I, O> implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(MicroBatcher.class);

    private record Pending<I, O>(I item, CompletableFuture<O> result) {}

    private final int maxBatch;
    private final Duration maxWait;
    private final Function<List<I>, List<O>> batchFunction;
    private final BlockingQueue<Pending<I, O>> queue;
    private final Thread dispatcher;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong items = new AtomicLong();
    private final AtomicLong largest = new AtomicLong();
    private final AtomicLong busyNanos = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param maxBatch most items per batch (1 to 4096)
     * @param maxWait longest a batch waits for more items after its first one arrived
     * @param queueCapacity items that may wait; a full queue rejects at once
     * @param batchFunction returns one output per input, in order
     */
    public MicroBatcher(String name, int maxBatch, Duration maxWait, int queueCapacity, Function<List<I>, List<O>> batchFunction) {
        if (maxBatch < 1 || maxBatch > 4096) {
            throw new IllegalArgumentException("maxBatch: " + maxBatch + " (expected: 1-4096)");
        }
        requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait: " + maxWait + " (expected: >= 0)");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity: " + queueCapacity + " (expected: >= 1)");
        }
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
        this.batchFunction = requireNonNull(batchFunction, "batchFunction");
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.dispatcher = new Thread(this::dispatch, requireNonNull(name, "name"));
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
    }

    /** Queues {@code item}; the future completes when its batch has run. */
    public CompletableFuture<O> submit(I item) {
        CompletableFuture<O> result = new CompletableFuture<>();
        if (closed || !queue.offer(new Pending<>(requireNonNull(item, "item"), result))) {
            result.completeExceptionally(new RejectedExecutionException(closed ? "the batcher is closed" : "the batch queue is full"));
        }
        return result;
    }

    private void dispatch() {
        List<Pending<I, O>> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWait.toNanos();
                while (batch.size() < maxBatch) {
                    long remaining = deadline - System.nanoTime();
                    Pending<I, O> next = remaining > 0 ? queue.poll(remaining, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                run(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        Pending<I, O> left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new RejectedExecutionException("the batcher is closed"));
        }
    }

    private void run(List<Pending<I, O>> batch) {
        long started = System.nanoTime();
        List<I> inputs = batch.stream().map(Pending::item).toList();
        List<O> outputs = null;
        Throwable failure = null;
        try {
            outputs = batchFunction.apply(inputs);
            if (outputs.size() != inputs.size()) {
                throw new IllegalStateException("the batch function gave " + outputs.size() + " outputs for " + inputs.size() + " inputs");
            }
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // Count the batch before anyone sees its results, so a caller reading the figures sees its own batch.
        busyNanos.addAndGet(System.nanoTime() - started);
        batches.incrementAndGet();
        items.addAndGet(batch.size());
        largest.accumulateAndGet(batch.size(), Math::max);
        if (failure != null) {
            logger.warn("A batch of {} failed", batch.size(), failure);
            Throwable cause = failure;
            batch.forEach(pending -> pending.result().completeExceptionally(cause));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(outputs.get(i));
        }
    }

    public long batches() {
        return batches.get();
    }

    public long items() {
        return items.get();
    }

    public long largestBatch() {
        return largest.get();
    }

    /** Batching figures for {@code /status}. */
    public void describe(ObjectNode json) {
        long b = batches.get();
        long i = items.get();
        json.put("max_batch", maxBatch);
        json.put("max_wait_ms", maxWait.toNanos() / 1_000_000.0);
        json.put("batches", b);
        json.put("images", i);
        json.put("max_batch_size", largest.get());
        json.put("mean_batch_size", b == 0 ? 0 : Math.round(i * 100.0 / b) / 100.0);
        json.put("queue_depth", queue.size());
        json.put("forward_ms_total", busyNanos.get() / 1_000_000);
    }

    /** Stops taking items, runs what is queued and ends the dispatcher (waits up to {@code timeout}). */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    public void close(Duration timeout) {
        closed = true;
        try {
            dispatcher.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dispatcher.isAlive()) {
            dispatcher.interrupt();
        }
    }
}
