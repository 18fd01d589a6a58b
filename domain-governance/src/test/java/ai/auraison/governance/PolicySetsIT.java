package ai.auraison.governance;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.testfixtures.HttpJson;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicySetsIT extends GovernanceITBase {

    static final String V1 = """
            name: acme-tools
            rules:
              - id: no-jamming
                subjects: [tool_call]
                effect: deny
                reason: jamming is never recommended here
                when:
                  tools: [recommend_response]
                  input: [{pointer: /action, equals: jam}]
            """;

    static final String V2 = """
            name: acme-tools
            defaultEffect: deny
            rules:
              - {id: detect-only, subjects: [tool_call], effect: allow, when: {tools: [detect_objects]}}
            """;

    static Map<String, Object> toolCall(String tool, Map<String, Object> input) {
        return Map.of(
                "kind",
                "tool_call",
                "skill",
                "airspace-watch",
                "toolCall",
                Map.of(
                        "toolCallId",
                        "call_" + tool,
                        "runId",
                        "0f8fad5b-d9cb-469f-a165-70867728950e",
                        "tool",
                        tool,
                        "input",
                        input,
                        "schemaVersion",
                        "1.0"));
    }

    private HttpJson.Response yaml(String key, String text) {
        return api.send("POST", "/api/v1/policy-sets", "application/yaml", text, bearer(key));
    }

    private HttpJson.Response explain(String key, Map<String, Object> body) {
        return api.post("/api/v1/policy:explain", body, bearer(key));
    }

    @Test
    void refusesAMalformedSetNamingRuleAndFieldAndKeepsTheActiveOne() {
        String admin = newTenant(uniqueTenant("policy"));
        HttpJson.Response bad = yaml(admin, V1.replace("tools: [recommend_response]", "tool: [recommend_response]"));
        assertThat(bad.status()).as(bad.toString()).isEqualTo(422);
        assertThat(bad.problemType()).isEqualTo("invalid-policy");
        assertThat(bad.json().get("rule").asString()).isEqualTo("no-jamming");
        assertThat(bad.json().get("field").asString()).isEqualTo("rules[0].when.tool");
        assertThat(api.get("/api/v1/policy-sets", bearer(admin)).json().get("sets"))
                .isEmpty();

        HttpJson.Response v1 = yaml(admin, V1);
        assertThat(v1.status()).as(v1.toString()).isEqualTo(201);
        assertThat(v1.json().get("version").asInt()).isEqualTo(1);
        HttpJson.Response activated =
                api.post("/api/v1/policy-sets/acme-tools/versions/1:activate", "{}", bearer(admin));
        assertThat(activated.status()).as(activated.toString()).isEqualTo(200);

        HttpJson.Response badV2 =
                yaml(admin, "name: acme-tools\nrules:\n  - {id: x, subjects: [intent], effect: perhaps}\n");
        assertThat(badV2.status()).isEqualTo(422);
        assertThat(badV2.json().get("field").asString()).isEqualTo("rules[0].effect");
        assertThat(api.post("/api/v1/policy-sets/acme-tools/versions/2:activate", "{}", bearer(admin))
                        .status())
                .isEqualTo(404);
        HttpJson.Response sets = api.get("/api/v1/policy-sets", bearer(admin));
        assertThat(sets.json().at("/active/name").asString()).isEqualTo("acme-tools");
        assertThat(sets.json().at("/active/version").asInt()).isEqualTo(1);
        assertThat(explain(admin, Map.of("subject", toolCall("recommend_response", Map.of("action", "jam"))))
                        .json()
                        .get("effect")
                        .asString())
                .isEqualTo("deny");
    }

    @Test
    void explainsTheDecisionWithEveryMatchedRule() {
        String admin = newTenant(uniqueTenant("explain"));
        yaml(admin, V1);
        api.post("/api/v1/policy-sets/acme-tools/versions/1:activate", "{}", bearer(admin));

        HttpJson.Response jam =
                explain(admin, Map.of("subject", toolCall("recommend_response", Map.of("action", "jam"))));
        assertThat(jam.status()).as(jam.toString()).isEqualTo(200);
        assertThat(jam.json().get("effect").asString()).isEqualTo("deny");
        assertThat(jam.json().get("rule").asString()).isEqualTo("acme-tools/no-jamming");
        assertThat(jam.json().get("matched").size()).isEqualTo(2);
        assertThat(jam.json().at("/matched/0/rule").asString())
                .isEqualTo("counter-uas.recommend-response-needs-approval");
        assertThat(jam.json().at("/matched/0/set").asString()).isEqualTo("auraison-baseline");

        HttpJson.Response alert =
                explain(admin, Map.of("subject", toolCall("recommend_response", Map.of("action", "alert"))));
        assertThat(alert.json().get("effect").asString()).isEqualTo("require_approval");

        HttpJson.Response detect = explain(admin, Map.of("subject", toolCall("detect_objects", Map.of())));
        assertThat(detect.json().get("effect").asString()).isEqualTo("allow");
        assertThat(detect.json().get("defaulted").asBoolean()).isTrue();
    }

    @Test
    void explainsACandidateVersionBeforeItIsActivated() {
        String admin = newTenant(uniqueTenant("candidate"));
        yaml(admin, V1);
        api.post("/api/v1/policy-sets/acme-tools/versions/1:activate", "{}", bearer(admin));
        assertThat(yaml(admin, V2).json().get("version").asInt()).isEqualTo(2);
        Map<String, Object> track = toolCall("track_objects", Map.of());
        assertThat(explain(admin, Map.of("subject", track)).json().get("effect").asString())
                .isEqualTo("allow");
        HttpJson.Response candidate =
                explain(admin, Map.of("subject", track, "policySet", Map.of("name", "acme-tools", "version", 2)));
        assertThat(candidate.json().get("effect").asString()).isEqualTo("deny");
        assertThat(candidate.json().get("rule").asString()).isEqualTo("acme-tools/default");
    }

    @Test
    void explainsIntentsAndModelCallsAndRefusesAnotherTenantsIntent() {
        String tenant = uniqueTenant("subjects");
        String admin = newTenant(tenant);
        yaml(admin, """
                name: limits
                rules:
                  - {id: no-big-mazes, subjects: [intent], effect: deny, when: {intentTypes: [maze.*], input: [{pointer: /size, greaterThan: 100}]}}
                  - {id: no-opus, subjects: [model_call], effect: deny, when: {models: ["*opus*"], estimatedCostUsd: {above: 1}}}
                """);
        api.post("/api/v1/policy-sets/limits/versions/1:activate", "{}", bearer(admin));
        Map<String, Object> intent = Map.of(
                "intentId",
                "explain-1",
                "type",
                "maze.solve",
                "params",
                Map.of("size", 101),
                "policyCtx",
                Map.of("tenant", tenant, "principal", "admin"),
                "targets",
                java.util.List.of(Map.of("application", "turtlebot-maze")),
                "schemaVersion",
                "1.0");
        assertThat(explain(admin, Map.of("subject", Map.of("kind", "intent", "intent", intent)))
                        .json()
                        .get("rule")
                        .asString())
                .isEqualTo("limits/no-big-mazes");
        Map<String, Object> foreign = new java.util.HashMap<>(intent);
        foreign.put("policyCtx", Map.of("tenant", "someone-else", "principal", "admin"));
        HttpJson.Response refused = explain(admin, Map.of("subject", Map.of("kind", "intent", "intent", foreign)));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.problemType()).isEqualTo("tenant-mismatch");
        HttpJson.Response model = explain(
                admin,
                Map.of("subject", Map.of("kind", "model_call", "model", "claude-opus-5", "estimatedCostUsd", 1.5)));
        assertThat(model.json().get("effect").asString()).isEqualTo("deny");
        HttpJson.Response badKind = explain(admin, Map.of("subject", Map.of("kind", "robot")));
        assertThat(badKind.status()).isEqualTo(400);
    }

    @Test
    void anotherTenantSeesNoneOfTheSets() {
        String a = newTenant(uniqueTenant("sets-a"));
        String b = newTenant(uniqueTenant("sets-b"));
        HttpJson.Response stored = yaml(a, V1);
        assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
        HttpJson.Response activated = api.post("/api/v1/policy-sets/acme-tools/versions/1:activate", "{}", bearer(a));
        assertThat(activated.status()).as(activated.toString()).isEqualTo(200);
        assertThat(api.get("/api/v1/policy-sets", bearer(b)).json().get("sets")).isEmpty();
        assertThat(api.get("/api/v1/policy-sets/acme-tools/versions/1", bearer(b))
                        .status())
                .isEqualTo(404);
        assertThat(api.post("/api/v1/policy-sets/acme-tools/versions/1:activate", "{}", bearer(b))
                        .status())
                .isEqualTo(404);
        // b's decisions are not affected by a's set
        assertThat(explain(b, Map.of("subject", toolCall("recommend_response", Map.of("action", "jam"))))
                        .json()
                        .get("effect")
                        .asString())
                .isEqualTo("require_approval");
    }
}
