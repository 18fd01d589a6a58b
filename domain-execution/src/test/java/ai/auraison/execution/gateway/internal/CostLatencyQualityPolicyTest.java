package ai.auraison.execution.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.contract.TenantId;
import ai.auraison.execution.gateway.GatewayProperties.Objective;
import ai.auraison.execution.gateway.spi.ModelSelectionPolicy.Candidate;
import ai.auraison.execution.gateway.spi.ModelSelectionPolicy.Constraints;
import ai.auraison.execution.gateway.spi.ModelSelectionPolicy.Selection;
import ai.auraison.execution.gateway.spi.ModelSelectionPolicy.SelectionRequest;
import ai.auraison.execution.gateway.spi.ModelSelectionPolicy.Stats;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostLatencyQualityPolicyTest {

    final CostLatencyQualityPolicy policy = new CostLatencyQualityPolicy();

    static Candidate candidate(String name, String in, String out, double quality, Stats stats, boolean available) {
        return new Candidate(name, "p", new BigDecimal(in), new BigDecimal(out), quality, stats, available);
    }

    static SelectionRequest request(Objective objective, double minQuality, Duration maxLatency) {
        return new SelectionRequest(
                TenantId.of("t"), 1000, 500, new Constraints(objective, minQuality, maxLatency, null, 0.5));
    }

    final List<Candidate> candidates = List.of(
            candidate("cheap", "0.1", "0.2", 0.4, new Stats(50, 3000, 900, 0.05), true),
            candidate("fast", "1", "2", 0.7, new Stats(50, 400, 100, 0.0), true),
            candidate("smart", "3", "15", 0.95, new Stats(50, 1500, 600, 0.0), true));

    @Test
    void choosesTheCheapestAndKeepsTheOthersAsFallbacks() {
        Selection s = policy.select(request(Objective.COST, 0, null), candidates);
        assertThat(s.ordered()).containsExactly("cheap", "fast", "smart");
        assertThat(s.reason()).startsWith("best by cost of 3/3").contains("cheap");
    }

    @Test
    void respectsQualityAndLatencyConstraints() {
        assertThat(policy.select(request(Objective.COST, 0.8, null), candidates).ordered())
                .startsWith("smart");
        assertThat(policy.select(request(Objective.COST, 0.5, Duration.ofMillis(1000)), candidates)
                        .ordered())
                .startsWith("fast");
        assertThat(policy.select(request(Objective.LATENCY, 0, null), candidates)
                        .ordered())
                .startsWith("fast");
        assertThat(policy.select(request(Objective.QUALITY, 0, null), candidates)
                        .ordered())
                .startsWith("smart");
    }

    @Test
    void avoidsDeploymentsThatFailOrAreOpen() {
        List<Candidate> troubled = List.of(
                candidate("cheap", "0.1", "0.2", 0.4, new Stats(50, 300, 90, 0.9), true),
                candidate("open", "0.1", "0.2", 0.4, Stats.NONE, false),
                candidate("fine", "1", "2", 0.7, Stats.NONE, true));
        Selection s = policy.select(request(Objective.COST, 0, null), troubled);
        assertThat(s.ordered()).containsExactly("fine", "cheap", "open");
    }

    @Test
    void saysSoWhenNoCandidateMeetsTheConstraints() {
        Selection s = policy.select(request(Objective.COST, 0.99, null), candidates);
        assertThat(s.reason()).startsWith("no candidate met the constraints");
        assertThat(s.ordered()).hasSize(3);
    }
}
