package dev.crank.core.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.ClientResponse;
import dev.crank.core.CrankClient;
import dev.crank.core.RegistrationState;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's side of the controller protocol. Registers (retrying with backoff capped at the
 * heartbeat interval), heartbeats every interval ±10 %, re-registers at once when a heartbeat
 * answers 404, and deregisters on stop. Every step runs on one scheduler thread; nothing it does
 * can throw into the worker or block a request.
 *
 * <p>With several controllers (sharing one registry) it talks to one at a time and moves to the
 * next, in list order, as soon as the current one is unreachable or answers 5xx: a heartbeat is sent
 * there at once, without registering again (the registration lives in the shared store). Only a 404
 * means registering again, as with one controller. Deregistration tries each controller in turn.
 */
public final class ControllerLink {

    private static final Logger logger = LoggerFactory.getLogger(ControllerLink.class);
    private static final Duration INITIAL_BACKOFF = Duration.ofMillis(100);

    private final CrankClient client;
    private final List<URI> controllers;
    private volatile int current;
    private final String workerId;
    private final Supplier<ObjectNode> registration;
    private final Supplier<ObjectNode> load;
    private final Duration heartbeatInterval;
    private final Duration registrationTimeout;
    private final ScheduledExecutorService scheduler;
    private final RandomGenerator random;
    private final Backoff backoff;
    private final AtomicLong registrations = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicLong failovers = new AtomicLong();
    private volatile boolean attempted;
    private volatile RegistrationState state = RegistrationState.REGISTERING;
    private volatile boolean stopped;
    private int failures;
    private int missed;
    private ScheduledFuture<?> next;

    public ControllerLink(CrankClient client, List<URI> controllers, String workerId, Supplier<ObjectNode> registration,
                          Supplier<ObjectNode> load, Duration heartbeatInterval, Duration registrationTimeout,
                          ScheduledExecutorService scheduler, RandomGenerator random) {
        this.client = client;
        if (controllers.isEmpty()) {
            throw new IllegalArgumentException("controllers: none (expected: at least one https URL)");
        }
        this.controllers = List.copyOf(controllers);
        this.workerId = workerId;
        this.registration = registration;
        this.load = load;
        this.heartbeatInterval = heartbeatInterval;
        this.registrationTimeout = registrationTimeout;
        this.scheduler = scheduler;
        this.random = random;
        this.backoff = new Backoff(INITIAL_BACKOFF, heartbeatInterval, random);
    }

    public void start() {
        schedule(this::register, Duration.ZERO);
    }

    /** The controller this worker talks to now. */
    public URI controller() {
        return controllers.get(current);
    }

    /** Times this worker moved to another controller. */
    public long failovers() {
        return failovers.get();
    }

    public RegistrationState state() {
        return state;
    }

    /** Successful registrations so far (the first one included). */
    public long registrations() {
        return registrations.get();
    }

    /** Heartbeats the controller acknowledged. */
    public long heartbeats() {
        return heartbeats.get();
    }

    /**
     * Stops the loop and deregisters within {@code budget}, also when a registration was sent but
     * not yet acknowledged (the controller may have accepted it).
     */
    public void stop(Duration budget) {
        stopped = true;
        scheduler.execute(() -> {
            if (next != null) {
                next.cancel(false);
            }
        });
        if (!attempted) {
            return; // the controller has never heard of this worker
        }
        long deadline = System.nanoTime() + budget.toNanos();
        ObjectNode body = Json.object().put("worker_id", workerId);
        for (int i = 0; i < controllers.size(); i++) {
            URI controller = controllers.get((current + i) % controllers.size());
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Duration timeout = Duration.ofNanos(Math.min(left, registrationTimeout.toNanos()));
            try {
                ClientResponse response = client.postJson(controller.resolve("/deregister"), body, timeout)
                        .get(timeout.toMillis() + 100, TimeUnit.MILLISECONDS);
                if (response.status() == 200 || response.status() == 404) {
                    state = RegistrationState.DEREGISTERED;
                    logger.info("Deregistered {} from {}", workerId, controller);
                    return;
                }
                logger.warn("Deregistration of {} answered {}: {}", workerId, response.status(), response.bodyText());
                if (response.status() < 500) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                logger.warn("Deregistration of {} from {} failed: {}", workerId, controller, rootMessage(e));
            }
        }
    }

    private void register() {
        state = RegistrationState.REGISTERING;
        attempted = true;
        URI controller = controller();
        client.postJson(controller.resolve("/register"), registration.get(), registrationTimeout)
                .whenCompleteAsync((response, error) -> {
                    if (stopped) {
                        return;
                    }
                    if (error == null && response.status() == 200) {
                        failures = 0;
                        registrations.incrementAndGet();
                        state = RegistrationState.REGISTERED;
                        logger.info("Registered {} with {}", workerId, controller);
                        scheduleHeartbeat();
                        return;
                    }
                    failures++;
                    if (unavailable(response, error)) {
                        moveOn(controller);
                    }
                    Duration delay = backoff.delay(failures);
                    String reason = error != null ? rootMessage(error) : "HTTP " + response.status() + " " + response.bodyText();
                    if (failures == 1 || failures % 10 == 0) {
                        logger.warn("Registration of {} with {} failed (attempt {}): {}; retrying in {} ms",
                                workerId, controller, failures, reason, delay.toMillis());
                    } else {
                        logger.debug("Registration attempt {} failed: {}", failures, reason);
                    }
                    schedule(this::register, delay);
                }, scheduler);
    }

    private void heartbeat() {
        ObjectNode body = Json.object().put("worker_id", workerId);
        body.set("load", load.get());
        URI controller = controller();
        client.postJson(controller.resolve("/heartbeat"), body, registrationTimeout)
                .whenCompleteAsync((response, error) -> {
                    if (stopped) {
                        return;
                    }
                    if (error == null && response.status() == 404) {
                        logger.warn("Controller {} no longer knows {}; registering again", controller, workerId);
                        register();
                        return;
                    }
                    if (error == null && response.status() == 200) {
                        heartbeats.incrementAndGet();
                        missed = 0;
                        scheduleHeartbeat();
                        return;
                    }
                    logger.warn("Heartbeat of {} to {} failed: {}", workerId, controller,
                            error != null ? rootMessage(error) : "HTTP " + response.status());
                    if (unavailable(response, error) && controllers.size() > 1 && ++missed < controllers.size()) {
                        moveOn(controller);
                        schedule(this::heartbeat, Duration.ZERO); // the registration is shared: just heartbeat there
                        return;
                    }
                    if (unavailable(response, error)) {
                        moveOn(controller); // every controller failed this round: the next round starts elsewhere
                    }
                    missed = 0;
                    scheduleHeartbeat();
                }, scheduler);
    }

    private static boolean unavailable(ClientResponse response, Throwable error) {
        return error != null || response.status() >= 500;
    }

    /** The next controller in the list, if {@code failed} is still the current one. */
    private void moveOn(URI failed) {
        if (controllers.size() < 2 || !controllers.get(current).equals(failed)) {
            return;
        }
        current = (current + 1) % controllers.size();
        failovers.incrementAndGet();
        logger.warn("Controller {} is unavailable; {} moves to {}", failed, workerId, controllers.get(current));
    }

    private void scheduleHeartbeat() {
        schedule(this::heartbeat, Backoff.jitter(heartbeatInterval, 0.1, random));
    }

    private void schedule(Runnable step, Duration delay) {
        if (stopped || scheduler.isShutdown()) {
            return;
        }
        Runnable guarded = () -> {
            if (stopped) {
                return;
            }
            try {
                step.run();
            } catch (RuntimeException e) {
                logger.error("Controller link step failed; retrying at the next interval", e);
                schedule(step, heartbeatInterval);
            }
        };
        next = scheduler.schedule(guarded, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
