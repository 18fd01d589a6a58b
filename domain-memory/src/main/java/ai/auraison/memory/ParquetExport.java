package ai.auraison.memory;

import ai.auraison.contract.TenantId;
import ai.auraison.platform.ProblemException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;

/**
 * Exports one tenant's rows of a projection table in a time range as a Parquet file: the training-dataset path
 * (rollout v3). Thread-safe.
 */
public final class ParquetExport {

    /** The tables that can be exported, with the time column the range applies to. */
    public static final Map<String, String> TABLES = Map.of(
            "events", "ts",
            "runs", "first_ts",
            "tool_calls", "completed_ts",
            "model_calls", "ts",
            "policy_decisions", "ts",
            "agent_health", "minute");

    private final MemoryStore store;

    public ParquetExport(MemoryStore store) {
        this.store = store;
    }

    /**
     * Writes {@code tenant}'s rows of {@code table} whose time is in {@code [from, to)}, ordered by time, to
     * {@code target} (overwritten); returns the number of rows.
     */
    public long export(TenantId tenant, String table, Instant from, Instant to, Path target) {
        String column = TABLES.get(table);
        if (column == null) throw ProblemException.badParameter("table", "table must be one of " + TABLES.keySet());
        if (!from.isBefore(to)) throw ProblemException.badParameter("from", "from must be before to");
        // COPY takes no parameters; every value below is validated (tenant pattern, instants, known names)
        String sql = "COPY (SELECT * FROM mem." + table + " WHERE tenant = '" + tenant.value() + "' AND " + column
                + " >= TIMESTAMPTZ '" + from + "' AND " + column + " < TIMESTAMPTZ '" + to + "' ORDER BY " + column
                + ") TO " + MemoryStore.literal(target.toAbsolutePath().toString()) + " (FORMAT parquet)";
        try (Connection c = store.connect();
                Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        } catch (SQLException e) {
            throw new MemoryStore.MemoryStoreException("Parquet export failed: " + e.getMessage(), e);
        }
    }
}
