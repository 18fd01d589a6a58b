package ai.auraison.central;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.IntentId;
import ai.auraison.contract.PolicyContext;
import ai.auraison.contract.TenantId;
import ai.auraison.testfixtures.ContractFixtures;
import ai.auraison.testfixtures.HttpJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Admission in the central runtime runs the governance hook: budgets refuse runs, policies send intents to approval. */
class GovernedAdmissionIT extends GovernedTenantITBase {

    private String intent(String budgetRef, Map<String, Object> params) {
        var i = ContractFixtures.anIntent().targeting(agent).withParams(params).build();
        return ContractJson.write(new ai.auraison.contract.Intent(
                IntentId.of("gov-" + UUID.randomUUID()),
                i.type(),
                i.params(),
                new PolicyContext(TenantId.of(tenant), "ops", "test", budgetRef),
                i.targets(),
                null,
                null,
                null));
    }

    @Test
    void refusesTheRunThatWouldExceedItsProjectBudgetAtAdmission() {
        HttpJson.Response b = api.post(
                "/api/v1/budgets",
                Map.of(
                        "name", "robotics",
                        "scope", "project",
                        "scopeKey", "robotics",
                        "period", "month",
                        "limitUsd", 2,
                        "runEstimateUsd", 1),
                bearer(admin));
        assertThat(b.status()).as(b.toString()).isEqualTo(201);
        List<HttpJson.Response> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++)
            answers.add(api.post("/api/v1/intents", intent("robotics", Map.of("maze", "m")), bearer(ops)));
        assertThat(answers.get(0).status()).isEqualTo(202);
        assertThat(answers.get(1).status()).isEqualTo(202);
        HttpJson.Response refused = answers.get(2);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.problemType()).isEqualTo("policy-denied");
        assertThat(refused.json().get("rule").asString()).isEqualTo("budget.robotics");
        assertThat(refused.json().get("detail").asString()).contains("budget robotics");
        String run = refused.json().get("runId").asString();
        HttpJson.Response state = api.get("/api/v1/runs/" + run, bearer(ops));
        assertThat(state.json().get("status").asString()).isEqualTo("rejected");
        assertThat(state.json().at("/failure/code").asString()).isEqualTo("budget.robotics");

        HttpJson.Response unknown = api.post("/api/v1/intents", intent("nobody", Map.of("maze", "m")), bearer(ops));
        assertThat(unknown.status()).isEqualTo(403);
        assertThat(unknown.json().get("rule").asString()).isEqualTo("budget.nobody");
        assertThat(api.get("/api/v1/budgets/robotics", bearer(ops))
                        .json()
                        .get("reservedUsd")
                        .decimalValue())
                .isEqualByComparingTo("2");
    }

    @Test
    void anIntentAPolicySendsToApprovalRunsOnceAnOperatorApprovesIt() {
        api.send("POST", "/api/v1/policy-sets", "application/yaml", """
                name: big-mazes
                rules:
                  - id: big-mazes-need-approval
                    subjects: [intent]
                    effect: require_approval
                    reason: mazes over 100 cells wait for an operator
                    when: {intentTypes: [maze.solve], input: [{pointer: /cells, greaterThan: 100}]}
                """, bearer(admin));
        assertThat(api.post("/api/v1/policy-sets/big-mazes/versions/1:activate", "{}", bearer(admin))
                        .status())
                .isEqualTo(200);

        HttpJson.Response small = api.post("/api/v1/intents", intent(null, Map.of("cells", 64)), bearer(ops));
        assertThat(small.json().get("status").asString()).isEqualTo("queued");
        HttpJson.Response big = api.post("/api/v1/intents", intent(null, Map.of("cells", 400)), bearer(ops));
        assertThat(big.status()).as(big.toString()).isEqualTo(202);
        assertThat(big.json().get("status").asString()).isEqualTo("awaiting_approval");
        String run = big.json().get("runId").asString();
        String intentId = big.json().get("intentId").asString();

        HttpJson.Response pending = api.get("/api/v1/approvals?status=pending", bearer(ops));
        assertThat(pending.json().at("/items/0/subjectRef").asString()).isEqualTo(intentId);
        String approval = pending.json().at("/items/0/approvalId").asString();
        HttpJson.Response approved =
                api.post("/api/v1/approvals/" + approval + ":approve", Map.of("reason", "ok"), bearer(ops));
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);

        HttpJson.Response state = api.get("/api/v1/runs/" + run, bearer(ops));
        assertThat(state.json().get("status").asString()).isEqualTo("queued");
        var events =
                api.get("/api/v1/runs/" + run + "/events", bearer(ops)).json().get("items");
        List<String> rules = new ArrayList<>();
        events.forEach(e -> {
            if (e.get("kind").asString().equals("PolicyDecided"))
                rules.add(e.get("rule").asString());
        });
        assertThat(rules).contains("big-mazes/big-mazes-need-approval", "approval/" + approval);

        HttpJson.Response work =
                api.post("/api/v1/agents/" + agent + "/work:poll", Map.of("max", 5, "waitSeconds", 1), bearer(edge));
        List<String> leased = new ArrayList<>();
        work.json().get("items").forEach(i -> leased.add(i.get("runId").asString()));
        assertThat(leased).contains(run, small.json().get("runId").asString());
    }

    @Test
    void aDeniedIntentIsRejected() {
        api.send(
                "POST",
                "/api/v1/policy-sets",
                "application/yaml",
                "name: all-approve\nrules:\n  - {id: every-intent, subjects: [intent], effect: require_approval}\n",
                bearer(admin));
        api.post("/api/v1/policy-sets/all-approve/versions/1:activate", "{}", bearer(admin));
        HttpJson.Response r = api.post("/api/v1/intents", intent(null, Map.of()), bearer(ops));
        assertThat(r.json().get("status").asString()).isEqualTo("awaiting_approval");
        String approval = api.get("/api/v1/approvals?status=pending", bearer(ops))
                .json()
                .at("/items/0/approvalId")
                .asString();
        api.post("/api/v1/approvals/" + approval + ":deny", Map.of("reason", "not today"), bearer(ops));
        HttpJson.Response state =
                api.get("/api/v1/runs/" + r.json().get("runId").asString(), bearer(ops));
        assertThat(state.json().get("status").asString()).isEqualTo("rejected");
        assertThat(state.json().at("/failure/code").asString()).isEqualTo("approval.denied");
        assertThat(state.json().at("/failure/message").asString()).contains("not today");
    }
}
