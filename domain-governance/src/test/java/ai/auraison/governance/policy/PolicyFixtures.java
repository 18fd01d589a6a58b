package ai.auraison.governance.policy;

import ai.auraison.contract.AgentId;
import ai.auraison.contract.RunId;
import ai.auraison.contract.TenantId;
import ai.auraison.contract.ToolCall;
import ai.auraison.contract.ToolCallId;
import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.PolicySubject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** Subjects and contexts for policy tests. */
final class PolicyFixtures {

    static final Instant MONDAY_NOON = Instant.parse("2026-03-02T12:00:00Z");

    private PolicyFixtures() {}

    static DecisionContext ctx(String tenant, String principal, String application, String agent, Instant now) {
        return new DecisionContext(
                TenantId.of(tenant),
                principal,
                application,
                agent == null ? null : AgentId.of(agent),
                null,
                now,
                false,
                Map.of());
    }

    static DecisionContext ctx(String tenant) {
        return ctx(tenant, "ops", "counter-uas", "counter-uas.edge-1", MONDAY_NOON);
    }

    static PolicySubject toolCall(String tool, Map<String, Object> input) {
        return new PolicySubject.ToolCallSubject(
                new ToolCall(ToolCallId.of("call_1"), RunId.random(), tool, input, null, null, null, null, null),
                "airspace-watch");
    }

    static PolicySubject modelCall(String tenant, String model, String costUsd) {
        return new PolicySubject.ModelCallSubject(
                TenantId.of(tenant), RunId.random(), model, 100, 100, new BigDecimal(costUsd));
    }
}
