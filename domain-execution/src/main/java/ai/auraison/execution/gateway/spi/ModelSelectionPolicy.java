package ai.auraison.execution.gateway.spi;

import ai.auraison.contract.TenantId;
import ai.auraison.execution.gateway.GatewayProperties.Objective;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Chooses, per call of the virtual model {@code auto}, which deployment serves it and in which order the others
 * are tried. The gateway's default filters by the constraints and ranks by the objective using the price table and
 * live statistics; a learned router can replace it with a bean of its own.
 *
 * <p>Threading: called concurrently on request threads; must be quick and must not block. Idempotency: pure.
 */
public interface ModelSelectionPolicy {

    /**
     * The selection for {@code request} among {@code candidates} (never empty).
     *
     * @return the deployments to try in order, the first being the choice, and the reason in words
     */
    Selection select(SelectionRequest request, List<Candidate> candidates);

    /**
     * What a call may accept: the objective to optimise, and bounds (null: unbounded).
     *
     * @param objective cost, latency or quality
     * @param minQuality the lowest quality score (0–1)
     * @param maxLatency the highest recent median latency, or null
     * @param maxCostPerMillion the highest blended price per million tokens (US dollars), or null
     * @param maxErrorRate the highest recent error rate (0–1)
     */
    record Constraints(
            Objective objective,
            double minQuality,
            Duration maxLatency,
            BigDecimal maxCostPerMillion,
            double maxErrorRate) {
        public Constraints {
            Objects.requireNonNull(objective, "objective");
        }
    }

    /**
     * One call to choose for.
     *
     * @param tenant the caller's tenant
     * @param estimatedTokensIn the estimated input tokens
     * @param estimatedTokensOut the estimated output tokens (the request's limit, or a default)
     * @param constraints the constraints in force
     */
    record SelectionRequest(
            TenantId tenant, long estimatedTokensIn, long estimatedTokensOut, Constraints constraints) {}

    /**
     * Live statistics of one deployment over its recent calls (exponentially weighted).
     *
     * @param samples how many calls the figures rest on (zero: nothing known yet)
     * @param latencyMs the typical total latency in milliseconds
     * @param ttftMs the typical time to first token in milliseconds (streams), or 0 when unknown
     * @param errorRate the recent share of failed calls (0–1)
     */
    record Stats(long samples, double latencyMs, double ttftMs, double errorRate) {
        /** Statistics of a deployment never called. */
        public static final Stats NONE = new Stats(0, 0, 0, 0);
    }

    /**
     * A deployment that may serve the call.
     *
     * @param deployment its name
     * @param provider its provider's name
     * @param inputPricePerMillion US dollars per million input tokens
     * @param outputPricePerMillion US dollars per million output tokens
     * @param quality its 0–1 quality score
     * @param stats its live statistics
     * @param available false while its circuit breaker is open
     */
    record Candidate(
            String deployment,
            String provider,
            BigDecimal inputPricePerMillion,
            BigDecimal outputPricePerMillion,
            double quality,
            Stats stats,
            boolean available) {}

    /**
     * The outcome: deployments in the order to try them (the first is the choice) and why.
     *
     * @param ordered at least one deployment name, each a candidate's
     * @param reason the reason in words, recorded with the call
     */
    record Selection(List<String> ordered, String reason) {
        public Selection {
            if (ordered == null || ordered.isEmpty())
                throw new IllegalArgumentException("a selection names a deployment");
            ordered = List.copyOf(ordered);
            Objects.requireNonNull(reason, "reason");
        }
    }
}
