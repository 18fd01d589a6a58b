package ai.auraison.orchestration;

import static ai.auraison.testfixtures.ContractFixtures.anIntent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.Intent;
import ai.auraison.testfixtures.HttpJson;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class IntentsIT extends OrchestrationITBase {

    @Test
    void admitsAnIntentQueuesItsRunAndRecordsEveryDecision() {
        String agent = newMazeAgent();
        HttpJson.Response r = submit(anIntent().targeting(agent).build());
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        assertThat(r.json().get("status").asString()).isEqualTo("queued");
        assertThat(r.json().get("agentId").asString()).isEqualTo(agent);
        String runId = r.json().get("runId").asString();
        assertThat(run(runId).get("status").asString()).isEqualTo("queued");
        assertThat(kinds(runId)).containsExactly("PolicyDecided", "PolicyDecided", "PolicyDecided", "RunQueued");
    }

    @Test
    void answersTheSameIntentAgainWithTheOriginalAnswer() {
        String agent = newMazeAgent();
        Intent intent = anIntent().targeting(agent).build();
        HttpJson.Response first = submit(intent);
        HttpJson.Response again = submit(intent);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(again.header("Auraison-Idempotent-Replay")).isEqualTo("true");
        assertThat(api.get("/api/v1/runs?intent=" + intent.intentId().value())
                        .json()
                        .get("items")
                        .size())
                .isEqualTo(1);
    }

    @Test
    void treatsAReorderedButEqualBodyAsTheSameIntent() {
        String agent = newMazeAgent();
        Intent intent =
                anIntent().targeting(agent).withParams(Map.of("a", 1, "b", 2)).build();
        submit(intent);
        ObjectNode reordered = (ObjectNode) ContractJson.tree(ContractJson.write(intent));
        ObjectNode params = (ObjectNode) reordered.get("params");
        params.removeAll();
        params.put("b", 2);
        params.put("a", 1);
        assertThat(api.post("/api/v1/intents", reordered.toString()).status()).isEqualTo(202);
    }

    @Test
    void refusesAnotherIntentUnderAUsedIdWith409() {
        String agent = newMazeAgent();
        Intent intent = anIntent().targeting(agent).build();
        submit(intent);
        HttpJson.Response r = submit(anIntent()
                .withId(intent.intentId().value())
                .targeting(agent)
                .withPriority(9)
                .build());
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.problemType()).isEqualTo("intent-id-conflict");
    }

    @Test
    void refusesAnUnknownTargetWith422AndRemembersTheAnswer() {
        Intent intent = anIntent().targeting("turtlebot-maze.nowhere").build();
        HttpJson.Response r = submit(intent);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.problemType()).isEqualTo("unknown-target");
        assertThat(r.json().get("detail").asString()).contains("turtlebot-maze.nowhere");
        String runId = r.json().get("runId").asString();
        assertThat(run(runId).get("status").asString()).isEqualTo("rejected");
        assertThat(kinds(runId)).containsExactly("PolicyDecided", "RunRejected");
        assertThat(submit(intent).json()).isEqualTo(r.json());
    }

    @Test
    void refusesAnIntentTypeTheTargetsSkillsDoNotOfferWith422() {
        String agent = newMazeAgent();
        HttpJson.Response r = submit(
                anIntent().targeting(agent).withType("arm.pick-and-place").build());
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.problemType()).isEqualTo("intent-type-not-offered");
    }

    @Test
    void refusesAPassedDeadlineWith422() {
        String agent = newMazeAgent();
        HttpJson.Response r = submit(anIntent()
                .targeting(agent)
                .withDeadline(Instant.now().minusSeconds(5))
                .build());
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.problemType()).isEqualTo("deadline-passed");
    }

    @Test
    void refusesASilentAgentAndADrainedOne() {
        String silent = newMazeAgent();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> submit(anIntent().targeting(silent).build()).status() == 422);
        assertThat(submit(anIntent().targeting(silent).build()).problemType()).isEqualTo("target-unavailable");
        assertThat(api.get("/api/v1/agents/" + silent).json().get("status").asString())
                .isEqualTo("unhealthy");

        String drained = newMazeAgent();
        assertThat(api.post("/api/v1/agents/" + drained + ":drain", null)
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("draining");
        assertThat(submit(anIntent().targeting(drained).build()).problemType()).isEqualTo("target-unavailable");
        api.post("/api/v1/agents/" + drained + ":resume", null);
        assertThat(submit(anIntent().targeting(drained).build()).status()).isEqualTo(202);
    }

    @Test
    void placesAnApplicationTargetOnTheLeastLoadedHealthyAgent() {
        String busy = newAgent("deep-evidence-agent", "evidence-research", 4);
        String idle = newAgent("deep-evidence-agent", "evidence-research", 4);
        String crowded = busy.compareTo(idle) < 0 ? busy : idle;
        String other = crowded.equals(busy) ? idle : busy;
        for (int i = 0; i < 3; i++) {
            submit(anIntent()
                    .targeting(crowded)
                    .withType("evidence.answer-question")
                    .build());
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> api.get("/api/v1/agents/" + crowded)
                                .json()
                                .get("queueDepth")
                                .asLong()
                        >= 3);
        HttpJson.Response r = submit(anIntent()
                .targetingApplication("deep-evidence-agent")
                .withType("evidence.answer-question")
                .build());
        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().get("agentId").asString()).isNotEqualTo(crowded);
    }

    @Test
    void namesTheOffendingFieldOfAnInvalidIntent() {
        ObjectNode body =
                (ObjectNode) ContractJson.tree(ContractJson.write(anIntent().build()));
        ((ObjectNode) body.get("policyCtx")).remove("tenant");
        body.put("priority", 11);
        HttpJson.Response r = api.post("/api/v1/intents", body.toString());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.problemType()).isEqualTo("contract-violation");
        List<String> pointers = r.json()
                .get("errors")
                .valueStream()
                .map(e -> e.get("pointer").asString())
                .toList();
        assertThat(pointers).containsExactly("/policyCtx/tenant", "/priority");
    }

    @Test
    void answersEveryBadInputWithAProblemNeverA5xx() {
        Map<String, HttpJson.Response> responses = Map.of(
                "malformed", api.post("/api/v1/intents", "{\"intentId\":"),
                "array", api.post("/api/v1/intents", "[]"),
                "empty", api.post("/api/v1/intents", "{}"),
                "unknown intent", api.get("/api/v1/intents/nope-1"),
                "bad cursor", api.get("/api/v1/intents?cursor=%25%25"),
                "bad limit", api.get("/api/v1/intents?limit=0"),
                "bad run id", api.get("/api/v1/runs/not-a-uuid"),
                "cancel unknown", api.post("/api/v1/intents/nope-2:cancel", "{}"),
                "unknown agent", api.get("/api/v1/agents/nobody"),
                "bad agent filter", api.get("/api/v1/agents?status=sleepy"));
        responses.forEach((what, r) -> {
            assertThat(r.status()).as(what + ": " + r).isBetween(400, 499);
            assertThat(r.header("Content-Type")).as(what).startsWith("application/problem+json");
        });
    }

    @Test
    void cancelsAQueuedIntentAndRefusesToCancelItTwice() {
        String agent = newMazeAgent();
        Intent intent = anIntent().targeting(agent).build();
        String runId = submit(intent).json().get("runId").asString();
        HttpJson.Response cancelled = api.post(
                "/api/v1/intents/" + intent.intentId().value() + ":cancel",
                Map.of("by", "operator@acme", "reason", "changed my mind"));
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asString()).isEqualTo("cancelled");
        assertThat(poll(agent, 1, 0)).isEmpty();
        HttpJson.Response again =
                api.post("/api/v1/intents/" + intent.intentId().value() + ":cancel", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("run-finished");
        assertThat(kinds(runId)).endsWith("RunCancelled");
    }

    @Test
    void listsIntentsNewestFirstWithCursorsAndFilters() {
        String agent = newMazeAgent();
        String tenant = "pager-" + System.nanoTime() % 100000;
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            Intent intent = anIntent().targeting(agent).forTenant(tenant).build();
            submit(intent);
            ids.add(intent.intentId().value());
        }
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpJson.Response page = api.get(
                    "/api/v1/intents?tenant=" + tenant + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            page.json().get("items").forEach(i -> {
                assertThat(i.get("status").asString()).isEqualTo("queued");
                assertThat(seen.add(i.get("intentId").asString())).isTrue();
            });
            cursor = page.json().path("nextCursor").isString()
                    ? page.json().get("nextCursor").asString()
                    : null;
            pages++;
        } while (cursor != null);
        assertThat(seen).isEqualTo(ids);
        assertThat(pages).isEqualTo(3);
        assertThat(api.get("/api/v1/intents?tenant=" + tenant + "&status=running")
                        .json()
                        .get("items"))
                .isEmpty();
    }
}
