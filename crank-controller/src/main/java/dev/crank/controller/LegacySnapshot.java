package dev.crank.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first round's state file, {@code registry.jsonl} (one registration per line), imported once
 * into the store at start and then renamed {@code registry.jsonl.imported}, so an upgrade keeps its
 * workers and a second start does not import it again.
 */
final class LegacySnapshot {

    private static final Logger logger = LoggerFactory.getLogger(LegacySnapshot.class);
    static final String FILE_NAME = "registry.jsonl";

    private LegacySnapshot() {}

    /** Imports {@code file} into {@code store} if it exists; returns how many registrations it wrote. */
    static int importInto(Path file, RegistryStore store) {
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        List<RegistryChange> changes = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the legacy registry file " + file, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                JsonNode node = CrankJson.parse(line);
                changes.add(new RegistryChange.Register(RegistrationRules.decode((ObjectNode) node, java.time.Instant.now())));
            } catch (RuntimeException e) {
                logger.warn("Not importing line {} of {}: {}", i + 1, file, e.getMessage());
            }
        }
        store.write(changes).join();
        Path imported = file.resolveSibling(file.getFileName() + ".imported");
        try {
            Files.move(file, imported, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("imported " + file + " but cannot rename it to " + imported, e);
        }
        logger.info("Imported {} registrations from {} into {}; the file is now {}", changes.size(), file, store.describe(), imported);
        return changes.size();
    }
}
