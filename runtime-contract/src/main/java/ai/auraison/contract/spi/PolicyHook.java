package ai.auraison.contract.spi;

import java.util.List;

/**
 * Decides whether a subject (an intent, a tool call, a model call) may proceed: the guardrail, quota and tenancy
 * checks of the runtime. Hooks are chained; the first decision that is not an allow wins, and every decision is
 * recorded as a {@code PolicyDecided} event.
 *
 * <p>Threading: called concurrently from request and run threads; implementations are thread-safe and must not
 * block for long (a hook that needs I/O bounds it with a timeout and fails closed). Idempotency: deciding twice on
 * the same subject has no side effect beyond what the hook documents (a budget hook reserves once per subject ref).
 */
public interface PolicyHook {

    /** A stable name, used as the rule prefix in decisions. */
    String name();

    /** The decision on {@code subject} in {@code context}; never null. */
    PolicyDecision decide(PolicySubject subject, DecisionContext context);

    /** Runs {@code hooks} in order and returns every decision up to and including the first one that is not an allow. */
    static List<PolicyDecision> chain(
            List<? extends PolicyHook> hooks, PolicySubject subject, DecisionContext context) {
        var decisions = new java.util.ArrayList<PolicyDecision>(hooks.size());
        for (PolicyHook hook : hooks) {
            PolicyDecision d = hook.decide(subject, context);
            decisions.add(d);
            if (!(d instanceof PolicyDecision.Allow)) break;
        }
        return decisions;
    }
}
