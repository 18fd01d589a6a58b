package ai.auraison.governance;

import ai.auraison.contract.Failure;
import ai.auraison.contract.RunId;
import ai.auraison.contract.spi.PolicyDecision;
import java.util.Optional;

/**
 * The budget ledger's entry points for what happens after a decision: the model gateway's accounting (or the ingestion
 * of {@code ModelCallCompleted} events) settles what each call actually cost, and the end of a run releases what its
 * pool still holds. Reservations are made by the governance {@code PolicyHook} (at admission for an intent, before a
 * model call for a {@code ModelCallSubject}).
 *
 * <p>Thread-safe, and safe across replicas (every balance change is a conditional update under PostgreSQL's row lock).
 * A budget is never overshot as long as a call costs no more than what was reserved for it (the gateway reserves an
 * upper bound: max tokens × price).
 */
public interface BudgetLedger {

    /**
     * Settles one model call: charges its actual cost to the budgets of its run's pool (releasing up to that much of
     * what the pool holds), and records usage per tenant, model and day. Idempotent on {@link ModelCallCost#ref()}.
     * Returns false when the ref was settled before (nothing changed).
     */
    boolean settle(ModelCallCost cost);

    /** Releases what the pool of {@code runId} still holds (the run finished). Idempotent. */
    void release(RunId runId);

    /**
     * The failure to record (as {@code RunFailed}) for a run stopped because a model call was refused by a budget:
     * code {@code budget.exceeded}, message naming the budget. Empty when the decision was not a budget's.
     */
    static Optional<Failure> failureFor(PolicyDecision decision) {
        if (!(decision instanceof PolicyDecision.Deny deny) || !deny.rule().startsWith("budget.")) {
            return Optional.empty();
        }
        return Optional.of(new Failure("budget.exceeded", deny.reason()));
    }
}
