package ai.auraison.memory.internal;

import ai.auraison.memory.spi.Checkpoint;
import ai.auraison.memory.spi.LoggedEvent;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Applies a batch of the log to the tables, set-based, inside the caller's transaction: the batch is appended to a
 * staging table, every field the tables need is extracted from the JSON bodies in one pass, and each table is written
 * with one or two statements. Every derived value depends only on the events and the rows of earlier batches, never
 * on where the batch boundaries fall, so a rebuild in big batches equals incremental projection in small ones.
 *
 * <p>Not thread-safe: one instance per writer connection.
 */
public final class BatchProjection {

    /** The fields the tables take from the events' JSON, as a {@code json_transform} structure (one parse each). */
    private static final String FIELDS =
            "{\"agentId\": \"VARCHAR\", \"intentId\": \"VARCHAR\", \"harness\": \"VARCHAR\", "
                    + "\"attempt\": \"INTEGER\", \"toolCallId\": \"VARCHAR\", \"tool\": \"VARCHAR\", \"durationMs\": \"BIGINT\", "
                    + "\"result\": {\"outcome\": \"VARCHAR\", \"failure\": {\"code\": \"VARCHAR\", \"message\": \"VARCHAR\"}}, "
                    + "\"model\": \"VARCHAR\", \"virtualModel\": \"VARCHAR\", \"provider\": \"VARCHAR\", \"tokensIn\": \"BIGINT\", "
                    + "\"tokensOut\": \"BIGINT\", \"costUsd\": \"VARCHAR\", \"ttftMs\": \"BIGINT\", \"latencyMs\": \"BIGINT\", "
                    + "\"cacheHit\": \"BOOLEAN\", \"retries\": \"INTEGER\", \"fallbackUsed\": \"BOOLEAN\", \"subject\": \"VARCHAR\", "
                    + "\"subjectRef\": \"VARCHAR\", \"effect\": \"VARCHAR\", \"rule\": \"VARCHAR\", \"reason\": \"VARCHAR\", "
                    + "\"degraded\": \"BOOLEAN\", \"failure\": {\"code\": \"VARCHAR\"}}";

    private static final String STATUS = "CASE kind WHEN 'RunQueued' THEN 'queued' WHEN 'RunRejected' THEN 'rejected' "
            + "WHEN 'RunDispatched' THEN 'dispatched' WHEN 'RunRequeued' THEN 'queued' WHEN 'RunStarted' THEN 'running' "
            + "WHEN 'RunSucceeded' THEN 'succeeded' WHEN 'RunFailed' THEN 'failed' WHEN 'RunCancelled' THEN 'cancelled' "
            + "WHEN 'RunExpired' THEN 'expired' END";

    private static final String TERMINAL = "('RunSucceeded', 'RunFailed', 'RunCancelled', 'RunExpired', 'RunRejected')";

    private final DuckDBConnection connection;

    public BatchProjection(DuckDBConnection connection) throws SQLException {
        this.connection = connection;
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS batch (tx_id BIGINT, position BIGINT, tenant VARCHAR, "
                    + "event_id UUID, run_id UUID, seq BIGINT, kind VARCHAR, ts TIMESTAMPTZ, body VARCHAR)");
        }
    }

    /**
     * Writes {@code events} (in log order, non-empty) to every table and returns the rows written per table; inside
     * the caller's transaction, which must already have begun (the appender joins it).
     */
    public Map<String, Long> apply(List<LoggedEvent> events) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Statement s = connection.createStatement()) {
            s.execute("DELETE FROM temp.batch");
            try (DuckDBAppender a = connection.createAppender("temp", "main", "batch")) {
                for (LoggedEvent e : events) {
                    a.beginRow();
                    a.append(e.at().txId());
                    a.append(e.at().position());
                    a.append(e.tenant());
                    a.append(e.eventId());
                    a.append(e.runId());
                    a.append(e.seq());
                    a.append(e.kind());
                    a.append(OffsetDateTime.ofInstant(e.ts(), ZoneOffset.UTC));
                    a.append(e.body());
                    a.endRow();
                }
            }
            s.execute(extract());
            rows.put("events", (long) s.executeUpdate("INSERT INTO mem.events SELECT position, tx_id, event_id, "
                    + "tenant, run_id, seq, kind, ts, body FROM temp.batch ORDER BY tx_id, position"));
            rows.put("runs", runs(s));
            rows.put("tool_calls", toolCalls(s));
            rows.put("model_calls", (long) s.executeUpdate("""
                    INSERT INTO mem.model_calls SELECT event_id, tenant, run_id, agent_at, ts, model, virtual_model,
                        provider, tokens_in, tokens_out, cost_usd, ttft_ms, latency_ms, cache_hit, retries, fallback_used
                    FROM temp.x WHERE kind = 'ModelCallCompleted' ORDER BY tx_id, position"""));
            rows.put("policy_decisions", (long) s.executeUpdate("""
                    INSERT INTO mem.policy_decisions SELECT event_id, tenant, run_id, agent_at, ts, subject,
                        subject_ref, effect, rule, reason, degraded
                    FROM temp.x WHERE kind = 'PolicyDecided' ORDER BY tx_id, position"""));
            rows.put("agent_health", agentHealth(s));
        }
        return rows;
    }

    /** Moves the checkpoint to {@code to}, counting {@code events} more; inside the caller's transaction. */
    public void checkpoint(Checkpoint to, long events, Instant now) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "UPDATE mem.checkpoints SET tx_id = ?, position = ?, events = events + ?, updated_at = ? "
                        + "WHERE projection = '" + MemorySchema.PROJECTION + "'")) {
            p.setLong(1, to.txId());
            p.setLong(2, to.position());
            p.setLong(3, events);
            p.setTimestamp(4, Timestamp.from(now));
            if (p.executeUpdate() != 1) throw new SQLException("the checkpoint row is missing");
        }
    }

    /** Empties every table and resets the checkpoint; inside the caller's transaction (a rebuild). */
    public void clear() throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String table : MemorySchema.TABLES) s.execute("DELETE FROM mem." + table);
            s.execute("UPDATE mem.checkpoints SET tx_id = 0, position = 0, events = 0, updated_at = now() "
                    + "WHERE projection = '" + MemorySchema.PROJECTION + "'");
        }
    }

    /** The staged batch (without bodies) with every field parsed once, and the agent each event happened under. */
    private static String extract() {
        return """
                CREATE OR REPLACE TEMP TABLE x AS
                WITH f AS (SELECT b.tx_id, b.position, b.tenant, b.event_id, b.run_id, b.seq, b.kind, b.ts,
                        json_transform(b.body, '%s') AS v
                    FROM temp.batch b),
                known AS (SELECT r.run_id, r.agent_id FROM mem.runs r SEMI JOIN (SELECT DISTINCT run_id FROM temp.batch) d
                    ON r.run_id = d.run_id)
                SELECT f.tx_id, f.position, f.tenant, f.event_id, f.run_id, f.seq, f.kind, f.ts,
                    CASE WHEN f.kind IN ('RunQueued', 'RunDispatched', 'RunStarted') THEN v.agentId END AS agent_id,
                    coalesce(last_value(CASE WHEN f.kind IN ('RunQueued', 'RunDispatched', 'RunStarted') THEN v.agentId END
                        IGNORE NULLS) OVER (PARTITION BY f.run_id ORDER BY f.seq
                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), k.agent_id) AS agent_at,
                    v.intentId AS intent_id, v.harness AS harness, v.attempt AS attempt,
                    v.toolCallId AS tool_call_id, v.tool AS tool, v.durationMs AS duration_ms,
                    v.result.outcome AS outcome, v.result.failure.code AS error_code,
                    v.result.failure.message AS error_message, v.model AS model, v.virtualModel AS virtual_model,
                    v.provider AS provider, v.tokensIn AS tokens_in, v.tokensOut AS tokens_out,
                    coalesce(TRY_CAST(v.costUsd AS DECIMAL(18, 8)),
                        CAST(TRY_CAST(v.costUsd AS DOUBLE) AS DECIMAL(18, 8))) AS cost_usd, v.ttftMs AS ttft_ms,
                    v.latencyMs AS latency_ms, v.cacheHit AS cache_hit, v.retries AS retries,
                    v.fallbackUsed AS fallback_used, v.subject AS subject, v.subjectRef AS subject_ref,
                    v.effect AS effect, v.rule AS rule, v.reason AS reason, v.degraded AS degraded,
                    v.failure.code AS failure_code
                FROM f LEFT JOIN known k ON k.run_id = f.run_id""".formatted(FIELDS);
    }

    private static long runs(Statement s) throws SQLException {
        s.execute("""
                CREATE OR REPLACE TEMP TABLE xr AS SELECT run_id, any_value(tenant) AS tenant,
                    arg_max(intent_id, seq) FILTER (WHERE intent_id IS NOT NULL) AS intent_id,
                    arg_max(agent_id, seq) FILTER (WHERE agent_id IS NOT NULL) AS agent_id,
                    arg_max(%s, seq) FILTER (WHERE (%s) IS NOT NULL) AS status,
                    arg_max(harness, seq) FILTER (WHERE kind = 'RunStarted') AS harness,
                    max(attempt) AS attempts, min(ts) AS first_ts, max(ts) AS last_ts,
                    max(ts) FILTER (WHERE kind IN %s) AS finished_ts, count(*) AS events, max(seq) AS last_seq,
                    count(*) FILTER (WHERE kind = 'ToolCallCompleted') AS tool_calls,
                    count(*) FILTER (WHERE kind = 'ToolCallCompleted' AND outcome = 'error') AS tool_errors,
                    count(*) FILTER (WHERE kind = 'ModelCallCompleted') AS model_calls,
                    coalesce(sum(tokens_in) FILTER (WHERE kind = 'ModelCallCompleted'), 0) AS tokens_in,
                    coalesce(sum(tokens_out) FILTER (WHERE kind = 'ModelCallCompleted'), 0) AS tokens_out,
                    coalesce(sum(cost_usd) FILTER (WHERE kind = 'ModelCallCompleted'), 0) AS cost_usd,
                    arg_max(failure_code, seq) FILTER (WHERE kind IN ('RunFailed', 'RunRejected')) AS failure_code
                FROM temp.x GROUP BY run_id""".formatted(STATUS, STATUS, TERMINAL));
        long updated = s.executeUpdate("""
                UPDATE mem.runs r SET
                    intent_id = coalesce(b.intent_id, r.intent_id), agent_id = coalesce(b.agent_id, r.agent_id),
                    status = coalesce(b.status, r.status), harness = coalesce(b.harness, r.harness),
                    attempts = coalesce(greatest(r.attempts, b.attempts), r.attempts, b.attempts),
                    first_ts = least(r.first_ts, b.first_ts), last_ts = greatest(r.last_ts, b.last_ts),
                    finished_ts = coalesce(b.finished_ts, r.finished_ts), events = r.events + b.events,
                    last_seq = greatest(r.last_seq, b.last_seq), tool_calls = r.tool_calls + b.tool_calls,
                    tool_errors = r.tool_errors + b.tool_errors, model_calls = r.model_calls + b.model_calls,
                    tokens_in = r.tokens_in + b.tokens_in, tokens_out = r.tokens_out + b.tokens_out,
                    cost_usd = r.cost_usd + b.cost_usd, failure_code = coalesce(b.failure_code, r.failure_code)
                FROM temp.xr b WHERE r.run_id = b.run_id""");
        long inserted = s.executeUpdate("""
                INSERT INTO mem.runs SELECT run_id, tenant, intent_id, agent_id, status, harness, attempts, first_ts,
                    last_ts, finished_ts, events, last_seq, tool_calls, tool_errors, model_calls, tokens_in, tokens_out,
                    cost_usd, failure_code
                FROM temp.xr b WHERE NOT EXISTS (SELECT 1 FROM mem.runs r WHERE r.run_id = b.run_id)
                ORDER BY first_ts, run_id""");
        return updated + inserted;
    }

    /**
     * A call is held in {@code tool_calls_open} from its request until it completes; {@code tool_calls} gets one row
     * per completed call, append-only (cheap on a lake, where an update rewrites files).
     */
    private static long toolCalls(Statement s) throws SQLException {
        s.execute("""
                INSERT INTO mem.tool_calls_open SELECT run_id, tool_call_id, tenant, agent_at, tool, ts
                FROM temp.x WHERE kind = 'ToolCallRequested' ORDER BY tx_id, position""");
        long done = s.executeUpdate("""
                INSERT INTO mem.tool_calls SELECT c.tool_call_id, c.tenant, c.run_id, coalesce(o.agent_id, c.agent_at),
                    c.tool, o.requested_ts, c.ts, c.duration_ms, c.outcome, c.error_code, c.error_message
                FROM temp.x c LEFT JOIN mem.tool_calls_open o ON o.run_id = c.run_id AND o.tool_call_id = c.tool_call_id
                WHERE c.kind = 'ToolCallCompleted' ORDER BY c.tx_id, c.position""");
        if (done > 0) {
            s.execute("""
                    DELETE FROM mem.tool_calls_open o WHERE EXISTS (SELECT 1 FROM temp.x c
                        WHERE c.kind = 'ToolCallCompleted' AND c.run_id = o.run_id AND c.tool_call_id = o.tool_call_id)""");
        }
        return done;
    }

    private static long agentHealth(Statement s) throws SQLException {
        s.execute("""
                CREATE OR REPLACE TEMP TABLE xh AS SELECT agent_at AS agent_id, tenant, date_trunc('minute', ts) AS minute,
                    count(*) FILTER (WHERE kind = 'RunStarted') AS runs_started,
                    count(*) FILTER (WHERE kind = 'RunSucceeded') AS runs_succeeded,
                    count(*) FILTER (WHERE kind = 'RunFailed') AS runs_failed,
                    count(*) FILTER (WHERE kind = 'RunRequeued') AS runs_requeued,
                    count(*) FILTER (WHERE kind = 'ToolCallCompleted') AS tool_calls,
                    count(*) FILTER (WHERE kind = 'ToolCallCompleted' AND outcome = 'error') AS tool_errors,
                    count(*) FILTER (WHERE kind = 'ModelCallCompleted') AS model_calls, max(ts) AS last_ts
                FROM temp.x WHERE agent_at IS NOT NULL GROUP BY ALL""");
        long updated = s.executeUpdate("""
                UPDATE mem.agent_health h SET runs_started = h.runs_started + b.runs_started,
                    runs_succeeded = h.runs_succeeded + b.runs_succeeded, runs_failed = h.runs_failed + b.runs_failed,
                    runs_requeued = h.runs_requeued + b.runs_requeued, tool_calls = h.tool_calls + b.tool_calls,
                    tool_errors = h.tool_errors + b.tool_errors, model_calls = h.model_calls + b.model_calls,
                    last_ts = greatest(h.last_ts, b.last_ts)
                FROM temp.xh b WHERE h.agent_id = b.agent_id AND h.tenant = b.tenant AND h.minute = b.minute""");
        long inserted = s.executeUpdate("""
                INSERT INTO mem.agent_health SELECT * FROM temp.xh b WHERE NOT EXISTS (SELECT 1 FROM mem.agent_health h
                    WHERE h.agent_id = b.agent_id AND h.tenant = b.tenant AND h.minute = b.minute)
                ORDER BY minute, agent_id, tenant""");
        return updated + inserted;
    }
}
