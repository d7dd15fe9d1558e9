package dev.crank.controller;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crank.core.CrankJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default store: one SQLite database ({@code <data dir>/controller/registry.db}) in WAL
 * mode with {@code synchronous=FULL}, so a committed batch survives a crash of the process and of the
 * machine. Each {@link #write} is one transaction: the registry's writer thread hands it every change
 * queued since the last one, so concurrent registrations share one fsync (group commit).
 *
 * <p>Two tables: {@code workers} (id, the registration without its capabilities, the digest of its
 * capability set) and {@code capability_sets} (each distinct capabilities array once, by SHA-256), so
 * a fleet of identical workers costs one copy of its schemas on disk and one parse at start.
 *
 * <p>A file that is not a Crank registry database, or is damaged, stops the start with a message that
 * names it; nothing is written to it.
 */
public final class SqliteRegistryStore implements RegistryStore {

    private static final Logger logger = LoggerFactory.getLogger(SqliteRegistryStore.class);
    private static final int FORMAT = 1;

    private final Path file;
    private Connection connection;
    private PreparedStatement upsert;
    private PreparedStatement insertSet;
    private PreparedStatement delete;

    public SqliteRegistryStore(Path file) {
        this.file = requireNonNull(file, "file").toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    @Override
    public String describe() {
        return "sqlite:" + file;
    }

    @Override
    public synchronized List<Stored> load() {
        open();
        List<Stored> stored = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            Map<String, JsonNode> sets = new HashMap<>();
            try (ResultSet rows = statement.executeQuery("SELECT digest, capabilities FROM capability_sets")) {
                while (rows.next()) {
                    try {
                        sets.put(rows.getString(1), CrankJson.parse(rows.getString(2)));
                    } catch (RuntimeException e) {
                        logger.warn("Skipping capability set {} in {}: {}", rows.getString(1), file, e.getMessage());
                    }
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT worker_id, document, capability_set FROM workers ORDER BY worker_id")) {
                while (rows.next()) {
                    String workerId = rows.getString(1);
                    try {
                        JsonNode document = CrankJson.parse(rows.getString(2));
                        JsonNode capabilities = sets.get(rows.getString(3));
                        if (!document.isObject() || capabilities == null) {
                            throw new IllegalArgumentException(document.isObject() ? "its capability set is missing" : "not a JSON object");
                        }
                        // One node per distinct set: the registry decodes and compiles each set once, not once per worker.
                        ((ObjectNode) document).set("capabilities", capabilities);
                        stored.add(new Stored(workerId, (ObjectNode) document));
                    } catch (RuntimeException e) {
                        logger.warn("Skipping the stored registration of {} in {}: {}", workerId, file, e.getMessage());
                    }
                }
            }
        } catch (SQLException e) {
            throw damaged(e);
        }
        return stored;
    }

    @Override
    public synchronized CompletableFuture<Void> write(List<RegistryChange> changes) {
        if (changes.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            execute("BEGIN IMMEDIATE");
            for (RegistryChange change : changes) {
                if (change instanceof RegistryChange.Register register) {
                    ObjectNode document = RegistrationCodec.toDocument(register.worker());
                    String capabilities = CrankJson.string(document.remove("capabilities"));
                    String digest = digest(capabilities);
                    insertSet.setString(1, digest);
                    insertSet.setString(2, capabilities);
                    insertSet.executeUpdate();
                    upsert.setString(1, register.workerId());
                    upsert.setString(2, CrankJson.string(document));
                    upsert.setString(3, digest);
                    upsert.executeUpdate();
                } else {
                    delete.setString(1, change.workerId());
                    delete.executeUpdate();
                }
            }
            execute("COMMIT");
            return CompletableFuture.completedFuture(null);
        } catch (SQLException e) {
            rollback();
            return CompletableFuture.failedFuture(new StoreUnavailableException(
                    "the registry database " + file + " did not take " + changes.size() + " changes: " + e.getMessage(), e));
        }
    }

    /** Runs a pragma on the open database: tests make it full ({@code max_page_count}) or read-only ({@code query_only}). */
    synchronized void pragma(String pragma) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA " + pragma);
        }
    }

    @Override
    public synchronized void close() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            logger.warn("Closing {} failed: {}", file, e.getMessage());
        }
        connection = null;
    }

    private void open() {
        if (connection != null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.getParent(), e);
        }
        boolean existed = Files.exists(file);
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            if (existed) {
                check();
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=FULL");
                statement.execute("PRAGMA busy_timeout=5000");
                // Capabilities are stored once per distinct set: 50,000 workers of ten kinds hold ten copies, not 50,000.
                statement.execute("CREATE TABLE IF NOT EXISTS capability_sets (digest TEXT PRIMARY KEY, capabilities TEXT NOT NULL) WITHOUT ROWID");
                statement.execute("CREATE TABLE IF NOT EXISTS workers (worker_id TEXT PRIMARY KEY, document TEXT NOT NULL, "
                        + "capability_set TEXT NOT NULL) WITHOUT ROWID");
                statement.execute("DELETE FROM capability_sets WHERE digest NOT IN (SELECT capability_set FROM workers)");
                statement.execute("PRAGMA user_version=" + FORMAT);
            }
            prepare();
        } catch (SQLException e) {
            close();
            throw damaged(e);
        } catch (IllegalStateException e) {
            close();
            throw e;
        }
    }

    /** Transactions are explicit: SQLite ends one by itself on some errors (a full disk), which the driver's own bookkeeping misses. */
    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void prepare() throws SQLException {
        upsert = connection.prepareStatement("INSERT INTO workers (worker_id, document, capability_set) VALUES (?, ?, ?) "
                + "ON CONFLICT (worker_id) DO UPDATE SET document = excluded.document, capability_set = excluded.capability_set");
        insertSet = connection.prepareStatement("INSERT OR IGNORE INTO capability_sets (digest, capabilities) VALUES (?, ?)");
        delete = connection.prepareStatement("DELETE FROM workers WHERE worker_id = ?");
    }

    /** Refuses a damaged file, one of another program, or one written by a newer format, before writing anything. */
    private void check() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            try (ResultSet result = statement.executeQuery("PRAGMA quick_check")) {
                String verdict = result.next() ? result.getString(1) : "no answer";
                if (!"ok".equals(verdict)) {
                    throw new IllegalStateException("the registry database " + file + " is damaged (" + verdict + ")" + advice());
                }
            }
            int version;
            try (ResultSet result = statement.executeQuery("PRAGMA user_version")) {
                version = result.next() ? result.getInt(1) : 0;
            }
            boolean hasTable;
            int tables;
            try (ResultSet result = statement.executeQuery(
                    "SELECT count(*), sum(name = 'workers') FROM sqlite_master WHERE type = 'table'")) {
                result.next();
                tables = result.getInt(1);
                hasTable = result.getInt(2) == 1;
            }
            if (version > FORMAT) {
                throw new IllegalStateException("the registry database " + file + " has format " + version
                        + ", newer than this controller's " + FORMAT + advice());
            }
            if (tables > 0 && !hasTable) {
                throw new IllegalStateException("the file " + file + " is an SQLite database, but not a Crank registry" + advice());
            }
        }
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private IllegalStateException damaged(SQLException e) {
        return new IllegalStateException("cannot use the registry database " + file + ": " + e.getMessage() + advice(), e);
    }

    private static String advice() {
        return "; it was left untouched: restore it from a backup, or move it away to start with an empty registry"
                + " (workers register again on their next heartbeat)";
    }

    /** Undoes a failed batch; the driver may leave its statements unusable after an error, so they are prepared anew. */
    private void rollback() {
        try {
            execute("ROLLBACK");
        } catch (SQLException e) {
            logger.debug("Rolling back a failed batch in {}: {} (SQLite may have rolled it back already)", file, e.getMessage());
        }
        try {
            upsert.close();
            insertSet.close();
            delete.close();
            prepare();
        } catch (SQLException e) {
            logger.warn("Cannot prepare the statements of {} again: {}", file, e.getMessage());
        }
    }
}
