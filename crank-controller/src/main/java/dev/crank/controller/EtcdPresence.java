package dev.crank.controller;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This controller's key under {@code controllers/}, bound to its own short lease, and a probe once a
 * second that counts the live controllers and tells whether etcd answers at all (else the view is
 * stale). A lost lease (etcd was away longer than its TTL) is granted again.
 */
final class EtcdPresence implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(EtcdPresence.class);
    static final long TTL_SECONDS = 5;
    private static final Duration PROBE = Duration.ofSeconds(1);

    private final KV kv;
    private final Lease leases;
    private final EtcdKeys keys;
    private final String instance;
    private final Duration timeout;
    private final ScheduledExecutorService probe;
    private volatile int controllers = 1;
    private volatile boolean reachable = true;
    private long lease;
    private CloseableClient keepAlive;

    EtcdPresence(KV kv, Lease leases, EtcdKeys keys, String instance, Duration timeout) {
        this.kv = kv;
        this.leases = leases;
        this.keys = keys;
        this.instance = instance;
        this.timeout = timeout;
        this.probe = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "etcd-presence");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Registers this controller (deadline: the call timeout) and starts the probe. */
    void start() {
        announce();
        count();
        probe.scheduleWithFixedDelay(this::tick, PROBE.toMillis(), PROBE.toMillis(), TimeUnit.MILLISECONDS);
    }

    int controllers() {
        return controllers;
    }

    boolean reachable() {
        return reachable;
    }

    private void tick() {
        try {
            boolean present = count();
            if (!present) {
                logger.warn("This controller's lease in etcd was lost; announcing it again");
                announce();
                count();
            }
            if (!reachable) {
                logger.info("etcd answers again");
            }
            reachable = true;
        } catch (RuntimeException e) {
            if (reachable) {
                logger.warn("etcd does not answer; routing from the last view, registrations answer 503: {}", e.getMessage());
            }
            reachable = false;
        }
    }

    /** Counts the live controllers; whether this one is among them. */
    private boolean count() {
        GetResponse response = EtcdRegistryStore.await(kv.get(keys.controllers(),
                GetOption.builder().isPrefix(true).withKeysOnly(true).build()), timeout, "count the controllers");
        controllers = Math.max(1, response.getKvs().size());
        ByteSequence mine = keys.controller(instance);
        return response.getKvs().stream().anyMatch(kv -> kv.getKey().equals(mine));
    }

    private synchronized void announce() {
        if (keepAlive != null) {
            keepAlive.close();
        }
        lease = EtcdRegistryStore.await(leases.grant(TTL_SECONDS), timeout, "grant this controller's lease").getID();
        EtcdRegistryStore.await(kv.put(keys.controller(instance), EtcdKeys.bytes(instance),
                PutOption.builder().withLeaseId(lease).build()), timeout, "announce this controller");
        keepAlive = leases.keepAlive(lease, new StreamObserver<LeaseKeepAliveResponse>() {
            @Override
            public void onNext(LeaseKeepAliveResponse response) {}

            @Override
            public void onError(Throwable error) {
                logger.debug("Keep-alive of this controller's lease: {}", error.getMessage());
            }

            @Override
            public void onCompleted() {}
        });
    }

    @Override
    public synchronized void close() {
        probe.shutdownNow();
        if (keepAlive != null) {
            keepAlive.close();
        }
        if (lease != 0) {
            try {
                leases.revoke(lease).get(timeout.toMillis(), TimeUnit.MILLISECONDS); // the others recount at once
            } catch (Exception e) {
                logger.debug("Could not revoke this controller's lease: {}", e.getMessage());
            }
        }
    }
}
