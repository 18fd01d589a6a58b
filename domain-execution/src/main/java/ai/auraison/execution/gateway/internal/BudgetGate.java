package ai.auraison.execution.gateway.internal;

import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.ModelCallPhases;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicyHook;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.execution.gateway.GatewayCaller;
import ai.auraison.execution.gateway.GatewayException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the model-call {@link PolicyHook}s: before the call with the estimates (attribute
 * {@code gateway.phase=reserve}; any decision other than allow refuses the call with 403), and after it with the
 * actual tokens and cost ({@code gateway.phase=settle}; decisions are informational). Both carry
 * {@code gateway.call-id}, so a budget ledger reserves and settles once per call.
 *
 * <p>A settlement that fails (a hook throws: its database is briefly unreachable, say) is tried again in the
 * background, {@link #SETTLE_ATTEMPTS} times in all with doubling waits, instead of being dropped: the call's usage and
 * cost would otherwise be missing from the ledger and its reservation held until the idle release. Hooks settle
 * idempotently by the call id, so a repeated settlement charges once. A settlement still failing after the last
 * attempt, or pending when the process stops, is logged as lost.
 */
final class BudgetGate {

    static final int SETTLE_ATTEMPTS = 6;

    private static final ScheduledExecutorService RETRIES = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("gateway-settle-retry").daemon(true).factory());

    private static final Logger log = LoggerFactory.getLogger(BudgetGate.class);

    private final List<PolicyHook> hooks;
    private final Duration firstRetry;

    BudgetGate(List<PolicyHook> hooks) {
        this(hooks, Duration.ofSeconds(1));
    }

    BudgetGate(List<PolicyHook> hooks, Duration firstRetry) {
        this.hooks = List.copyOf(hooks);
        this.firstRetry = firstRetry;
    }

    List<PolicyDecision> reserve(
            GatewayCaller caller, UUID callId, String model, long tokensIn, long tokensOut, BigDecimal cost) {
        if (hooks.isEmpty()) return List.of();
        List<PolicyDecision> decisions = PolicyHook.chain(
                hooks,
                new PolicySubject.ModelCallSubject(caller.tenant(), caller.runId(), model, tokensIn, tokensOut, cost),
                context(caller, callId, ModelCallPhases.RESERVE, Map.of()));
        PolicyDecision last = decisions.get(decisions.size() - 1);
        if (!(last instanceof PolicyDecision.Allow)) {
            throw GatewayException.policyDenied(last.rule(), last.reason());
        }
        return decisions;
    }

    void settle(
            GatewayCaller caller,
            UUID callId,
            String model,
            long tokensIn,
            long tokensOut,
            BigDecimal cost,
            String outcome) {
        if (hooks.isEmpty()) return;
        PolicySubject.ModelCallSubject subject =
                new PolicySubject.ModelCallSubject(caller.tenant(), caller.runId(), model, tokensIn, tokensOut, cost);
        DecisionContext context =
                context(caller, callId, ModelCallPhases.SETTLE, Map.of(ModelCallPhases.OUTCOME, outcome));
        settle(callId, subject, context, 1);
    }

    private void settle(UUID callId, PolicySubject.ModelCallSubject subject, DecisionContext context, int attempt) {
        try {
            PolicyHook.chain(hooks, subject, context);
            if (attempt > 1) log.info("call {} settled at attempt {}", callId, attempt);
        } catch (RuntimeException e) {
            if (attempt >= SETTLE_ATTEMPTS) {
                log.error(
                        "settlement of call {} failed {} times, lost: its usage is not recorded and its reservation "
                                + "waits for the idle release: {}",
                        callId,
                        attempt,
                        e.toString());
                return;
            }
            Duration wait = firstRetry.multipliedBy(1L << (attempt - 1));
            log.warn(
                    "a model-call policy hook failed to settle call {} (attempt {} of {}), trying again in {} ms: {}",
                    callId,
                    attempt,
                    SETTLE_ATTEMPTS,
                    wait.toMillis(),
                    e.toString());
            RETRIES.schedule(
                    () -> settle(callId, subject, context, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static DecisionContext context(GatewayCaller caller, UUID callId, String phase, Map<String, String> more) {
        var attributes = new java.util.HashMap<String, String>(more);
        attributes.put(ModelCallPhases.PHASE, phase);
        attributes.put(ModelCallPhases.CALL_ID, callId.toString());
        return new DecisionContext(
                caller.tenant(),
                caller.keyId(),
                "model-gateway",
                null,
                caller.runId(),
                Instant.now(),
                false,
                attributes);
    }
}
