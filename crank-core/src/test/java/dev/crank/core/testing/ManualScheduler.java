package dev.crank.core.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} whose time moves only when the test says so: tasks run on the
 * test's thread, in due order, from {@link #runDue()} or {@link #advance(Duration)}. Other threads
 * (a client's I/O thread completing a future "async on this scheduler") may submit; the test waits for
 * that with {@link #awaitExecutions(int, Duration)}. Periodic scheduling is not supported.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final PriorityQueue<Task<?>> tasks = new PriorityQueue<>();
    private long now;
    private long sequence;
    private int executions;
    private boolean shutdown;

    /** Runs every task due now (also those they schedule with no delay); returns how many ran. */
    public int runDue() {
        int ran = 0;
        for (Task<?> task; (task = nextDue()) != null; ran++) {
            task.run();
        }
        return ran;
    }

    /** Moves time forward by {@code duration}, running each task when its time comes. */
    public int advance(Duration duration) {
        long target = now + duration.toNanos();
        int ran = 0;
        while (true) {
            Task<?> task;
            synchronized (this) {
                task = tasks.peek();
                if (task == null || task.due > target) {
                    now = target;
                    break;
                }
                tasks.poll();
                now = Math.max(now, task.due);
            }
            task.run();
            ran++;
        }
        return ran + runDue();
    }

    /**
     * Waits (really) until {@link #execute} has been called {@code count} times in all, from any thread:
     * how a test knows that an answer completed on a client's I/O thread has reached this scheduler, also
     * when a run of due tasks took care of it already.
     */
    public synchronized void awaitExecutions(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (executions < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("execute() was called " + executions + " times within " + timeout + ", not " + count
                        + "; pending: " + pendingDelays());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** The delays from now of the tasks not run yet, soonest first (cancelled ones excluded). */
    public synchronized List<Duration> pendingDelays() {
        List<Task<?>> sorted = new ArrayList<>(tasks);
        sorted.sort(null);
        List<Duration> delays = new ArrayList<>();
        for (Task<?> task : sorted) {
            if (!task.isCancelled()) {
                delays.add(Duration.ofNanos(task.due - now));
            }
        }
        return delays;
    }

    private synchronized Task<?> nextDue() {
        Task<?> task = tasks.peek();
        if (task == null || task.due > now) {
            return null;
        }
        return tasks.poll();
    }

    private synchronized <V> Task<V> add(Task<V> task) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        tasks.add(task);
        notifyAll();
        return task;
    }

    @Override
    public void execute(Runnable command) {
        add(new Task<>(Executors.callable(command), 0));
        synchronized (this) {
            executions++;
            notifyAll();
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(new Task<>(Executors.callable(command), unit.toNanos(delay)));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(new Task<>(callable, unit.toNanos(delay)));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("periodic tasks");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("periodic tasks");
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(tasks);
        tasks.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && tasks.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        final long due;
        final long order;

        Task(Callable<V> callable, long delay) {
            super(callable);
            synchronized (ManualScheduler.this) {
                this.due = now + Math.max(0, delay);
                this.order = sequence++;
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (ManualScheduler.this) {
                return unit.convert(due - now, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed other) {
            Task<?> that = (Task<?>) other;
            return due != that.due ? Long.compare(due, that.due) : Long.compare(order, that.order);
        }
    }
}
