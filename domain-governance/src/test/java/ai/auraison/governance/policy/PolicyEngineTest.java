package ai.auraison.governance.policy;

import static ai.auraison.governance.policy.PolicyFixtures.MONDAY_NOON;
import static ai.auraison.governance.policy.PolicyFixtures.ctx;
import static ai.auraison.governance.policy.PolicyFixtures.modelCall;
import static ai.auraison.governance.policy.PolicyFixtures.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.contract.PolicyEffect;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.testfixtures.ContractFixtures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {

    private static PolicyEngine engine(String... yaml) {
        return PolicyEngine.of(
                java.util.Arrays.stream(yaml).map(PolicyDocuments::parse).toList(), PolicyEffect.ALLOW);
    }

    @Test
    void denyBeatsApprovalWhichBeatsAllowAndEveryMatchIsListed() {
        PolicyEngine engine = engine("""
                name: base
                rules:
                  - {id: allow-tools, subjects: [tool_call], effect: allow}
                  - {id: approve-recommend, subjects: [tool_call], effect: require_approval, when: {tools: [recommend_response]}}
                """, """
                name: tenant
                rules:
                  - {id: no-intercept, subjects: [tool_call], effect: deny, when: {input: [{pointer: /action, equals: intercept}]}}
                """);
        Evaluation jam = engine.evaluate(toolCall("recommend_response", Map.of("action", "jam")), ctx("acme"));
        assertThat(jam.decision()).isInstanceOf(PolicyDecision.RequireApproval.class);
        assertThat(jam.decision().rule()).isEqualTo("base/approve-recommend");
        assertThat(jam.matched())
                .extracting(Evaluation.Match::rule)
                .containsExactly("allow-tools", "approve-recommend");

        Evaluation intercept =
                engine.evaluate(toolCall("recommend_response", Map.of("action", "intercept")), ctx("acme"));
        assertThat(intercept.decision()).isInstanceOf(PolicyDecision.Deny.class);
        assertThat(intercept.decision().rule()).isEqualTo("tenant/no-intercept");
        assertThat(intercept.matched()).hasSize(3);

        Evaluation detect = engine.evaluate(toolCall("detect_objects", Map.of()), ctx("acme"));
        assertThat(detect.decision()).isInstanceOf(PolicyDecision.Allow.class);
        assertThat(detect.decision().rule()).isEqualTo("base/allow-tools");
    }

    @Test
    void theLastDeclaredDefaultAppliesWhenNothingMatches() {
        PolicyEngine engine = engine(
                "name: base\ndefaultEffect: allow\nrules: []\n", "name: strict\ndefaultEffect: deny\nrules: []\n");
        Evaluation e = engine.evaluate(toolCall("detect_objects", Map.of()), ctx("acme"));
        assertThat(e.defaulted()).isTrue();
        assertThat(e.matched()).isEmpty();
        assertThat(e.decision()).isInstanceOf(PolicyDecision.Deny.class);
        assertThat(e.decision().rule()).isEqualTo("strict/default");
        assertThat(PolicyEngine.of(List.of(), PolicyEffect.ALLOW)
                        .evaluate(toolCall("x", Map.of()), ctx("acme"))
                        .decision()
                        .rule())
                .isEqualTo("policy/default");
    }

    @Test
    void matchesIntentsByTenantPrincipalTypeAndParams() {
        PolicyEngine engine = engine("""
                name: s
                rules:
                  - id: big-mazes
                    subjects: [intent]
                    effect: deny
                    when:
                      tenants: [acme]
                      principals: ["operator@*"]
                      intentTypes: ["maze.*"]
                      input: [{pointer: /size/width, greaterThan: 100}]
                """);
        PolicySubject small = new PolicySubject.IntentSubject(ContractFixtures.anIntent()
                .withParams(Map.of("size", Map.of("width", 10)))
                .build());
        PolicySubject big = new PolicySubject.IntentSubject(ContractFixtures.anIntent()
                .withParams(Map.of("size", Map.of("width", 101)))
                .build());
        PolicySubject otherTenant = new PolicySubject.IntentSubject(ContractFixtures.anIntent()
                .forTenant("globex")
                .withParams(Map.of("size", Map.of("width", 101)))
                .build());
        assertThat(engine.evaluate(small, ctx("acme")).decision()).isInstanceOf(PolicyDecision.Allow.class);
        assertThat(engine.evaluate(big, ctx("acme")).decision()).isInstanceOf(PolicyDecision.Deny.class);
        assertThat(engine.evaluate(otherTenant, ctx("globex")).decision()).isInstanceOf(PolicyDecision.Allow.class);
    }

    @Test
    void inputOperatorsCompareNumbersByValueAndTreatAbsentValues() {
        PolicyEngine engine = engine("""
                name: s
                rules:
                  - {id: eq, subjects: [tool_call], effect: deny, when: {tools: [eq], input: [{pointer: /n, equals: 2}]}}
                  - {id: ne, subjects: [tool_call], effect: deny, when: {tools: [ne], input: [{pointer: /mode, notEquals: safe}]}}
                  - {id: rx, subjects: [tool_call], effect: deny, when: {tools: [rx], input: [{pointer: /path/0, matches: "/etc/.*"}]}}
                  - {id: ex, subjects: [tool_call], effect: deny, when: {tools: [ex], input: [{pointer: "/a~1b", exists: true}]}}
                  - {id: lt, subjects: [tool_call], effect: deny, when: {tools: [lt], input: [{pointer: /v, lessThan: 0}]}}
                """);
        assertThat(deny(engine, "eq", Map.of("n", 2.0))).isTrue();
        assertThat(deny(engine, "eq", Map.of("n", "2"))).isFalse();
        assertThat(deny(engine, "ne", Map.of())).isTrue();
        assertThat(deny(engine, "ne", Map.of("mode", "safe"))).isFalse();
        assertThat(deny(engine, "rx", Map.of("path", List.of("/etc/passwd")))).isTrue();
        assertThat(deny(engine, "rx", Map.of("path", List.of("/tmp/etc/x")))).isFalse();
        assertThat(deny(engine, "ex", Map.of("a/b", 1))).isTrue();
        assertThat(deny(engine, "ex", Map.of("a", Map.of("b", 1)))).isFalse();
        assertThat(deny(engine, "lt", Map.of("v", -1))).isTrue();
        assertThat(deny(engine, "lt", Map.of("v", "-1"))).isFalse();
    }

    private static boolean deny(PolicyEngine engine, String tool, Map<String, Object> input) {
        return engine.evaluate(toolCall(tool, input), ctx("acme")).decision() instanceof PolicyDecision.Deny;
    }

    @Test
    void matchesModelCallsByModelAndEstimatedCost() {
        PolicyEngine engine = engine("""
                name: s
                rules:
                  - {id: cheap-only, subjects: [model_call], effect: deny, when: {models: ["claude-*"], estimatedCostUsd: {above: 0.5}}}
                """);
        assertThat(engine.evaluate(modelCall("acme", "claude-opus", "0.51"), ctx("acme"))
                        .decision())
                .isInstanceOf(PolicyDecision.Deny.class);
        assertThat(engine.evaluate(modelCall("acme", "claude-opus", "0.5"), ctx("acme"))
                        .decision())
                .isInstanceOf(PolicyDecision.Allow.class);
        assertThat(engine.evaluate(modelCall("acme", "gpt-x", "9"), ctx("acme")).decision())
                .isInstanceOf(PolicyDecision.Allow.class);
    }

    @Test
    void timeWindowsHonourDaysZonesAndMidnight() {
        PolicyEngine engine = engine("""
                name: s
                rules:
                  - {id: night, subjects: [tool_call], effect: deny, when: {timeWindow: {days: [mon], from: "22:00", to: "06:00", zone: Europe/Berlin}}}
                """);
        // Monday 2026-03-02: Berlin is UTC+1
        assertThat(denyAt(engine, "2026-03-02T21:30:00Z")).isTrue(); // 22:30 Berlin
        assertThat(denyAt(engine, "2026-03-02T04:00:00Z")).isTrue(); // 05:00 Berlin
        assertThat(denyAt(engine, "2026-03-02T12:00:00Z")).isFalse();
        assertThat(denyAt(engine, "2026-03-03T04:00:00Z")).isFalse(); // Tuesday
    }

    private static boolean denyAt(PolicyEngine engine, String instant) {
        return engine.evaluate(toolCall("t", Map.of()), ctx("acme", "ops", "counter-uas", null, Instant.parse(instant)))
                        .decision()
                instanceof PolicyDecision.Deny;
    }

    @Test
    void matchesApplicationsAndAgentsByGlob() {
        PolicyEngine engine = engine("""
                name: s
                rules:
                  - {id: edge-1-only, subjects: [tool_call], effect: deny, when: {applications: [counter-uas], agents: ["*.edge-1"]}}
                """);
        assertThat(engine.evaluate(toolCall("t", Map.of()), ctx("acme")).decision())
                .isInstanceOf(PolicyDecision.Deny.class);
        assertThat(engine.evaluate(
                                toolCall("t", Map.of()),
                                ctx("acme", "ops", "counter-uas", "counter-uas.edge-2", MONDAY_NOON))
                        .decision())
                .isInstanceOf(PolicyDecision.Allow.class);
        assertThat(engine.evaluate(toolCall("t", Map.of()), ctx("acme", "ops", null, "x.edge-1", MONDAY_NOON))
                        .decision())
                .isInstanceOf(PolicyDecision.Allow.class);
    }
}
