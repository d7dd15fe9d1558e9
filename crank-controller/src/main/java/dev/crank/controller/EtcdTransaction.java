package dev.crank.controller;

import dev.crank.core.CapabilitySchema;
import dev.crank.core.CrankJson;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;

/**
 * One etcd transaction of registry changes: if every contract key this batch registers is still at the
 * revision the deciding view saw, then put each registration (bound to its new lease), rewrite those
 * contract keys and delete the removed workers.
 */
final class EtcdTransaction {

    private record Registration(RegisteredWorker worker) {}

    private final List<Registration> registrations = new ArrayList<>();
    private final List<String> removals = new ArrayList<>();
    private final Map<String, Long> expected = new LinkedHashMap<>();
    private final Map<String, io.etcd.jetcd.ByteSequence> contracts = new LinkedHashMap<>();

    /**
     * What {@code change} may add to a transaction: its worker key, and for a registration a compare and a
     * put of each capability's contract key. Weights add up to at least the operations and the compares of
     * a transaction, so a batch of weight at most {@link EtcdRegistryStore#MAX_TXN_OPS} is within etcd's
     * {@code --max-txn-ops} for both.
     */
    static int weight(RegistryChange change) {
        return change instanceof RegistryChange.Register register ? 1 + register.worker().capabilities().size() : 1;
    }

    /** Adds a change, reading each contract key's revision as the deciding view saw it (call under the view's lock). */
    void add(RegistryChange change, ToLongFunction<String> contractRevision) {
        if (change instanceof RegistryChange.Register register) {
            RegisteredWorker worker = register.worker();
            registrations.add(new Registration(worker));
            for (CapabilitySchema capability : worker.capabilities()) {
                expected.computeIfAbsent(capability.key(), contractRevision::applyAsLong);
                contracts.put(capability.key(), EtcdRegistryStore.contractValue(worker.workerId(), capability));
            }
        } else {
            removals.add(change.workerId());
        }
    }

    int registrations() {
        return registrations.size();
    }

    /** The worker ids registered, in the order of their leases. */
    List<String> registered() {
        return registrations.stream().map(registration -> registration.worker().workerId()).toList();
    }

    /** The contract keys this transaction rewrites. */
    Iterable<String> contracts() {
        return contracts.keySet();
    }

    /** Operations and compares, for a check against etcd's limit. */
    int size() {
        return Math.max(registrations.size() + removals.size() + contracts.size(), expected.size());
    }

    Cmp[] compares(EtcdKeys keys) {
        return expected.entrySet().stream()
                .map(entry -> entry.getValue() == 0
                        ? new Cmp(keys.contract(entry.getKey()), Cmp.Op.EQUAL, CmpTarget.version(0))
                        : new Cmp(keys.contract(entry.getKey()), Cmp.Op.EQUAL, CmpTarget.modRevision(entry.getValue())))
                .toArray(Cmp[]::new);
    }

    /** The operations, the {@code i}-th registration bound to {@code leases.get(i)}. */
    Op[] operations(EtcdKeys keys, List<Long> leases) {
        List<Op> operations = new ArrayList<>();
        for (int i = 0; i < registrations.size(); i++) {
            RegisteredWorker worker = registrations.get(i).worker();
            operations.add(Op.put(keys.worker(worker.workerId()), EtcdKeys.bytes(CrankJson.string(RegistrationCodec.toDocument(worker))),
                    PutOption.builder().withLeaseId(leases.get(i)).withPrevKV().build()));
        }
        contracts.forEach((key, value) -> operations.add(Op.put(keys.contract(key), value, PutOption.DEFAULT)));
        for (String workerId : removals) {
            operations.add(Op.delete(keys.worker(workerId), DeleteOption.builder().withPrevKV(true).build()));
        }
        return operations.toArray(Op[]::new);
    }

    /** After a failed compare: the newest revision among the compared contract keys, which the view must reach. */
    CompletableFuture<Long> contractsRevision(KV kv, EtcdKeys keys) {
        List<CompletableFuture<Long>> revisions = expected.keySet().stream()
                .map(key -> kv.get(keys.contract(key)).thenApply(response -> response.getKvs().stream()
                        .mapToLong(KeyValue::getModRevision).max().orElse(0L)))
                .toList();
        return CompletableFuture.allOf(revisions.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> revisions.stream().mapToLong(CompletableFuture::join).max().orElse(0L));
    }
}
