package ai.auraison.orchestration.internal;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.EventId;
import ai.auraison.contract.Failure;
import ai.auraison.contract.Intent;
import ai.auraison.contract.PolicyEffect;
import ai.auraison.contract.PolicySubjectKind;
import ai.auraison.contract.RunId;
import ai.auraison.contract.RunStatus;
import ai.auraison.contract.SchemaVersions;
import ai.auraison.platform.ApprovalDecided;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Intents admitted as {@code awaiting_approval} go on when an operator decides ({@link ApprovalDecided}, published by
 * governance): approved, the run is queued for the agent admission placed it on; denied, it is rejected with failure
 * {@code approval.denied}. Either way the decision is recorded as a {@code PolicyDecided} event first. A run that is no
 * longer pending (cancelled meanwhile) is left as it is.
 *
 * <p>Governance publishes the event inside the transaction that records the decision; this listener's reads and its
 * transaction template (propagation required, the application's one transaction manager and data source) join it, so
 * the decision and the run's queueing or rejection commit together, and a failure here leaves the approval pending.
 */
final class ApprovedIntents {

    private static final Logger log = LoggerFactory.getLogger(ApprovedIntents.class);
    private static final String V = SchemaVersions.CURRENT;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final RunLog runs;
    private final WorkQueue queue;
    private final Clock clock;
    private final int maxAttempts;

    ApprovedIntents(
            JdbcClient jdbc, TransactionTemplate tx, RunLog runs, WorkQueue queue, Clock clock, int maxAttempts) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.runs = runs;
        this.queue = queue;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
    }

    @EventListener
    void on(ApprovalDecided decided) {
        if (!"intent".equals(decided.subjectKind())) return;
        record Row(RunId runId, String agentId, String body) {}
        Optional<Row> row = jdbc.sql(
                        "SELECT run_id, agent_id, body FROM orchestration.intents WHERE intent_id = ? AND tenant = ?")
                .params(decided.subjectRef(), decided.tenant())
                .query((rs, i) -> new Row(new RunId(rs.getObject(1, UUID.class)), rs.getString(2), rs.getString(3)))
                .optional();
        if (row.isEmpty()) {
            log.warn(
                    "approval {} names intent {} that is not recorded; nothing to release",
                    decided.rule(),
                    decided.subjectRef());
            return;
        }
        Intent intent = ContractJson.read(row.get().body(), Intent.class);
        String agentId = row.get().agentId();
        Boolean queued = tx.execute(status -> {
            RunLog.Run run = runs.lock(row.get().runId()).orElseThrow();
            if (run.state().status() != RunStatus.PENDING || agentId == null) return false;
            var now = clock.instant();
            String reason = (decided.approved() ? "approved by " : "denied by ")
                    + decided.decidedBy()
                    + (decided.reason().isEmpty() ? "" : ": " + decided.reason());
            runs.appendNew(
                    run,
                    List.of(
                            seq -> new AgentEvent.PolicyDecided(
                                    EventId.random(),
                                    run.state().runId(),
                                    seq,
                                    now,
                                    null,
                                    V,
                                    PolicySubjectKind.INTENT,
                                    intent.intentId().value(),
                                    decided.approved() ? PolicyEffect.ALLOW : PolicyEffect.DENY,
                                    decided.rule(),
                                    reason,
                                    false),
                            seq -> decided.approved()
                                    ? new AgentEvent.RunQueued(
                                            EventId.random(),
                                            run.state().runId(),
                                            seq,
                                            now,
                                            null,
                                            V,
                                            intent.intentId(),
                                            AgentId.of(agentId),
                                            intent.policyCtx().tenant(),
                                            intent.effectivePriority(),
                                            intent.deadline())
                                    : new AgentEvent.RunRejected(
                                            EventId.random(),
                                            run.state().runId(),
                                            seq,
                                            now,
                                            null,
                                            V,
                                            intent.intentId(),
                                            new Failure("approval.denied", reason))));
            if (decided.approved()) {
                jdbc.sql(
                                "INSERT INTO orchestration.work_items (run_id, agent_id, tenant, principal, priority, deadline, "
                                        + "status, max_attempts) VALUES (?, ?, ?, ?, ?, ?, 'ready', ?)")
                        .params(
                                run.state().runId().value(),
                                agentId,
                                intent.policyCtx().tenant().value(),
                                intent.policyCtx().principal(),
                                intent.effectivePriority(),
                                intent.deadline() == null ? null : Timestamp.from(intent.deadline()),
                                maxAttempts)
                        .update();
                queue.announce(agentId);
            }
            return decided.approved();
        });
        log.debug(
                "intent {} {} by {}",
                decided.subjectRef(),
                Boolean.TRUE.equals(queued) ? "queued" : "not queued",
                decided.rule());
    }
}
