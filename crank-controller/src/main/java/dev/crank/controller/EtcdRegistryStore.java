package dev.crank.controller;

import static java.util.Objects.requireNonNull;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankJson;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NegotiationType;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry in etcd, shared by several controllers. A registration is the key
 * {@code workers/<id>} bound to a lease whose TTL is the heartbeat expiry: a heartbeat on any
 * controller renews it, and etcd removes the worker when nobody did. A write is one transaction that
 * also rewrites the contract key of every capability it registers, compared against the revision
 * this controller's view saw, so two controllers cannot accept conflicting contracts: the later one
 * finds the revision moved, waits for its view to catch up and decides again. A write completes once
 * committed and applied to the view ({@link EtcdView#committed}, from the commit's response rather than
 * after the watch came round), so what a caller was told is what {@code /route} sees. The writer commits
 * one transaction at a time, of at most {@link #MAX_TXN_OPS} operations (etcd's {@code --max-txn-ops}).
 *
 * <p>Every call has a deadline ({@link EtcdSettings#callTimeout()}); the client fails fast instead of
 * waiting for a connection, so a wrong certificate or an unreachable cluster is an error within
 * seconds, naming the endpoints and the cause.
 */
public final class EtcdRegistryStore implements RegistryStore {

    private static final Logger logger = LoggerFactory.getLogger(EtcdRegistryStore.class);
    /** etcd refuses a transaction with more operations than {@code --max-txn-ops} (default 128). */
    static final int MAX_TXN_OPS = 128;
    /** Leases the pool keeps granted ahead: a few batches' worth. */
    private static final int POOL = 64;
    /**
     * One: measured on two shared cores (docs/benchmarks.md), four lanes cost more CPU per registration
     * (smaller transactions: more gRPC calls and raft entries) than they saved in waiting, and CPU is what
     * limits registrations there. More may pay where etcd is remote and the controller has cores to spare.
     */
    private static final int WRITERS = 1;

    private final EtcdSettings settings;
    private final long leaseSeconds;
    private final EtcdKeys keys;
    private final String instance = UUID.randomUUID().toString();
    private Client client;
    private ManagedChannel renewalChannel;
    private EtcdRenewals renewals;
    private KV kv;
    private Lease leases;
    private EtcdView view;
    private EtcdPresence presence;
    private EtcdLeasePool pool;

    /** A store whose worker leases last {@code heartbeatTimeout} (rounded up to whole seconds, at least 2). */
    public EtcdRegistryStore(EtcdSettings settings, Duration heartbeatTimeout) {
        this.settings = requireNonNull(settings, "settings");
        this.leaseSeconds = Math.max(2, (requireNonNull(heartbeatTimeout, "heartbeatTimeout").toMillis() + 999) / 1000);
        this.keys = new EtcdKeys(settings.prefix());
    }

    @Override
    public String describe() {
        return "etcd:" + settings.endpoints() + settings.prefix();
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public int maxBatch() {
        return MAX_TXN_OPS; // the weight bounds a batch before this does
    }

    @Override
    public synchronized List<Stored> load() {
        if (client == null) {
            connect();
        }
        try {
            List<Stored> stored = view.load();
            presence.start();
            logger.info("Registry in {}: {} workers, {} controllers live", describe(), stored.size(), presence.controllers());
            return stored;
        } catch (StoreUnavailableException e) {
            throw new StoreUnavailableException("cannot use the registry in etcd " + settings.endpoints() + " as "
                    + settings.tls().certificateChain() + ": " + e.getMessage(), e.getCause());
        }
    }

    private void connect() {
        SslContext ssl = sslContext(settings);
        ClientBuilder builder = clientBuilder(settings, ssl);
        client = builder.build();
        renewalChannel = renewalChannel(builder, ssl);
        renewals = new EtcdRenewals(renewalChannel, settings.callTimeout());
        kv = client.getKVClient();
        leases = client.getLeaseClient();
        pool = new EtcdLeasePool(leases, leaseSeconds, POOL, settings.callTimeout());
        view = new EtcdView(kv, client.getWatchClient(), keys, settings.callTimeout());
        presence = new EtcdPresence(kv, leases, keys, instance, settings.callTimeout());
    }

    /** A jetcd client over mutual TLS (OpenSSL, host names verified) that fails fast instead of waiting for a connection. */
    static Client client(EtcdSettings settings) {
        return clientBuilder(settings, sslContext(settings)).build();
    }

    private static ClientBuilder clientBuilder(EtcdSettings settings, SslContext ssl) {
        return Client.builder()
                .endpoints(settings.endpoints())
                .sslContext(ssl)
                .waitForReady(false)
                .connectTimeout(settings.callTimeout())
                .retryMaxDuration(settings.callTimeout())
                .keepaliveTime(Duration.ofSeconds(10))
                .keepaliveTimeout(Duration.ofSeconds(5));
    }

    private static SslContext sslContext(EtcdSettings settings) {
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.OPENSSL)
                    .keyManager(settings.tls().certificateChain().toFile(), settings.tls().privateKey().toFile())
                    .trustManager(settings.tls().trustedCa().toFile())
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new StoreUnavailableException("cannot set up TLS to etcd with " + settings.tls().certificateChain() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The channel of the lease renewal stream ({@link EtcdRenewals}): the same endpoints, name resolution, load balancing
     * and TLS as the jetcd client's own.
     */
    private static ManagedChannel renewalChannel(ClientBuilder builder, SslContext ssl) {
        NettyChannelBuilder channel = NettyChannelBuilder.forTarget(builder.target())
                .negotiationType(NegotiationType.TLS)
                .sslContext(ssl)
                .keepAliveTime(10, TimeUnit.SECONDS)
                .keepAliveTimeout(5, TimeUnit.SECONDS);
        if (builder.loadBalancerPolicy() != null) {
            channel.defaultLoadBalancingPolicy(builder.loadBalancerPolicy());
        }
        return channel.build();
    }

    @Override
    public void follow(Follower follower) {
        view.follow(follower);
    }

    @Override
    public <T> T withView(Supplier<T> decision) {
        return view.locked(decision);
    }

    @Override
    public int liveControllers() {
        return presence == null ? 1 : presence.controllers();
    }

    @Override
    public boolean stale() {
        return presence != null && (!presence.reachable() || view.watchFailing());
    }

    @Override
    public CompletableFuture<Boolean> renew(String workerId) {
        Long lease = view.lease(workerId).orElse(null);
        if (lease == null) {
            return CompletableFuture.completedFuture(false);
        }
        // false: the lease ran out; the renewal has the call deadline already
        return explained(renewals.renew(lease), settings.callTimeout(), "renew the lease of " + workerId);
    }

    /**
     * Writers committing side by side ({@link #WRITERS}); their contract compares would keep several
     * consistent with each other as with other controllers' ({@link EtcdTransaction}).
     */
    @Override
    public int writers() {
        return WRITERS;
    }

    @Override
    public int weight(RegistryChange change) {
        return EtcdTransaction.weight(change);
    }

    @Override
    public int maxWeight() {
        return MAX_TXN_OPS;
    }

    /**
     * Called under {@link #withView} with at most {@link #maxWeight} (etcd's {@code --max-txn-ops}): reads
     * the contract revisions the decision assumed, takes leases (granted ahead, {@link EtcdLeasePool}) and
     * commits one transaction; the view applies it from the commit's response before the future completes.
     */
    @Override
    public CompletableFuture<Void> write(List<RegistryChange> changes) {
        Map<String, RegistryChange> last = new LinkedHashMap<>();
        changes.forEach(change -> last.put(change.workerId(), change)); // one operation per key in a transaction
        EtcdTransaction transaction = new EtcdTransaction();
        for (RegistryChange change : last.values()) {
            transaction.add(change, view, keys);
        }
        if (transaction.size() > MAX_TXN_OPS) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a batch of " + transaction.size()
                    + " operations is more than etcd's --max-txn-ops " + MAX_TXN_OPS + " (the writer keeps within maxWeight)"));
        }
        view.committing(last.keySet());
        return commit(transaction, List.copyOf(last.values()));
    }

    private CompletableFuture<Void> commit(EtcdTransaction transaction, List<RegistryChange> changes) {
        CompletableFuture<EtcdLeasePool.Taken> granted = pool.take(transaction.registrations());
        return granted
                .thenCompose(taken -> kv.txn().If(transaction.compares()).Then(transaction.operations(keys, taken.ids())).commit()
                        .thenCompose(response -> settle(transaction, changes, response, taken.ids())))
                .orTimeout(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(error -> {
                    view.abandoned(changes.stream().map(RegistryChange::workerId).toList());
                    Throwable cause = unwrap(error);
                    if (cause instanceof ViewChangedException) {
                        return CompletableFuture.failedFuture(cause);
                    }
                    granted.thenAccept(taken -> taken.ids().forEach(this::revokeQuietly));
                    return CompletableFuture.failedFuture(new StoreUnavailableException(
                            "etcd did not take the change: " + rootMessage(cause), cause));
                });
    }

    private CompletableFuture<Void> settle(EtcdTransaction transaction, List<RegistryChange> changes, TxnResponse response, List<Long> granted) {
        if (!response.isSucceeded()) {
            granted.forEach(this::revokeQuietly);
            // Another controller registered one of these capabilities since this view looked: wait for the
            // view to apply that, then the writer decides again.
            return transaction.contractsRevision(kv, keys).thenCompose(view::reached)
                    .thenCompose(ignored -> CompletableFuture.failedFuture(new ViewChangedException(
                            "a capability's providers changed on another controller")));
        }
        for (PutResponse put : response.getPutResponses()) {
            KeyValue previous = put.getPrevKv();
            if (previous != null && previous.getLease() != 0 && !granted.contains(previous.getLease())) {
                revokeQuietly(previous.getLease()); // the registration it replaced
            }
        }
        for (DeleteResponse delete : response.getDeleteResponses()) {
            delete.getPrevKvs().forEach(previous -> revokeQuietly(previous.getLease()));
        }
        Map<String, Long> leases = new java.util.HashMap<>();
        List<String> registered = transaction.registered();
        for (int i = 0; i < registered.size(); i++) {
            leases.put(registered.get(i), granted.get(i));
        }
        view.committed(response.getHeader().getRevision(), changes, leases, transaction.contractValues());
        return CompletableFuture.completedFuture(null);
    }

    private void revokeQuietly(long lease) {
        pool.revokeQuietly(lease);
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.clear();
        }
        if (presence != null) {
            presence.close();
        }
        if (view != null) {
            view.close();
        }
        if (renewals != null) {
            renewals.close();
            renewalChannel.shutdownNow();
        }
        if (client != null) {
            client.close();
        }
    }

    /** Waits for an etcd call until {@code timeout}; a failure or the deadline is a {@link StoreUnavailableException}. */
    static <T> T await(CompletableFuture<T> call, Duration timeout, String what) {
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new StoreUnavailableException("could not " + what + ": " + rootMessage(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new StoreUnavailableException("could not " + what + " within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while trying to " + what, e);
        }
    }

    /**
     * {@code call} with a deadline and without a thread waiting for it: the future fails with a
     * {@link StoreUnavailableException} when the call failed or missed {@code timeout}.
     */
    static <T> CompletableFuture<T> within(CompletableFuture<T> call, Duration timeout, String what) {
        return explained(call.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS), timeout, what);
    }

    /** A failure of {@code call}, which has its deadline of {@code timeout} already, as a {@link StoreUnavailableException}. */
    static <T> CompletableFuture<T> explained(CompletableFuture<T> call, Duration timeout, String what) {
        return call.handle((value, error) -> {
            if (error == null) {
                return value;
            }
            Throwable cause = unwrap(error);
            throw cause instanceof TimeoutException
                    ? new StoreUnavailableException("could not " + what + " within " + timeout.toMillis() + " ms", cause)
                    : new StoreUnavailableException("could not " + what + ": " + rootMessage(cause), cause);
        });
    }

    static Throwable unwrap(Throwable error) {
        return error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    static String rootMessage(Throwable error) {
        StringBuilder message = new StringBuilder(String.valueOf(error.getMessage()));
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root.getMessage() != null && !message.toString().contains(root.getMessage())) {
                message.append(" (").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage()).append(')');
            }
        }
        return message.toString();
    }
}
