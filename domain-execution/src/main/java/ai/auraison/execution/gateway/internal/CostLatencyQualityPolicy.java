package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.GatewayProperties.Objective;
import ai.auraison.execution.gateway.spi.ModelSelectionPolicy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The default {@link ModelSelectionPolicy}: keeps the candidates that meet every constraint (quality, recent median
 * latency, blended price, error rate, breaker closed), ranks them by the objective (cost: estimated cost of this
 * call; latency: recent latency, unknown counted as unseen-best so new deployments get traffic; quality: score),
 * and puts the others after them as fallbacks. When none qualifies it takes the best-ranked of all and says so.
 */
final class CostLatencyQualityPolicy implements ModelSelectionPolicy {

    @Override
    public Selection select(SelectionRequest request, List<Candidate> candidates) {
        Constraints c = request.constraints();
        List<Candidate> eligible = new ArrayList<>();
        List<Candidate> others = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (meets(candidate, c, request)) eligible.add(candidate);
            else others.add(candidate);
        }
        Comparator<Candidate> order = comparator(c.objective(), request);
        eligible.sort(order);
        others.sort(Comparator.comparing((Candidate k) -> !k.available()).thenComparing(order));
        List<String> ordered = new ArrayList<>();
        eligible.forEach(k -> ordered.add(k.deployment()));
        others.forEach(k -> ordered.add(k.deployment()));
        Candidate chosen = eligible.isEmpty() ? others.get(0) : eligible.get(0);
        String reason = (eligible.isEmpty()
                        ? "no candidate met the constraints (" + describe(c) + "); took the best by "
                                + name(c.objective())
                        : "best by " + name(c.objective()) + " of " + eligible.size() + "/" + candidates.size()
                                + " candidates meeting " + describe(c))
                + ": " + chosen.deployment() + " (est. $"
                + estimatedCost(chosen, request).setScale(6, RoundingMode.HALF_UP)
                + ", quality " + chosen.quality() + ", latency "
                + (chosen.stats().samples() == 0
                        ? "unknown"
                        : Math.round(chosen.stats().latencyMs()) + " ms")
                + ", error rate "
                + String.format(Locale.ROOT, "%.2f", chosen.stats().errorRate()) + ")";
        return new Selection(ordered, reason);
    }

    private static boolean meets(Candidate k, Constraints c, SelectionRequest request) {
        if (!k.available()) return false;
        if (k.quality() < c.minQuality()) return false;
        if (k.stats().samples() > 0 && k.stats().errorRate() > c.maxErrorRate()) return false;
        if (c.maxLatency() != null
                && k.stats().samples() > 0
                && k.stats().latencyMs() > c.maxLatency().toMillis()) {
            return false;
        }
        return c.maxCostPerMillion() == null || blendedPrice(k, request).compareTo(c.maxCostPerMillion()) <= 0;
    }

    private static Comparator<Candidate> comparator(Objective objective, SelectionRequest request) {
        Comparator<Candidate> byCost = Comparator.comparing(k -> estimatedCost(k, request));
        Comparator<Candidate> byLatency = Comparator.comparingDouble(
                k -> k.stats().samples() == 0 ? 0 : k.stats().latencyMs());
        Comparator<Candidate> byQuality = Comparator.comparingDouble(k -> -k.quality());
        return switch (objective) {
            case COST -> byCost.thenComparing(byLatency).thenComparing(byQuality);
            case LATENCY -> byLatency.thenComparing(byCost).thenComparing(byQuality);
            case QUALITY -> byQuality.thenComparing(byCost).thenComparing(byLatency);
        };
    }

    static BigDecimal estimatedCost(Candidate k, SelectionRequest request) {
        return k.inputPricePerMillion()
                .multiply(BigDecimal.valueOf(request.estimatedTokensIn()))
                .add(k.outputPricePerMillion().multiply(BigDecimal.valueOf(request.estimatedTokensOut())))
                .divide(BigDecimal.valueOf(1_000_000), 9, RoundingMode.HALF_UP);
    }

    /** Price per million tokens at this call's input/output mix. */
    private static BigDecimal blendedPrice(Candidate k, SelectionRequest request) {
        long total = Math.max(1, request.estimatedTokensIn() + request.estimatedTokensOut());
        return estimatedCost(k, request)
                .multiply(BigDecimal.valueOf(1_000_000))
                .divide(BigDecimal.valueOf(total), 9, RoundingMode.HALF_UP);
    }

    private static String describe(Constraints c) {
        StringBuilder s = new StringBuilder("quality>=" + c.minQuality());
        if (c.maxLatency() != null)
            s.append(", latency<=").append(c.maxLatency().toMillis()).append(" ms");
        if (c.maxCostPerMillion() != null)
            s.append(", price<=$").append(c.maxCostPerMillion()).append("/Mtok");
        s.append(", error rate<=").append(c.maxErrorRate());
        return s.toString();
    }

    private static String name(Objective objective) {
        return objective.name().toLowerCase(Locale.ROOT);
    }
}
