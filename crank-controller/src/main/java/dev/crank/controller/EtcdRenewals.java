package dev.crank.controller;

import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import dev.crank.controller.RegistryStore.StoreUnavailableException;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lease renewals on one {@code LeaseKeepAlive} stream kept open: a heartbeat sends one request on it and completes
 * when etcd answers for that lease (the answers of a stream come in the order of its requests, so the pending
 * renewals of a lease are matched first in, first out). jetcd's {@code keepAliveOnce} opens a new HTTP/2 stream
 * for every call, which cost about as much CPU as the rest of a heartbeat (docs/benchmarks.md).
 *
 * <p>etcd answers a lease it does not know with a TTL of 0: {@code false}, the worker must register again. When the
 * stream fails or ends, every pending renewal fails with {@link StoreUnavailableException} and the next renewal opens
 * a new stream. A renewal that misses its deadline cancels the stream too, so that a member that stopped answering is
 * left at once rather than after every pending renewal timed out; gRPC's channel picks a live member for the next one.
 */
final class EtcdRenewals implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(EtcdRenewals.class);

    private final ManagedChannel channel;
    private final long timeoutMillis;
    private final Object lock = new Object();
    private Stream stream;
    private boolean closed;

    EtcdRenewals(ManagedChannel channel, Duration timeout) {
        this.channel = channel;
        this.timeoutMillis = timeout.toMillis();
    }

    /** Renews {@code lease}: true once etcd renewed it, false when etcd does not know it; a {@link TimeoutException} past the deadline. */
    CompletableFuture<Boolean> renew(long lease) {
        CompletableFuture<Boolean> renewed = new CompletableFuture<>();
        Stream current;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new StoreUnavailableException("the registry store is closed", null));
            }
            if (stream == null) {
                stream = new Stream();
                LeaseGrpc.newStub(channel).leaseKeepAlive(stream);
            }
            current = stream;
            current.pending.computeIfAbsent(lease, id -> new ArrayDeque<>()).add(renewed);
            current.requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(lease).build());
        }
        renewed.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((known, error) -> {
            if (error instanceof TimeoutException) {
                current.cancel("a renewal missed its deadline of " + timeoutMillis + " ms");
            }
        });
        return renewed;
    }

    @Override
    public void close() {
        Stream last;
        synchronized (lock) {
            closed = true;
            last = stream;
        }
        if (last != null) {
            last.cancel("closed");
        }
    }

    /** One open stream and the renewals waiting for its answers, per lease in the order sent. */
    private final class Stream implements ClientResponseObserver<LeaseKeepAliveRequest, LeaseKeepAliveResponse> {
        private final Map<Long, ArrayDeque<CompletableFuture<Boolean>>> pending = new HashMap<>();
        private ClientCallStreamObserver<LeaseKeepAliveRequest> requests;

        @Override
        public void beforeStart(ClientCallStreamObserver<LeaseKeepAliveRequest> requestStream) {
            this.requests = requestStream;
        }

        @Override
        public void onNext(LeaseKeepAliveResponse response) {
            CompletableFuture<Boolean> renewed;
            synchronized (lock) {
                ArrayDeque<CompletableFuture<Boolean>> waiting = pending.get(response.getID());
                renewed = waiting == null ? null : waiting.poll();
                if (waiting != null && waiting.isEmpty()) {
                    pending.remove(response.getID());
                }
            }
            if (renewed != null) {
                renewed.complete(response.getTTL() > 0);
            }
        }

        @Override
        public void onError(Throwable error) {
            fail(new StoreUnavailableException("the lease renewal stream to etcd failed: " + error.getMessage(), error));
        }

        @Override
        public void onCompleted() {
            fail(new StoreUnavailableException("etcd ended the lease renewal stream", null));
        }

        void cancel(String why) {
            synchronized (lock) {
                if (stream != this) {
                    return;
                }
            }
            logger.debug("Cancelling the lease renewal stream: {}", why);
            requests.cancel(why, null); // gRPC then calls onError, which fails what is pending
        }

        private void fail(StoreUnavailableException failure) {
            List<CompletableFuture<Boolean>> failed = new ArrayList<>();
            synchronized (lock) {
                if (stream == this) {
                    stream = null;
                }
                pending.values().forEach(failed::addAll);
                pending.clear();
            }
            failed.forEach(renewed -> renewed.completeExceptionally(failure));
        }
    }
}
