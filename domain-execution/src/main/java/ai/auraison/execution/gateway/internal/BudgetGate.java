package ai.auraison.execution.gateway.internal;

import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.ModelCallPhases;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicyHook;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.execution.gateway.GatewayCaller;
import ai.auraison.execution.gateway.GatewayException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the model-call {@link PolicyHook}s: before the call with the estimates (attribute
 * {@code gateway.phase=reserve}; any decision other than allow refuses the call with 403), and after it with the
 * actual tokens and cost ({@code gateway.phase=settle}; decisions are informational). Both carry
 * {@code gateway.call-id}, so a budget ledger reserves and settles once per call.
 */
final class BudgetGate {

    private static final Logger log = LoggerFactory.getLogger(BudgetGate.class);

    private final List<PolicyHook> hooks;

    BudgetGate(List<PolicyHook> hooks) {
        this.hooks = List.copyOf(hooks);
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
        try {
            PolicyHook.chain(
                    hooks,
                    new PolicySubject.ModelCallSubject(
                            caller.tenant(), caller.runId(), model, tokensIn, tokensOut, cost),
                    context(caller, callId, ModelCallPhases.SETTLE, Map.of(ModelCallPhases.OUTCOME, outcome)));
        } catch (RuntimeException e) {
            log.warn("a model-call policy hook failed to settle call {}: {}", callId, e.toString());
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
