package ai.auraison.governance.internal;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.Domain;
import ai.auraison.contract.Intent;
import ai.auraison.contract.ProjectionEvent;
import ai.auraison.contract.RunId;
import ai.auraison.contract.spi.ProjectionAdapter;
import java.util.List;

/**
 * Governance as a projection of the event log: each run's terminal event releases what its pool still holds. Costs are
 * settled by the model gateway's settle phase through the governance hook (every call the central gateway serves);
 * {@code ModelCallCompleted} events are not settled here, which would count those calls twice. Calls served elsewhere
 * (an edge's local providers while central was down) are settled with {@link ai.auraison.governance.BudgetLedger#settle}
 * and {@link ai.auraison.governance.ModelCallCost#of} by whoever reconciles them. Whatever tails the event log calls
 * {@link #ingest} with the events in log order; governance is never driven.
 */
final class GovernanceProjection implements ProjectionAdapter {

    private final JdbcBudgetLedger ledger;

    GovernanceProjection(JdbcBudgetLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public Domain domain() {
        return Domain.GOVERNANCE;
    }

    @Override
    public void drive(Intent intent, RunId runId) {
        // governance decides on intents at admission (its PolicyHook); nothing runs in it
    }

    @Override
    public List<ProjectionEvent> ingest(List<AgentEvent> events) {
        for (AgentEvent e : events) {
            if (e.isTerminal()) ledger.release(e.runId());
        }
        return List.of();
    }
}
