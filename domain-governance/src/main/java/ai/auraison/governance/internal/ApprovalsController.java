package ai.auraison.governance.internal;

import ai.auraison.contract.ContractJson;
import ai.auraison.platform.ApprovalDecided;
import ai.auraison.platform.Caller;
import ai.auraison.platform.Cursors;
import ai.auraison.platform.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The approvals queue: what waits for an operator, and the operator's answer. */
@RestController
@RequestMapping("/api/v1/approvals")
@Tag(name = "approvals", description = "Subjects a policy sent to require_approval, approved or denied by operators")
class ApprovalsController {

    record Decision(@Size(max = 4096) String reason) {}

    private final Approvals approvals;
    private final JdbcBudgetLedger ledger;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final Clock clock = Clock.systemUTC();

    private static final Logger log = LoggerFactory.getLogger(ApprovalsController.class);

    ApprovalsController(
            Approvals approvals,
            JdbcBudgetLedger ledger,
            AuditLog audit,
            PlatformTransactionManager txm,
            ApplicationEventPublisher events) {
        this.approvals = approvals;
        this.ledger = ledger;
        this.audit = audit;
        this.tx = new TransactionTemplate(txm);
        this.events = events;
    }

    @GetMapping
    @Operation(
            summary = "List approvals of the caller's tenant",
            description = "Newest first; filter status (pending, approved, denied)")
    Cursors.Page<Approvals.Approval> list(
            @RequestParam(required = false) String status,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        if (status != null && !List.of("pending", "approved", "denied").contains(status)) {
            throw ProblemException.badParameter("status", "status is pending, approved or denied, was " + status);
        }
        int n = Cursors.limit(limit, 50, 500);
        Cursors.TimeKey before = cursor == null ? null : Cursors.decodeTimeKey(cursor);
        var rows = approvals.list(
                Pages.caller().tenant().value(),
                status,
                before == null ? null : before.at(),
                before == null ? null : before.uuid(),
                n + 1);
        if (rows.size() <= n) return new Cursors.Page<>(rows, null);
        Approvals.Approval last = rows.get(n - 1);
        return new Cursors.Page<>(
                List.copyOf(rows.subList(0, n)),
                Cursors.encode(last.createdAt(), last.approvalId().toString()));
    }

    @GetMapping("/{approvalId}")
    @Operation(summary = "Get an approval", description = "Edges poll this for the operator's answer")
    Approvals.Approval get(@PathVariable String approvalId) {
        return approvals.get(Pages.caller().tenant().value(), id(approvalId));
    }

    @PostMapping("/{approvalId}:approve")
    @Operation(
            summary = "Approve a pending subject",
            description =
                    "An approved intent is queued for its agent; a tool or model call is allowed when decided again. "
                            + "409 when it was already decided.")
    Approvals.Approval approve(@PathVariable String approvalId, @Valid @RequestBody(required = false) Decision body) {
        return decide(approvalId, true, body);
    }

    @PostMapping("/{approvalId}:deny")
    @Operation(
            summary = "Deny a pending subject",
            description = "A denied intent's run is rejected and what it reserved released. 409 when already decided.")
    Approvals.Approval deny(@PathVariable String approvalId, @Valid @RequestBody(required = false) Decision body) {
        return decide(approvalId, false, body);
    }

    /**
     * Records the decision and publishes {@link ApprovalDecided} in one transaction: its listeners (orchestration queues
     * or rejects the intent's run) join it, so the decision and what follows from it commit or roll back together, and
     * an operator can decide again after a failure. A denied intent's reservation is released after the commit; when
     * that fails, the idle release reclaims it.
     */
    private Approvals.Approval decide(String approvalId, boolean approve, Decision body) {
        Caller c = Pages.caller();
        String reason = body == null ? null : body.reason();
        Approvals.Approval decided = tx.execute(status -> {
            var a = approvals.decide(c.tenant().value(), id(approvalId), approve, Pages.actor(c), reason);
            audit.appendNow(new AuditLog.Entry(
                    c.tenant().value(),
                    clock.instant(),
                    Pages.actor(c),
                    AuditLog.ADMIN,
                    approve ? "approval.approve" : "approval.deny",
                    a.subjectKind() + ":" + a.subjectRef(),
                    a.status(),
                    ContractJson.write(Map.of("approvalId", a.approvalId(), "reason", reason == null ? "" : reason))));
            events.publishEvent(new ApprovalDecided(
                    a.tenant(),
                    a.subjectKind(),
                    a.subjectRef(),
                    approve,
                    Pages.actor(c),
                    "approval/" + a.approvalId(),
                    reason));
            return a;
        });
        if (!approve && decided.subjectKind().equals("intent")) {
            try {
                ledger.releaseIntent(decided.subjectRef());
            } catch (RuntimeException e) {
                log.warn(
                        "approval {}: could not release what denied intent {} reserved (the idle release will): {}",
                        decided.approvalId(),
                        decided.subjectRef(),
                        e.toString());
            }
        }
        return decided;
    }

    private static UUID id(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("approval", text);
        }
    }
}
