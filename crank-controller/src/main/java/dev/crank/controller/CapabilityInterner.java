package dev.crank.controller;

import dev.crank.core.CapabilitySchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares one {@link CapabilitySchema} instance among the workers that declare it identically, so
 * 50,000 workers of ten capabilities hold ten schema trees, not 500,000. Bounded: at most
 * {@value #MAX_VARIANTS} variants per {@code verb:name} are kept (more are used as they are), and a
 * capability's variants are dropped when its last provider leaves.
 */
final class CapabilityInterner {

    static final int MAX_VARIANTS = 64;

    /** Variants by the capability itself: record equality is JSON equality of its schemas, with no serialisation per lookup. */
    private final Map<String, Map<CapabilitySchema, CapabilitySchema>> byKey = new ConcurrentHashMap<>();

    List<CapabilitySchema> intern(List<CapabilitySchema> capabilities) {
        List<CapabilitySchema> shared = new ArrayList<>(capabilities.size());
        for (CapabilitySchema capability : capabilities) {
            Map<CapabilitySchema, CapabilitySchema> variants = byKey.computeIfAbsent(capability.key(), key -> new ConcurrentHashMap<>());
            CapabilitySchema known = variants.get(capability);
            if (known == null && variants.size() < MAX_VARIANTS) {
                known = variants.putIfAbsent(capability, capability);
            }
            shared.add(known == null ? capability : known);
        }
        return List.copyOf(shared);
    }

    void forget(String key) {
        byKey.remove(key);
    }
}
