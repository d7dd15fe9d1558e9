package dev.crank.controller;

import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The layout under the prefix: {@code workers/<worker id>} (the registration, bound to the worker's
 * lease), {@code contracts/<verb:name>} (rewritten by every registration of that capability, so that
 * its revision tells a controller whether someone else changed the capability's providers since it
 * looked) and {@code controllers/<instance>} (one per live controller, bound to its own lease).
 */
final class EtcdKeys {

    static final String WORKERS = "workers/";
    static final String CONTRACTS = "contracts/";
    static final String CONTROLLERS = "controllers/";

    private final String prefix;

    EtcdKeys(String prefix) {
        this.prefix = prefix;
    }

    ByteSequence all() {
        return bytes(prefix);
    }

    ByteSequence worker(String workerId) {
        return bytes(prefix + WORKERS + workerId);
    }

    ByteSequence contract(String capability) {
        return bytes(prefix + CONTRACTS + capability);
    }

    ByteSequence controllers() {
        return bytes(prefix + CONTROLLERS);
    }

    ByteSequence controller(String instance) {
        return bytes(prefix + CONTROLLERS + instance);
    }

    /** The name after {@code kind} of a key under the prefix, if it is one of that kind. */
    Optional<String> name(ByteSequence key, String kind) {
        String text = key.toString(StandardCharsets.UTF_8);
        String start = prefix + kind;
        return text.startsWith(start) && text.length() > start.length() ? Optional.of(text.substring(start.length())) : Optional.empty();
    }

    static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
