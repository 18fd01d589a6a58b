package ai.auraison.memory;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.ContractJson;
import ai.auraison.memory.spi.Checkpoint;
import ai.auraison.memory.spi.EventLogSource;
import ai.auraison.memory.spi.LoggedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A log table of the same shape as {@code orchestration.run_events} (with the run's tenant inline) in a test database,
 * read with the same horizon: only transactions older than the oldest one still running, in (tx_id, position) order.
 * Memory may not depend on orchestration, so its tests carry this small copy; the real reader is orchestration's
 * {@code EventLog}, tested there and composed in the central runtime.
 */
final class PostgresEventLog implements EventLogSource {

    private final DataSource dataSource;

    PostgresEventLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    PostgresEventLog create() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS log (
                        position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, event_id uuid NOT NULL UNIQUE,
                        tenant text NOT NULL, run_id uuid NOT NULL, seq bigint NOT NULL, kind text NOT NULL,
                        ts timestamptz NOT NULL, body jsonb NOT NULL,
                        tx_id xid8 NOT NULL DEFAULT pg_current_xact_id());
                    CREATE INDEX IF NOT EXISTS log_tx ON log (tx_id, position)""");
        }
        return this;
    }

    /** Appends a run's events in one transaction. */
    void append(String tenant, List<AgentEvent> events) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            insert(c, tenant, events);
            c.commit();
        }
    }

    /** Inserts inside the caller's transaction on {@code c}. */
    static void insert(Connection c, String tenant, List<AgentEvent> events) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO log (event_id, tenant, run_id, seq, kind, ts, body) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
            for (AgentEvent e : events) {
                p.setObject(1, e.eventId().value());
                p.setString(2, tenant);
                p.setObject(3, e.runId().value());
                p.setLong(4, e.seq());
                p.setString(5, e.kind());
                p.setTimestamp(6, Timestamp.from(e.ts()));
                p.setString(7, ContractJson.write(e));
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    long size() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM log")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Override
    public List<LoggedEvent> readAfter(Checkpoint after, int max) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement("""
                        SELECT tx_id::text::bigint, position, tenant, event_id, run_id, seq, kind, ts, body::text FROM log
                        WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
                          AND (tx_id, position) > (?::text::xid8, ?)
                        ORDER BY tx_id, position LIMIT ?""")) {
            p.setString(1, Long.toString(after.txId()));
            p.setLong(2, after.position());
            p.setInt(3, max);
            List<LoggedEvent> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new LoggedEvent(
                            new Checkpoint(r.getLong(1), r.getLong(2)),
                            r.getString(3),
                            r.getObject(4, UUID.class),
                            r.getObject(5, UUID.class),
                            r.getLong(6),
                            r.getString(7),
                            r.getTimestamp(8).toInstant(),
                            r.getString(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the test log: " + e.getMessage(), e);
        }
    }
}
