package ai.auraison.governance.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.auraison.contract.PolicyEffect;
import ai.auraison.contract.PolicySubjectKind;
import org.junit.jupiter.api.Test;

class PolicyDocumentsTest {

    static final String EXAMPLE = """
            name: acme-production
            description: what acme allows
            defaultEffect: allow
            rules:
              - id: uas.recommend-response-needs-approval
                subjects: [tool_call]
                effect: require_approval
                reason: a recommended response waits for an operator
                when:
                  applications: [counter-uas]
                  tools: [recommend_response]
                  input:
                    - {pointer: /action, in: [jam, intercept]}
                    - {pointer: /confidence, greaterThan: 0.7}
                  timeWindow: {days: [sat, sun], from: "08:00", to: "18:00", zone: Europe/Berlin}
              - id: no-expensive-models
                subjects: [model_call]
                effect: deny
                when:
                  models: [claude-*]
                  estimatedCostUsd: {above: 0.5}
            """;

    @Test
    void parsesTheDocumentedFormat() {
        PolicySet set = PolicyDocuments.parse(EXAMPLE);
        assertThat(set.name()).isEqualTo("acme-production");
        assertThat(set.defaultEffect()).isEqualTo(PolicyEffect.ALLOW);
        assertThat(set.rules()).hasSize(2);
        PolicyRule first = set.rules().getFirst();
        assertThat(first.subjects()).containsExactly(PolicySubjectKind.TOOL_CALL);
        assertThat(first.effect()).isEqualTo(PolicyEffect.REQUIRE_APPROVAL);
        assertThat(first.when().input()).hasSize(2);
        assertThat(first.when().timeWindow().days()).hasSize(2);
    }

    @Test
    void roundTripsThroughJson() {
        PolicySet set = PolicyDocuments.parse(EXAMPLE);
        String json = PolicyDocuments.toJson(set);
        PolicySet again = PolicyDocuments.parse(json);
        assertThat(PolicyDocuments.toJson(again)).isEqualTo(json);
        assertThat(again.rules().getFirst().when().input().get(1).value()).isEqualTo(new java.math.BigDecimal("0.7"));
    }

    private static void refused(String yaml, String rule, String field, String message) {
        assertThatThrownBy(() -> PolicyDocuments.parse(yaml))
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> {
                    assertThat(e.rule()).isEqualTo(rule);
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void refusesAnUnknownFieldNamingTheRuleAndField() {
        refused("""
                name: s
                rules:
                  - id: r1
                    subjects: [intent]
                    effect: deny
                    when: {intentType: [maze.solve]}
                """, "r1", "rules[0].when.intentType", "unknown field");
    }

    @Test
    void refusesAToolConditionOnAnIntentRule() {
        refused("""
                name: s
                rules:
                  - id: ok
                    subjects: [intent]
                    effect: allow
                  - id: mixed
                    subjects: [intent, tool_call]
                    effect: deny
                    when: {tools: [detect_objects]}
                """, "mixed", "rules[1].when.tools", "applies only to [tool_call]");
    }

    @Test
    void refusesAnUnknownEffect() {
        refused(
                "name: s\nrules:\n  - {id: r, subjects: [intent], effect: maybe}\n",
                "r",
                "rules[0].effect",
                "unknown effect");
    }

    @Test
    void namesARuleWithoutAnIdByItsIndex() {
        refused("name: s\nrules:\n  - {subjects: [intent], effect: deny}\n", "#0", "rules[0].id", "required");
    }

    @Test
    void refusesDuplicateRuleIds() {
        refused(
                "name: s\nrules:\n  - {id: r, subjects: [intent], effect: deny}\n  - {id: r, subjects: [intent], effect: allow}\n",
                "r",
                "rules[1].id",
                "duplicate");
    }

    @Test
    void refusesABadRegularExpressionAndPointer() {
        refused(
                "name: s\nrules:\n  - {id: r, subjects: [intent], effect: deny, when: {input: [{pointer: /a, matches: '('}]}}\n",
                "r",
                "rules[0].when.input[0].matches",
                "not a regular expression");
        refused(
                "name: s\nrules:\n  - {id: r, subjects: [intent], effect: deny, when: {input: [{pointer: a, equals: 1}]}}\n",
                "r",
                "rules[0].when.input[0].pointer",
                "JSON pointer");
        refused(
                "name: s\nrules:\n  - {id: r, subjects: [intent], effect: deny, when: {input: [{pointer: /a, equals: 1, in: [2]}]}}\n",
                "r",
                "rules[0].when.input[0]",
                "exactly one");
    }

    @Test
    void refusesUnquotedTimesAndUnknownZones() {
        refused(
                "name: s\nrules:\n  - {id: r, subjects: [intent], effect: deny, when: {timeWindow: {from: 8:00, to: '18:00'}}}\n",
                "r",
                "rules[0].when.timeWindow.from",
                "quoted");
        refused(
                "name: s\nrules:\n  - {id: r, subjects: [intent], effect: deny, when: {timeWindow: {zone: Mars/Base}}}\n",
                "r",
                "rules[0].when.timeWindow.zone",
                "unknown time zone");
        refused(
                "name: s\nrules:\n  - {id: r, subjects: [intent], effect: deny, when: {timeWindow: {from: '08:00', to: '08:00'}}}\n",
                "r",
                "rules[0].when.timeWindow",
                "never hold");
    }

    @Test
    void refusesMalformedDocumentsAndMissingRules() {
        refused("name: s\nrules: [\n", null, "(document)", "not well-formed YAML");
        refused("{\"name\": \"s\", \"rules\": [", null, "(document)", "not well-formed JSON");
        refused("name: s\n", null, "rules", "required");
        refused("name: Not Valid\nrules: []\n", null, "name", "must match");
        refused("{\"name\": \"s\", \"name\": \"t\", \"rules\": []}", null, "(document)", "Duplicate");
    }
}
