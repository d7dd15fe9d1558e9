package dev.crank.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CapabilitySchema;
import dev.crank.core.internal.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry on disk: one JSON line per worker, written as a whole snapshot to a temporary file,
 * fsynced, then renamed over the old one, so a crash leaves either the old or the new state.
 */
final class RegistryStore {

    private static final Logger logger = LoggerFactory.getLogger(RegistryStore.class);

    private final Path file;

    RegistryStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    Path file() {
        return file;
    }

    synchronized void write(Collection<RegisteredWorker> workers) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8));
                for (RegisteredWorker worker : workers) {
                    writer.write(Json.string(toJson(worker)));
                    writer.write('\n');
                }
                writer.flush();
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the registry state file " + file, e);
        }
    }

    /** Every worker in the file; a line that cannot be read is logged and skipped. */
    List<RegisteredWorker> read(Instant now) {
        List<RegisteredWorker> workers = new ArrayList<>();
        if (!Files.exists(file)) {
            return workers;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            logger.error("Cannot read the registry state file {}; starting empty", file, e);
            return workers;
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                workers.add(fromJson(Json.parse(line), now));
            } catch (RuntimeException e) {
                logger.warn("Skipping line {} of {}: {}", i + 1, file, e.getMessage());
            }
        }
        return workers;
    }

    private static ObjectNode toJson(RegisteredWorker worker) {
        ObjectNode node = Json.object();
        node.put("worker_id", worker.workerId());
        node.put("worker_url", worker.workerUrl().toString());
        ArrayNode capabilities = node.putArray("capabilities");
        worker.capabilities().forEach(capability -> capabilities.add(capability.toJson()));
        node.set("metadata", worker.metadata());
        node.put("registered_at", worker.registeredAt().toString());
        node.put("last_heartbeat", worker.lastHeartbeat().toString());
        return node;
    }

    /** Restored workers get a full heartbeat window from {@code now}, and wait for a heartbeat to be routable. */
    private static RegisteredWorker fromJson(JsonNode node, Instant now) {
        List<CapabilitySchema> capabilities = new ArrayList<>();
        node.path("capabilities").forEach(capability -> capabilities.add(CapabilitySchema.fromJson(capability)));
        JsonNode metadata = node.path("metadata");
        return new RegisteredWorker(
                node.path("worker_id").asText(),
                URI.create(node.path("worker_url").asText()),
                capabilities,
                metadata.isObject() ? (ObjectNode) metadata : Json.object(),
                Instant.parse(node.path("registered_at").asText()),
                now,
                true,
                Json.object());
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            logger.debug("Cannot fsync directory {}: {}", dir, e.getMessage());
        }
    }
}
