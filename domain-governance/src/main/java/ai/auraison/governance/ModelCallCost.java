package ai.auraison.governance;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.RunId;
import ai.auraison.contract.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * What one model call actually cost, as the gateway's accounting (or a {@code ModelCallCompleted} event) reports it.
 *
 * @param ref the idempotency key: the {@code ModelCallCompleted} event id, or the gateway's call id; a second settlement
 *     with the same ref changes nothing
 * @param tenant the tenant charged; null when only the run is known (then the run's tenant, as governance saw it at
 *     admission or at the model call, is used)
 * @param runId the run the call served; null for calls outside a run
 * @param model the model that served the call
 * @param tokensIn prompt tokens
 * @param tokensOut completion tokens
 * @param costUsd the cost in US dollars
 * @param at when the call completed (its usage day)
 */
public record ModelCallCost(
        String ref,
        TenantId tenant,
        RunId runId,
        String model,
        long tokensIn,
        long tokensOut,
        BigDecimal costUsd,
        Instant at) {

    public ModelCallCost {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(costUsd, "costUsd");
        Objects.requireNonNull(at, "at");
        if (tenant == null && runId == null) throw new IllegalArgumentException("a cost needs a tenant or a run");
        if (tokensIn < 0 || tokensOut < 0 || costUsd.signum() < 0) {
            throw new IllegalArgumentException("tokens and cost must not be negative");
        }
    }

    /** The cost a {@code ModelCallCompleted} event reports, keyed by its event id. */
    public static ModelCallCost of(AgentEvent.ModelCallCompleted e) {
        return new ModelCallCost(
                e.eventId().toString(), null, e.runId(), e.model(), e.tokensIn(), e.tokensOut(), e.costUsd(), e.ts());
    }
}
