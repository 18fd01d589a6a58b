package ai.auraison.governance.internal;

import ai.auraison.contract.ContractJson;
import ai.auraison.platform.ProblemException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The approvals queue: subjects a rule sent to {@code require_approval} wait here, one entry per tenant and subject,
 * until an operator approves or denies them. Idempotent: asking again for the same subject returns its entry.
 */
final class Approvals {

    record Approval(
            UUID approvalId,
            String tenant,
            String subjectKind,
            String subjectRef,
            JsonNode subject,
            String rule,
            String reason,
            String requestedBy,
            String status,
            String decidedBy,
            Instant decidedAt,
            String decisionReason,
            Instant createdAt) {}

    private final JdbcClient jdbc;

    Approvals(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The entry for a subject, created pending when there is none. */
    Approval request(
            String tenant, String kind, String ref, Object subject, String rule, String reason, String requestedBy) {
        jdbc.sql(
                        "INSERT INTO governance.approvals (approval_id, tenant, subject_kind, subject_ref, subject, rule, reason, "
                                + "requested_by, status) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, 'pending') "
                                + "ON CONFLICT (tenant, subject_kind, subject_ref) DO NOTHING")
                .params(UUID.randomUUID(), tenant, kind, ref, ContractJson.write(subject), rule, reason, requestedBy)
                .update();
        return find(tenant, kind, ref).orElseThrow();
    }

    Optional<Approval> find(String tenant, String kind, String ref) {
        return jdbc.sql(SELECT + " WHERE tenant = ? AND subject_kind = ? AND subject_ref = ?")
                .params(tenant, kind, ref)
                .query(Approvals::map)
                .optional();
    }

    Approval get(String tenant, UUID id) {
        return jdbc.sql(SELECT + " WHERE tenant = ? AND approval_id = ?")
                .params(tenant, id)
                .query(Approvals::map)
                .optional()
                .orElseThrow(() -> ProblemException.notFound("approval", id));
    }

    /**
     * Entries of {@code tenant}, newest first (by creation, then id, so that entries created at the same instant keep
     * one order across pages), after the one created at {@code beforeAt} with id {@code beforeId} when given.
     */
    List<Approval> list(String tenant, String status, Instant beforeAt, UUID beforeId, int limit) {
        StringBuilder sql = new StringBuilder(SELECT + " WHERE tenant = ?");
        List<Object> params = new ArrayList<>(List.of(tenant));
        if (status != null) {
            sql.append(" AND status = ?");
            params.add(status);
        }
        if (beforeAt != null) {
            sql.append(" AND (created_at, approval_id) < (?, ?)");
            params.add(Timestamp.from(beforeAt));
            params.add(beforeId);
        }
        sql.append(" ORDER BY created_at DESC, approval_id DESC LIMIT ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params).query(Approvals::map).list();
    }

    /** Approves or denies a pending entry; 409 when it was already decided. */
    Approval decide(String tenant, UUID id, boolean approve, String by, String reason) {
        Approval current = get(tenant, id);
        int n = jdbc.sql(
                        "UPDATE governance.approvals SET status = ?, decided_by = ?, decided_at = now(), decision_reason = ? "
                                + "WHERE tenant = ? AND approval_id = ? AND status = 'pending'")
                .params(approve ? "approved" : "denied", by, reason, tenant, id)
                .update();
        if (n == 0) {
            throw ProblemException.conflict("approval-decided", "approval " + id + " was already " + current.status())
                    .with("status", current.status());
        }
        return get(tenant, id);
    }

    private static final String SELECT =
            "SELECT approval_id, tenant, subject_kind, subject_ref, subject, rule, reason, requested_by, status, decided_by, "
                    + "decided_at, decision_reason, created_at FROM governance.approvals";

    private static Approval map(ResultSet rs, int i) throws SQLException {
        return new Approval(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                ContractJson.tree(rs.getString(5)),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                rs.getTimestamp(11) == null ? null : rs.getTimestamp(11).toInstant(),
                rs.getString(12),
                rs.getTimestamp(13).toInstant());
    }
}
