package ai.auraison.orchestration.internal;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.EventId;
import ai.auraison.contract.Failure;
import ai.auraison.contract.Intent;
import ai.auraison.contract.RunId;
import ai.auraison.contract.SchemaVersions;
import ai.auraison.platform.ProblemException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongFunction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One durable work queue per agent in {@code orchestration.work_items}. Leases are taken with
 * {@code FOR UPDATE SKIP LOCKED} (safe with any number of pollers and replicas) in priority, deadline and per-tenant
 * fair-share order: each tenant's ready items are ranked on their own (by priority, deadline, age), each rank is pushed
 * back by how many of the agent's last 100 dispatches the tenant already got, and the queue is served in rank order.
 * A tenant that floods the queue thus gets about one turn per round like every other tenant, and a tenant returning
 * from idle catches up at most over that window. Every transition is recorded in the run's event log in the same
 * transaction.
 */
final class WorkQueue {

    /** Leased work handed to an agent. */
    record Lease(RunId runId, UUID leaseId, int attempt, Instant leaseExpiresAt, long nextSeq, Intent intent) {}

    /** What {@code fail} did: retried (with the time of the next attempt) or dead-lettered. */
    record FailResult(String outcome, int attempt, Instant notBefore) {}

    private static final String V = SchemaVersions.CURRENT;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final RunLog runs;
    private final Signals signals;
    private final OrchestrationMetrics metrics;
    private final Duration retryBackoff;
    private final Duration maxRetryBackoff;

    WorkQueue(
            JdbcClient jdbc,
            TransactionTemplate tx,
            RunLog runs,
            Signals signals,
            OrchestrationMetrics metrics,
            Duration retryBackoff,
            Duration maxRetryBackoff) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.runs = runs;
        this.signals = signals;
        this.metrics = metrics;
        this.retryBackoff = retryBackoff;
        this.maxRetryBackoff = maxRetryBackoff;
    }

    /** Wakes the pollers of {@code agentId}, here and on other replicas, once the caller's transaction commits. */
    void announce(String agentId) {
        signals.publish(Signals.WORK, agentId);
    }

    /**
     * Leases up to {@code max} ready items of {@code agentId} for {@code leaseTimeout}, records {@code RunDispatched}
     * for each, and returns them with their intents.
     */
    List<Lease> lease(String agentId, int max, Duration leaseTimeout) {
        List<Lease> leases = tx.execute(status -> {
            record Leased(UUID runId, UUID leaseId, int attempt, Instant expires) {}
            List<Leased> leased = jdbc.sql("""
                    WITH RECURSIVE tenants AS (
                        -- the tenants with ready work for this agent, by a loose index scan
                        (SELECT tenant FROM orchestration.work_items
                          WHERE agent_id = :agent AND status = 'ready' ORDER BY tenant LIMIT 1)
                        UNION ALL
                        SELECT (SELECT w.tenant FROM orchestration.work_items w
                                 WHERE w.agent_id = :agent AND w.status = 'ready' AND w.tenant > t.tenant
                                 ORDER BY w.tenant LIMIT 1)
                          FROM tenants t WHERE t.tenant IS NOT NULL
                    ), served AS (
                        -- who got this agent's last 100 dispatches: the fair-share memory
                        SELECT tenant, count(*) AS n
                          FROM (SELECT tenant FROM orchestration.work_items
                                 WHERE agent_id = :agent AND status <> 'ready'
                                 ORDER BY updated_at DESC LIMIT 100) recent
                         GROUP BY tenant
                    ), ranked AS (
                        -- the head of each tenant's queue, ranked within the tenant, pushed back by its recent service
                        SELECT h.run_id, h.priority, h.enqueued_at, h.rn + coalesce(s.n, 0) AS rnk
                          FROM tenants t
                          CROSS JOIN LATERAL (
                                SELECT w.run_id, w.priority, w.enqueued_at,
                                       row_number() OVER (ORDER BY w.priority DESC, w.deadline NULLS LAST, w.enqueued_at) AS rn
                                  FROM orchestration.work_items w
                                 WHERE w.agent_id = :agent AND w.tenant = t.tenant AND w.status = 'ready'
                                   AND w.not_before <= now() AND (w.deadline IS NULL OR w.deadline > now())
                                 ORDER BY w.priority DESC, w.deadline NULLS LAST, w.enqueued_at
                                 LIMIT :heads) h
                          LEFT JOIN served s ON s.tenant = t.tenant
                         WHERE t.tenant IS NOT NULL
                    ), picked AS (
                        SELECT w.run_id
                          FROM orchestration.work_items w JOIN ranked r ON r.run_id = w.run_id
                         WHERE w.status = 'ready'
                         ORDER BY r.rnk, r.priority DESC, r.enqueued_at
                         LIMIT :max
                           FOR UPDATE OF w SKIP LOCKED
                    )
                    UPDATE orchestration.work_items w
                       SET status = 'leased', attempt = w.attempt + 1, lease_id = gen_random_uuid(),
                           lease_expires_at = now() + make_interval(secs => :lease), acked = false, updated_at = now()
                      FROM picked
                     WHERE w.run_id = picked.run_id
                    RETURNING w.run_id, w.lease_id, w.attempt, w.lease_expires_at
                    """)
                    .param("agent", agentId)
                    .param("max", max)
                    .param("heads", max * 4 + 16)
                    .param("lease", leaseTimeout.toMillis() / 1000.0)
                    .query((rs, i) -> new Leased(
                            rs.getObject(1, UUID.class),
                            rs.getObject(2, UUID.class),
                            rs.getInt(3),
                            rs.getTimestamp(4).toInstant()))
                    .list();
            if (leased.isEmpty()) return List.<Lease>of();
            List<Lease> out = new ArrayList<>(leased.size());
            for (Leased l : leased) {
                RunId runId = new RunId(l.runId());
                RunLog.Run run = runs.lock(runId).orElseThrow();
                var state = runs.appendNew(
                        run,
                        List.<LongFunction<AgentEvent>>of(seq -> new AgentEvent.RunDispatched(
                                EventId.random(),
                                runId,
                                seq,
                                Instant.now(),
                                null,
                                V,
                                AgentId.of(agentId),
                                l.attempt(),
                                l.expires())));
                Intent intent = jdbc.sql("SELECT body FROM orchestration.intents WHERE intent_id = ?")
                        .param(state.intentId().value())
                        .query((rs, i) -> ContractJson.read(rs.getString(1), Intent.class))
                        .single();
                out.add(new Lease(runId, l.leaseId(), l.attempt(), l.expires(), state.lastSeq() + 1, intent));
            }
            return out;
        });
        metrics.leased(leases.size());
        return leases;
    }

    /**
     * Leases work, waiting up to {@code wait} for some to arrive. Holds no database connection while waiting; wakes
     * on new work for the agent from any replica.
     */
    List<Lease> poll(String agentId, int max, Duration leaseTimeout, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long seen = signals.version(Signals.WORK, agentId);
            List<Lease> leases = lease(agentId, max, leaseTimeout);
            long left = deadline - System.nanoTime();
            if (!leases.isEmpty() || left <= 0) return leases;
            // also re-check periodically: not_before and requeues become ready without a notification
            signals.await(
                    Signals.WORK,
                    agentId,
                    seen,
                    Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos())));
        }
    }

    /** Extends the given leases of {@code agentId}; returns the lease ids still held, with their new expiry. */
    Map<UUID, Instant> extend(String agentId, List<UUID> leaseIds, Duration leaseTimeout) {
        if (leaseIds.isEmpty()) return Map.of();
        Map<UUID, Instant> held = new java.util.LinkedHashMap<>();
        jdbc.sql(
                        "UPDATE orchestration.work_items SET lease_expires_at = now() + make_interval(secs => ?) "
                                + "WHERE agent_id = ? AND status = 'leased' AND lease_id = ANY(?) RETURNING lease_id, lease_expires_at")
                .params(leaseTimeout.toMillis() / 1000.0, agentId, leaseIds.toArray(UUID[]::new))
                .query((rs, i) ->
                        held.put(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant()))
                .list();
        return held;
    }

    /** A lease the agent no longer holds, and what became of its run's work. */
    record LostLease(UUID leaseId, UUID runId, String workStatus) {}

    /** What became of {@code leaseIds} that are no longer held (cancelled, finished, expired, re-leased). */
    List<LostLease> lost(List<UUID> leaseIds) {
        if (leaseIds.isEmpty()) return List.of();
        List<LostLease> found = jdbc.sql(
                        "SELECT lease_id, run_id, status FROM orchestration.work_items WHERE lease_id = ANY(?)")
                .param(leaseIds.toArray(UUID[]::new))
                .query((rs, i) ->
                        new LostLease(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3)))
                .list();
        List<LostLease> out = new ArrayList<>(found);
        var seen = found.stream().map(LostLease::leaseId).collect(java.util.stream.Collectors.toSet());
        for (UUID id : leaseIds) if (!seen.contains(id)) out.add(new LostLease(id, null, "unknown"));
        return out;
    }

    /** The agent confirms it holds and started the leased run; extends the lease. */
    Instant ack(String agentId, RunId runId, UUID leaseId, Duration leaseTimeout) {
        return jdbc.sql(
                        "UPDATE orchestration.work_items SET acked = true, lease_expires_at = now() + make_interval(secs => ?), "
                                + "updated_at = now() WHERE run_id = ? AND agent_id = ? AND lease_id = ? AND status = 'leased' "
                                + "RETURNING lease_expires_at")
                .params(leaseTimeout.toMillis() / 1000.0, runId.value(), agentId, leaseId)
                .query((rs, i) -> rs.getTimestamp(1).toInstant())
                .optional()
                .orElseThrow(() -> leaseLost(runId));
    }

    /** The agent finished the run; idempotent once done. */
    void complete(String agentId, RunId runId, UUID leaseId) {
        int n = jdbc.sql("UPDATE orchestration.work_items SET status = 'done', lease_expires_at = NULL, "
                        + "updated_at = now() WHERE run_id = ? AND agent_id = ? AND lease_id = ? AND status = 'leased'")
                .params(runId.value(), agentId, leaseId)
                .update();
        if (n == 0) {
            String status = jdbc.sql("SELECT status FROM orchestration.work_items WHERE run_id = ? AND agent_id = ?")
                    .params(runId.value(), agentId)
                    .query(String.class)
                    .optional()
                    .orElseThrow(() -> ProblemException.notFound("work", runId));
            if (!"done".equals(status)) throw leaseLost(runId);
        }
    }

    /**
     * The agent failed the run: it is retried after a backoff while attempts remain and the failure is retryable,
     * otherwise dead-lettered with {@code RunFailed}.
     */
    FailResult fail(String agentId, RunId runId, UUID leaseId, Failure failure, boolean retryable) {
        FailResult result = tx.execute(status -> {
            record Row(int attempt, int maxAttempts) {}
            Row row = jdbc.sql(
                            "SELECT attempt, max_attempts FROM orchestration.work_items WHERE run_id = ? AND agent_id = ? "
                                    + "AND lease_id = ? AND status = 'leased' FOR UPDATE")
                    .params(runId.value(), agentId, leaseId)
                    .query((rs, i) -> new Row(rs.getInt(1), rs.getInt(2)))
                    .optional()
                    .orElseThrow(() -> leaseLost(runId));
            RunLog.Run run = runs.lock(runId).orElseThrow();
            if (retryable && row.attempt() < row.maxAttempts()) {
                Instant notBefore = Instant.now().plus(backoff(row.attempt()));
                requeue(runId, failure, notBefore, run);
                return new FailResult("retried", row.attempt(), notBefore);
            }
            deadLetter(runId, failure, run);
            return new FailResult("dead-lettered", row.attempt(), null);
        });
        if ("retried".equals(result.outcome())) metrics.retried(1);
        else metrics.deadLettered(1);
        return result;
    }

    /** Returns expired leases to the queue (or the dead letters once attempts are used up). */
    int expireLeases() {
        record Row(UUID runId, int attempt, int maxAttempts, String agentId) {}
        int[] counts = new int[2];
        Integer n = tx.execute(status -> {
            List<Row> rows = jdbc.sql("SELECT run_id, attempt, max_attempts, agent_id FROM orchestration.work_items "
                            + "WHERE status = 'leased' AND lease_expires_at < now() LIMIT 500 FOR UPDATE SKIP LOCKED")
                    .query((rs, i) -> new Row(rs.getObject(1, UUID.class), rs.getInt(2), rs.getInt(3), rs.getString(4)))
                    .list();
            for (Row r : rows) {
                RunId runId = new RunId(r.runId());
                RunLog.Run run = runs.lock(runId).orElseThrow();
                Failure lost = new Failure(
                        "lease.lost",
                        "the lease of " + r.agentId() + " (attempt " + r.attempt() + ") expired without a heartbeat");
                if (r.attempt() < r.maxAttempts()) {
                    requeue(runId, lost, Instant.now(), run);
                    counts[0]++;
                } else {
                    deadLetter(runId, lost, run);
                    counts[1]++;
                }
            }
            return rows.size();
        });
        metrics.leasesExpired(n);
        metrics.retried(counts[0]);
        metrics.deadLettered(counts[1]);
        return n;
    }

    /** Expires ready work whose deadline has passed: it is never run. */
    int expireDeadlines() {
        Integer n = tx.execute(status -> {
            List<UUID> rows = jdbc.sql(
                            "SELECT run_id FROM orchestration.work_items WHERE status = 'ready' AND deadline <= now() "
                                    + "LIMIT 500 FOR UPDATE SKIP LOCKED")
                    .query(UUID.class)
                    .list();
            for (UUID id : rows) {
                RunId runId = new RunId(id);
                RunLog.Run run = runs.lock(runId).orElseThrow();
                Instant deadline = jdbc.sql("SELECT deadline FROM orchestration.work_items WHERE run_id = ?")
                        .param(id)
                        .query((rs, i) -> rs.getTimestamp(1).toInstant())
                        .single();
                runs.appendNew(
                        run,
                        List.<LongFunction<AgentEvent>>of(seq -> new AgentEvent.RunExpired(
                                EventId.random(), runId, seq, Instant.now(), null, V, deadline)));
            }
            return rows.size();
        });
        metrics.expired(n);
        return n;
    }

    /** Deletes finished work items older than {@code age}; the run log keeps their history. */
    int purgeFinished(Duration age) {
        return jdbc.sql("DELETE FROM orchestration.work_items WHERE status IN ('done', 'dead', 'expired', 'cancelled') "
                        + "AND updated_at < now() - make_interval(secs => ?)")
                .param(age.toSeconds())
                .update();
    }

    private void requeue(RunId runId, Failure failure, Instant notBefore, RunLog.Run run) {
        jdbc.sql("UPDATE orchestration.work_items SET status = 'ready', lease_expires_at = NULL, "
                        + "not_before = ?, last_failure = ?::jsonb, updated_at = now() WHERE run_id = ?")
                .params(Timestamp.from(notBefore), ContractJson.write(failure), runId.value())
                .update();
        runs.appendNew(
                run,
                List.<LongFunction<AgentEvent>>of(seq -> new AgentEvent.RunRequeued(
                        EventId.random(), runId, seq, Instant.now(), null, V, failure, notBefore)));
        String agent =
                run.state().agentId() == null ? null : run.state().agentId().value();
        if (agent != null) announce(agent);
    }

    private void deadLetter(RunId runId, Failure failure, RunLog.Run run) {
        jdbc.sql("UPDATE orchestration.work_items SET status = 'dead', lease_expires_at = NULL, "
                        + "last_failure = ?::jsonb, updated_at = now() WHERE run_id = ?")
                .params(ContractJson.write(failure), runId.value())
                .update();
        runs.appendNew(
                run,
                List.<LongFunction<AgentEvent>>of(seq -> new AgentEvent.RunFailed(
                        EventId.random(),
                        runId,
                        seq,
                        Instant.now(),
                        null,
                        V,
                        new Failure("work.dead_letter", failure.code() + ": " + failure.message()))));
    }

    Duration backoff(int attempt) {
        long factor = 1L << Math.min(attempt - 1, 20);
        Duration d = retryBackoff.multipliedBy(factor);
        return d.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : d;
    }

    private static ProblemException leaseLost(RunId runId) {
        return ProblemException.conflict(
                "lease-lost",
                "the lease on run " + runId + " is no longer held (it expired, or the run was cancelled or finished)");
    }
}
