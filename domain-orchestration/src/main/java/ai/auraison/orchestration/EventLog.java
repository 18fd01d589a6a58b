package ai.auraison.orchestration;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads the event log of record ({@code orchestration.run_events}) in a gap-free order for tailers such as the memory
 * projector.
 *
 * <p>Order and horizon: entries come in {@code (txId, position)} order, and only entries written by transactions older
 * than the oldest transaction still running ({@code tx_id < pg_snapshot_xmin(pg_current_snapshot())}). A transaction
 * that committed late therefore cannot slip in behind a checkpoint: until it ends, nothing at or after its id is
 * returned. A long-running writing transaction delays tailers by its duration, never more. Read-only, idempotent.
 */
public final class EventLog {

    /** One logged event: where it is in the log, its run's tenant, and the event as contract JSON. */
    public record Entry(
            long txId,
            long position,
            String tenant,
            UUID eventId,
            UUID runId,
            long seq,
            String kind,
            Instant ts,
            String body) {}

    private final JdbcClient jdbc;

    public EventLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to {@code max} entries after {@code (txId, position)}, in log order; {@code (0, 0)} is the start. */
    public List<Entry> readAfter(long txId, long position, int max) {
        return jdbc.sql("""
                        SELECT e.tx_id::text::bigint, e.position, r.tenant, e.event_id, e.run_id, e.seq, e.kind, e.ts,
                            e.body::text
                        FROM orchestration.run_events e JOIN orchestration.runs r ON r.run_id = e.run_id
                        WHERE e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
                          AND (e.tx_id, e.position) > (?::text::xid8, ?)
                        ORDER BY e.tx_id, e.position
                        LIMIT ?""")
                .params(Long.toString(txId), position, max)
                .query(EventLog::entry)
                .list();
    }

    private static Entry entry(ResultSet r, int row) throws SQLException {
        return new Entry(
                r.getLong(1),
                r.getLong(2),
                r.getString(3),
                r.getObject(4, UUID.class),
                r.getObject(5, UUID.class),
                r.getLong(6),
                r.getString(7),
                r.getTimestamp(8).toInstant(),
                r.getString(9));
    }
}
