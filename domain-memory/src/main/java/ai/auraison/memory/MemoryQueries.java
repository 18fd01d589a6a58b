package ai.auraison.memory;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.TenantId;
import ai.auraison.memory.internal.MemorySchema;
import ai.auraison.platform.ProblemException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * What operators ask of the projection. Every method is scoped to one tenant, given explicitly (the HTTP layer passes
 * the caller's tenant); {@code version} reads a DuckLake snapshot instead of the latest state (time travel).
 *
 * <p>Thread-safe: each call uses a connection of its own.
 */
public final class MemoryQueries {

    /** One event of a run, in {@code seq} order. */
    public record TimelineEntry(long seq, String kind, Instant ts, UUID eventId, JsonNode event) {}

    /** Tool calls of one tool by one agent: count, errors, and latency percentiles in milliseconds. */
    public record ToolCallStats(
            String tool,
            String agentId,
            long calls,
            long errors,
            double errorRate,
            Double p50Ms,
            Double p95Ms,
            Long maxMs) {}

    /** Model usage of one day, model and provider: calls, tokens, cost and median latency. */
    public record ModelUsage(
            LocalDate day,
            String model,
            String provider,
            long calls,
            long tokensIn,
            long tokensOut,
            BigDecimal costUsd,
            Double p50LatencyMs,
            long cacheHits) {}

    /**
     * An agent's health in one time bucket, derived from its events: runs started, succeeded, failed and requeued,
     * tool calls and errors, model calls; {@code status} is {@code failing} (runs failed, none succeeded),
     * {@code degraded} (some failures, requeues or tool errors) or {@code healthy}.
     */
    public record AgentHealth(
            String agentId,
            Instant bucket,
            long runsStarted,
            long runsSucceeded,
            long runsFailed,
            long runsRequeued,
            long toolCalls,
            long toolErrors,
            long modelCalls,
            Instant lastEventAt,
            String status) {}

    private static final Set<String> BUCKETS = Set.of("minute", "hour", "day");

    private final MemoryStore store;

    public MemoryQueries(MemoryStore store) {
        this.store = store;
    }

    /** The events of run {@code runId} in order; empty when the tenant has no such run. */
    public List<TimelineEntry> runTimeline(TenantId tenant, UUID runId, Long version) {
        String sql = "SELECT seq, kind, ts, event_id, body FROM " + table("events", version)
                + " WHERE tenant = ? AND run_id = ? ORDER BY seq";
        return query(
                sql,
                List.of(tenant.value(), runId),
                r -> new TimelineEntry(
                        r.getLong(1),
                        r.getString(2),
                        instant(r, 3),
                        r.getObject(4, UUID.class),
                        ContractJson.tree(r.getString(5))));
    }

    /** Tool-call statistics per tool and agent for calls completed in {@code [from, to)}. */
    public List<ToolCallStats> toolCallStats(TenantId tenant, Instant from, Instant to, Long version) {
        String sql = """
                SELECT tool, agent_id, count(*), count(*) FILTER (WHERE outcome = 'error'),
                    quantile_cont(duration_ms, 0.5), quantile_cont(duration_ms, 0.95), max(duration_ms)
                FROM %s WHERE tenant = ? AND completed_ts >= ? AND completed_ts < ?
                GROUP BY tool, agent_id ORDER BY tool, agent_id""".formatted(table("tool_calls", version));
        return query(sql, List.of(tenant.value(), ts(from), ts(to)), r -> {
            long calls = r.getLong(3);
            long errors = r.getLong(4);
            return new ToolCallStats(
                    r.getString(1),
                    r.getString(2),
                    calls,
                    errors,
                    calls == 0 ? 0 : (double) errors / calls,
                    (Double) r.getObject(5),
                    (Double) r.getObject(6),
                    r.getObject(7) == null ? null : r.getLong(7));
        });
    }

    /** Model usage and cost per UTC day, model and provider for calls in {@code [from, to)}. */
    public List<ModelUsage> modelUsage(TenantId tenant, Instant from, Instant to, Long version) {
        String sql = """
                SELECT CAST(date_trunc('day', ts) AS DATE), model, provider, count(*), sum(tokens_in), sum(tokens_out),
                    sum(cost_usd), quantile_cont(latency_ms, 0.5), count(*) FILTER (WHERE cache_hit)
                FROM %s WHERE tenant = ? AND ts >= ? AND ts < ?
                GROUP BY ALL ORDER BY 1, 2, 3""".formatted(table("model_calls", version));
        return query(
                sql,
                List.of(tenant.value(), ts(from), ts(to)),
                r -> new ModelUsage(
                        r.getObject(1, LocalDate.class),
                        r.getString(2),
                        r.getString(3),
                        r.getLong(4),
                        r.getLong(5),
                        r.getLong(6),
                        r.getBigDecimal(7),
                        (Double) r.getObject(8),
                        r.getLong(9)));
    }

    /**
     * The health history of the tenant's agents (or of {@code agentId} alone) in {@code [from, to)}, per
     * {@code bucket} ({@code minute}, {@code hour} or {@code day}).
     */
    public List<AgentHealth> agentHealth(
            TenantId tenant, String agentId, Instant from, Instant to, String bucket, Long version) {
        if (!BUCKETS.contains(bucket)) {
            throw ProblemException.badParameter("bucket", "bucket must be minute, hour or day, was " + bucket);
        }
        List<Object> params = new ArrayList<>(List.of(tenant.value(), ts(from), ts(to)));
        String agentFilter = "";
        if (agentId != null) {
            agentFilter = " AND agent_id = ?";
            params.add(agentId);
        }
        String sql = """
                SELECT agent_id, date_trunc('%s', minute) AS bucket, sum(runs_started), sum(runs_succeeded),
                    sum(runs_failed), sum(runs_requeued), sum(tool_calls), sum(tool_errors), sum(model_calls), max(last_ts)
                FROM %s WHERE tenant = ? AND minute >= ? AND minute < ?%s
                GROUP BY ALL ORDER BY agent_id, bucket""".formatted(bucket, table("agent_health", version), agentFilter);
        return query(sql, params, r -> {
            long succeeded = r.getLong(4);
            long failed = r.getLong(5);
            long requeued = r.getLong(6);
            long toolErrors = r.getLong(8);
            String status = failed > 0 && succeeded == 0
                    ? "failing"
                    : failed + requeued + toolErrors > 0 ? "degraded" : "healthy";
            return new AgentHealth(
                    r.getString(1),
                    instant(r, 2),
                    r.getLong(3),
                    succeeded,
                    failed,
                    requeued,
                    r.getLong(7),
                    toolErrors,
                    r.getLong(9),
                    instant(r, 10),
                    status);
        });
    }

    /** A table of the projection, at {@code version} when given (DuckLake only). */
    String table(String name, Long version) {
        if (version == null) return MemorySchema.CATALOG + "." + name;
        if (!store.isLake()) {
            throw ProblemException.badParameter(
                    "version", "time travel needs the DuckLake store; this one is " + store.description());
        }
        if (version < 0) throw ProblemException.badParameter("version", "version must be a snapshot id >= 0");
        return MemorySchema.CATALOG + "." + name + " AT (VERSION => " + version + ")";
    }

    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet r) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> params, Row<T> row) {
        try (Connection c = store.connect();
                PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) p.setObject(i + 1, params.get(i));
            List<T> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) out.add(row.map(r));
            }
            return out;
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("snapshot")) {
                throw ProblemException.badParameter("version", e.getMessage());
            }
            throw new MemoryStore.MemoryStoreException("memory query failed: " + e.getMessage(), e);
        }
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }

    static Instant instant(ResultSet r, int column) throws SQLException {
        Object o = r.getObject(column);
        if (o == null) return null;
        if (o instanceof java.time.OffsetDateTime odt) return odt.toInstant();
        if (o instanceof Timestamp t) return t.toInstant();
        return r.getTimestamp(column).toInstant();
    }
}
