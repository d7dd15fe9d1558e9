package dev.crank.controller;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;

/**
 * A registration as a store keeps it: the fields of {@code /register} plus {@code registered_at}. The
 * same document is what the first round's {@code registry.jsonl} held, one per line.
 */
final class RegistrationCodec {

    private RegistrationCodec() {}

    static ObjectNode toDocument(RegisteredWorker worker) {
        ObjectNode node = CrankJson.object();
        node.put("worker_id", worker.workerId());
        node.put("worker_url", worker.workerUrl().toString());
        ArrayNode capabilities = node.putArray("capabilities");
        worker.capabilities().forEach(capability -> capabilities.add(capability.toJson()));
        node.set("metadata", worker.metadata());
        node.put("registered_at", worker.registeredAt().toString());
        return node;
    }
}
