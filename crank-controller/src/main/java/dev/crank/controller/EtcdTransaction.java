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
import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One etcd transaction of registry changes: if every contract key this batch registers still says what
 * the deciding view assumed, then put each registration (bound to its new lease), rewrite those contract
 * keys and delete the removed workers.
 *
 * <p>A contract key holds a capability's contract (its major version and a digest of its input schema),
 * and every registration of the capability rewrites it, so its revision moves with every registration.
 * A registration that agrees with the contract the view saw compares the key's <em>value</em>: any number
 * of agreeing registrations, on any controller, commit side by side. One that sets a contract (a new
 * capability, or a new one after the last provider left) compares the key's <em>revision</em>: it commits
 * only if nobody registered the capability since the view saw no conflicting provider. So whoever commits
 * second of two conflicting registrations finds the key changed, and every live provider agrees with the key.
 */
final class EtcdTransaction {

    private record Registration(RegisteredWorker worker) {}

    /** What the deciding view saw of a contract key: its value when the registration agrees with it, else its revision. */
    interface ContractView {
        long revision(String capability);

        Optional<ByteSequence> value(String capability);
    }

    private final List<Registration> registrations = new ArrayList<>();
    private final List<String> removals = new ArrayList<>();
    private final Map<String, Cmp> expected = new LinkedHashMap<>();
    private final Map<String, ByteSequence> contracts = new LinkedHashMap<>();

    /**
     * What {@code change} may add to a transaction: its worker key, and for a registration a compare and a
     * put of each capability's contract key. Weights add up to at least the operations and the compares of
     * a transaction, so a batch of weight at most {@link EtcdRegistryStore#MAX_TXN_OPS} is within etcd's
     * {@code --max-txn-ops} for both.
     */
    static int weight(RegistryChange change) {
        return change instanceof RegistryChange.Register register ? 1 + register.worker().capabilities().size() : 1;
    }

    /** Adds a change, reading each contract key as the deciding view saw it (call under the view's lock). */
    void add(RegistryChange change, ContractView view, EtcdKeys keys) {
        if (change instanceof RegistryChange.Register register) {
            RegisteredWorker worker = register.worker();
            registrations.add(new Registration(worker));
            for (CapabilitySchema capability : worker.capabilities()) {
                ByteSequence contract = contract(capability);
                contracts.put(capability.key(), contract);
                expected.computeIfAbsent(capability.key(), key -> {
                    if (view.value(key).filter(contract::equals).isPresent()) {
                        return new Cmp(keys.contract(key), Cmp.Op.EQUAL, CmpTarget.value(contract));
                    }
                    long revision = view.revision(key);
                    return revision == 0 ? new Cmp(keys.contract(key), Cmp.Op.EQUAL, CmpTarget.version(0))
                            : new Cmp(keys.contract(key), Cmp.Op.EQUAL, CmpTarget.modRevision(revision));
                });
            }
        } else {
            removals.add(change.workerId());
        }
    }

    /** The contract key's value: the capability, its major version and the SHA-256 of its input schema. */
    static ByteSequence contract(CapabilitySchema capability) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(CrankJson.string(capability.inputSchema()).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        return EtcdKeys.bytes(CrankJson.string(CrankJson.object().put("capability", capability.key()).put("major", capability.majorVersion())
                .put("input_schema_sha256", HexFormat.of().formatHex(digest))));
    }

    int registrations() {
        return registrations.size();
    }

    /** The worker ids registered, in the order of their leases. */
    List<String> registered() {
        return registrations.stream().map(registration -> registration.worker().workerId()).toList();
    }

    /** Operations and compares, for a check against etcd's limit. */
    int size() {
        return Math.max(registrations.size() + removals.size() + contracts.size(), expected.size());
    }

    Cmp[] compares() {
        return expected.values().toArray(Cmp[]::new);
    }

    /** The contract keys and the values this transaction writes to them. */
    Map<String, ByteSequence> contractValues() {
        return contracts;
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
