package ai.auraison.governance.internal;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.PolicySubjectKind;
import ai.auraison.contract.spi.AdmissionQuotas;
import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.ModelCallPhases;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicyHook;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.governance.policy.Evaluation;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The governance {@link PolicyHook}: for every subject, the policies of its tenant decide (baseline, then the tenant's
 * active set); an intent they allow or send to approval is checked against its principal's and tenant's queued-intent
 * and concurrent-run quotas (counts from admission, {@link AdmissionQuotas}); what passes is then checked against the
 * budgets (an intent reserves its run
 * estimates, a model call its estimated cost); what needs approval waits in the approvals queue until an operator
 * decides. Every decision is audited.
 *
 * <p>Rule names: {@code <set>/<rule>} or {@code <set>/default} for policies, {@code budget.<name>} for budgets,
 * {@code approval/<id>} for a subject an operator approved or denied, {@code quota.queued-intents} /
 * {@code quota.concurrent-runs} for quotas. Idempotent per subject: an intent reserves once
 * however often it is admitted, an approval is requested once per subject.
 */
final class GovernanceHook implements PolicyHook {

    static final String NAME = "governance";

    private static final Logger log = LoggerFactory.getLogger(GovernanceHook.class);

    private final PolicyStore policies;
    private final JdbcBudgetLedger ledger;
    private final Approvals approvals;
    private final RateLimits quotas;
    private final AuditLog audit;
    private final GovernanceMetrics metrics;
    private final Clock clock;

    GovernanceHook(
            PolicyStore policies,
            JdbcBudgetLedger ledger,
            Approvals approvals,
            RateLimits quotas,
            AuditLog audit,
            GovernanceMetrics metrics,
            Clock clock) {
        this.policies = policies;
        this.ledger = ledger;
        this.approvals = approvals;
        this.quotas = quotas;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** A decision and, when the subject is in the approvals queue, its approval id. */
    record Outcome(PolicyDecision decision, String approvalId) {}

    @Override
    public PolicyDecision decide(PolicySubject subject, DecisionContext context) {
        return decideInDetail(subject, context).decision();
    }

    Outcome decideInDetail(PolicySubject subject, DecisionContext context) {
        if (subject instanceof PolicySubject.ModelCallSubject call && ModelCallPhases.isSettlement(context)) {
            return settle(call, context);
        }
        long started = System.nanoTime();
        String tenant = tenantOf(subject, context);
        Evaluation evaluation = policies.engine(tenant).evaluate(subject, context);
        PolicyDecision decision = evaluation.decision();
        String approvalId = null;
        if (!(decision instanceof PolicyDecision.Deny) && subject instanceof PolicySubject.IntentSubject) {
            // before the budget: an intent over a quota must reserve nothing
            Optional<PolicyDecision> over = overQuota(tenant, context);
            if (over.isPresent()) decision = over.get();
        }
        if (!(decision instanceof PolicyDecision.Deny)) {
            Optional<JdbcBudgetLedger.Refusal> refusal = switch (subject) {
                case PolicySubject.IntentSubject s ->
                    ledger.reserveForIntent(
                            s.intent(),
                            context.runId(),
                            context.agent() == null ? null : context.agent().value());
                case PolicySubject.ModelCallSubject s -> ledger.reserveForModelCall(s, context);
                case PolicySubject.ToolCallSubject s -> Optional.empty();
            };
            if (refusal.isPresent()) {
                decision =
                        PolicyDecision.deny(refusal.get().rule(), refusal.get().reason());
            } else if (decision instanceof PolicyDecision.RequireApproval pending) {
                Approvals.Approval a = approvals.request(
                        tenant,
                        wire(subject.kind()),
                        subject.ref(),
                        subjectDocument(subject),
                        pending.rule(),
                        pending.reason(),
                        context.principal());
                approvalId = a.approvalId().toString();
                decision = switch (a.status()) {
                    case "approved" ->
                        new PolicyDecision.Allow(
                                "approval/" + a.approvalId(),
                                "approved by " + a.decidedBy() + " (" + pending.rule() + ")");
                    case "denied" ->
                        PolicyDecision.deny(
                                "approval/" + a.approvalId(),
                                "denied by " + a.decidedBy()
                                        + (a.decisionReason() == null ? "" : ": " + a.decisionReason()));
                    default ->
                        new PolicyDecision.RequireApproval(
                                pending.reason() + " (approval " + a.approvalId() + ")", pending.rule());
                };
            }
        }
        String effect = decision.effect().name().toLowerCase(Locale.ROOT);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rule", decision.rule());
        details.put("reason", decision.reason());
        details.put(
                "matched",
                evaluation.matched().stream().map(Evaluation.Match::qualified).toList());
        if (context.runId() != null) details.put("runId", context.runId().toString());
        if (context.agent() != null) details.put("agent", context.agent().value());
        if (approvalId != null) details.put("approvalId", approvalId);
        if (context.degraded()) details.put("degraded", true);
        audit.appendLater(new AuditLog.Entry(
                tenant,
                clock.instant(),
                tenant + "/" + (context.principal() == null ? "?" : context.principal()),
                AuditLog.DECISION,
                "decide." + wire(subject.kind()),
                subject.ref(),
                effect,
                ContractJson.write(details)));
        metrics.decision(wire(subject.kind()), effect, Duration.ofNanos(System.nanoTime() - started));
        return new Outcome(decision, approvalId);
    }

    /**
     * The first quota the intent would exceed, the principal's before the tenant's; counts absent from the context
     * (admission without counts, such as an edge's) are not checked.
     */
    private Optional<PolicyDecision> overQuota(String tenant, DecisionContext context) {
        String principal = context.principal() == null ? "" : context.principal();
        RateLimits.Quota pq = principal.isEmpty() ? null : quotas.quota(tenant, principal);
        RateLimits.Quota tq = quotas.quota(tenant, "");
        if (pq != null) {
            Optional<PolicyDecision> d = check(
                    "principal",
                    principal,
                    AdmissionQuotas.QUEUED_INTENTS,
                    pq.maxQueuedIntents(),
                    context,
                    AdmissionQuotas.PRINCIPAL_QUEUED);
            if (d.isEmpty())
                d = check(
                        "principal",
                        principal,
                        AdmissionQuotas.CONCURRENT_RUNS,
                        pq.maxConcurrentRuns(),
                        context,
                        AdmissionQuotas.PRINCIPAL_RUNNING);
            if (d.isPresent()) return d;
        }
        Optional<PolicyDecision> d = check(
                "tenant",
                tenant,
                AdmissionQuotas.QUEUED_INTENTS,
                tq.maxQueuedIntents(),
                context,
                AdmissionQuotas.TENANT_QUEUED);
        return d.isPresent()
                ? d
                : check(
                        "tenant",
                        tenant,
                        AdmissionQuotas.CONCURRENT_RUNS,
                        tq.maxConcurrentRuns(),
                        context,
                        AdmissionQuotas.TENANT_RUNNING);
    }

    private Optional<PolicyDecision> check(
            String scope, String who, String rule, int limit, DecisionContext context, String countKey) {
        long current = AdmissionQuotas.count(context, countKey);
        if (limit <= 0 || current < limit) return Optional.empty();
        metrics.quotaExceeded(scope, rule);
        String what = rule.equals(AdmissionQuotas.QUEUED_INTENTS) ? "queued intents" : "concurrent runs";
        return Optional.of(AdmissionQuotas.overQuota(
                rule,
                scope,
                limit,
                current,
                "the " + scope + " " + who + " has " + current + " " + what + " and its quota is " + limit));
    }

    /** The settle phase of a model call ({@link ModelCallPhases}): no decision, the settlement of the reserve. */
    private Outcome settle(PolicySubject.ModelCallSubject call, DecisionContext context) {
        String callId = context.attributes().get(ModelCallPhases.CALL_ID);
        if (callId == null || callId.isBlank()) {
            // the gateway always names the call; a settlement without one cannot be told from its own repetition, so
            // charging it could charge twice: it is refused, and what the call reserved goes back at the idle release
            log.warn(
                    "settlement of a {} call of tenant {} without {}: not charged",
                    call.model(),
                    tenantOf(call, context),
                    ModelCallPhases.CALL_ID);
            return new Outcome(
                    PolicyDecision.deny(
                            "budget.unsettled", "a settlement names its call in " + ModelCallPhases.CALL_ID),
                    null);
        }
        ledger.settleCall(
                new ai.auraison.governance.ModelCallCost(
                        "gateway:" + callId,
                        call.tenant() != null ? call.tenant() : context.tenant(),
                        call.runId(),
                        call.model(),
                        call.estimatedTokensIn(),
                        call.estimatedTokensOut(),
                        call.estimatedCostUsd() == null ? java.math.BigDecimal.ZERO : call.estimatedCostUsd(),
                        context.now()),
                callId);
        return new Outcome(PolicyDecision.allow("budget.settled"), null);
    }

    static String tenantOf(PolicySubject subject, DecisionContext context) {
        return switch (subject) {
            case PolicySubject.IntentSubject s ->
                s.intent().policyCtx().tenant().value();
            case PolicySubject.ModelCallSubject s ->
                s.tenant() != null ? s.tenant().value() : context.tenant().value();
            case PolicySubject.ToolCallSubject s -> context.tenant().value();
        };
    }

    static String wire(PolicySubjectKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    static Object subjectDocument(PolicySubject subject) {
        return switch (subject) {
            case PolicySubject.IntentSubject s -> s.intent();
            case PolicySubject.ToolCallSubject s -> Map.of("toolCall", s.call(), "skill", String.valueOf(s.skill()));
            case PolicySubject.ModelCallSubject s -> s;
        };
    }
}
