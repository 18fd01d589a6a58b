package ai.auraison.memory.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The analytical tables, in the attached catalog {@code mem} (a DuckDB file or a DuckLake). No keys or constraints:
 * DuckLake has none, and exactly-once comes from the checkpoint committing with each batch, not from keys.
 */
public final class MemorySchema {

    /** The catalog alias the store attaches its database or lake as. */
    public static final String CATALOG = "mem";

    /** The projection's name in {@code checkpoints}. */
    public static final String PROJECTION = "memory";

    /** The tables a rebuild recreates, in the order they are cleared. */
    public static final List<String> TABLES = List.of(
            "events", "runs", "tool_calls", "tool_calls_open", "model_calls", "policy_decisions", "agent_health");

    private static final List<String> DDL = List.of("""
            CREATE TABLE IF NOT EXISTS mem.events (
                position BIGINT, tx_id BIGINT, event_id UUID, tenant VARCHAR, run_id UUID, seq BIGINT,
                kind VARCHAR, ts TIMESTAMPTZ, body VARCHAR)""", """
            CREATE TABLE IF NOT EXISTS mem.runs (
                run_id UUID, tenant VARCHAR, intent_id VARCHAR, agent_id VARCHAR, status VARCHAR, harness VARCHAR,
                attempts INTEGER, first_ts TIMESTAMPTZ, last_ts TIMESTAMPTZ, finished_ts TIMESTAMPTZ, events BIGINT,
                last_seq BIGINT, tool_calls BIGINT, tool_errors BIGINT, model_calls BIGINT, tokens_in BIGINT,
                tokens_out BIGINT, cost_usd DECIMAL(18, 8), failure_code VARCHAR)""", """
            CREATE TABLE IF NOT EXISTS mem.tool_calls (
                tool_call_id VARCHAR, tenant VARCHAR, run_id UUID, agent_id VARCHAR, tool VARCHAR,
                requested_ts TIMESTAMPTZ, completed_ts TIMESTAMPTZ, duration_ms BIGINT, outcome VARCHAR,
                error_code VARCHAR, error_message VARCHAR)""", """
            CREATE TABLE IF NOT EXISTS mem.tool_calls_open (
                run_id UUID, tool_call_id VARCHAR, tenant VARCHAR, agent_id VARCHAR, tool VARCHAR,
                requested_ts TIMESTAMPTZ)""", """
            CREATE TABLE IF NOT EXISTS mem.model_calls (
                event_id UUID, tenant VARCHAR, run_id UUID, agent_id VARCHAR, ts TIMESTAMPTZ, model VARCHAR,
                virtual_model VARCHAR, provider VARCHAR, tokens_in BIGINT, tokens_out BIGINT, cost_usd DECIMAL(18, 8),
                ttft_ms BIGINT, latency_ms BIGINT, cache_hit BOOLEAN, retries INTEGER, fallback_used BOOLEAN)""", """
            CREATE TABLE IF NOT EXISTS mem.policy_decisions (
                event_id UUID, tenant VARCHAR, run_id UUID, agent_id VARCHAR, ts TIMESTAMPTZ, subject VARCHAR,
                subject_ref VARCHAR, effect VARCHAR, rule VARCHAR, reason VARCHAR, degraded BOOLEAN)""", """
            CREATE TABLE IF NOT EXISTS mem.agent_health (
                agent_id VARCHAR, tenant VARCHAR, minute TIMESTAMPTZ, runs_started BIGINT, runs_succeeded BIGINT,
                runs_failed BIGINT, runs_requeued BIGINT, tool_calls BIGINT, tool_errors BIGINT, model_calls BIGINT,
                last_ts TIMESTAMPTZ)""", """
            CREATE TABLE IF NOT EXISTS mem.checkpoints (
                projection VARCHAR, tx_id BIGINT, position BIGINT, events BIGINT, updated_at TIMESTAMPTZ)""");

    private MemorySchema() {}

    /** Creates what is missing and the checkpoint row; idempotent, one transaction. */
    public static void create(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String ddl : DDL) s.execute(ddl);
            s.execute("INSERT INTO mem.checkpoints SELECT '" + PROJECTION + "', 0, 0, 0, now() "
                    + "WHERE NOT EXISTS (SELECT 1 FROM mem.checkpoints WHERE projection = '" + PROJECTION + "')");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
