package dev.crank.core.internal;

import dev.crank.core.CrankClient;
import dev.crank.core.WorkerConfig;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A worker's {@link ControllerLink}, scheduled on {@link WorkerConfig#scheduler()} or, when none is given, on a
 * daemon thread of its own that {@link #stop(Duration)} shuts down.
 */
public final class ControllerConnection {

    private final ControllerLink link;
    private final Optional<ScheduledExecutorService> ownScheduler;

    private ControllerConnection(ControllerLink link, Optional<ScheduledExecutorService> ownScheduler) {
        this.link = link;
        this.ownScheduler = ownScheduler;
    }

    /** Starts registering in the background; {@code reports} gives the bodies and learns of the link. */
    public static ControllerConnection open(WorkerConfig config, CrankClient client, WorkerReports reports) {
        Optional<ScheduledExecutorService> own = config.scheduler().isPresent() ? Optional.empty()
                : Optional.of(Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory(config.workerId() + "-controller-link", true)));
        ControllerLink link = new ControllerLink(client, config.controllerUrls(), config.workerId(), reports::registrationBody,
                reports::loadReport, config.heartbeatInterval(), config.registrationTimeout(),
                config.scheduler().or(() -> own).orElseThrow(), ThreadLocalRandom.current());
        reports.linked(link);
        link.start();
        return new ControllerConnection(link, own);
    }

    public ControllerLink link() {
        return link;
    }

    /** Deregisters within {@code budget} and releases the scheduler if it is the connection's own. */
    public void stop(Duration budget) {
        try {
            link.stop(budget);
        } finally {
            ownScheduler.ifPresent(ScheduledExecutorService::shutdownNow);
        }
    }
}
