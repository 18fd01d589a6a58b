package ai.auraison.orchestration;

import static ai.auraison.testfixtures.ContractFixtures.anIntent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.testfixtures.HttpJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WorkQueueIT extends OrchestrationITBase {

    @Test
    void redeliversWorkWhoseLeaseWasLost() {
        String agent = newMazeAgent();
        String runId = submitFor(agent, "acme");
        JsonNode first = poll(agent, 1, 5).get(0);
        assertThat(first.get("attempt").asInt()).isEqualTo(1);
        // no heartbeat: the 3 s lease expires and the item goes back to the queue
        JsonNode second = pollUntilSomething(agent, Duration.ofSeconds(15)).get(0);
        assertThat(second.get("runId").asString()).isEqualTo(runId);
        assertThat(second.get("attempt").asInt()).isEqualTo(2);
        assertThat(second.get("leaseId").asString())
                .isNotEqualTo(first.get("leaseId").asString());
        assertThat(kinds(runId)).containsSubsequence("RunDispatched", "RunRequeued", "RunDispatched");
        HttpJson.Response staleAck = api.post(
                "/api/v1/agents/" + agent + "/work/" + runId + ":ack",
                Map.of("leaseId", first.get("leaseId").asString()));
        assertThat(staleAck.status()).isEqualTo(409);
        assertThat(staleAck.problemType()).isEqualTo("lease-lost");
    }

    @Test
    void heartbeatsKeepALeaseAndReportLeasesNoLongerHeld() {
        String agent = newMazeAgent();
        String kept = submitFor(agent, "acme");
        JsonNode lease = poll(agent, 1, 5).get(0);
        String leaseId = lease.get("leaseId").asString();
        // for more than twice the 3 s lease, heartbeats keep the lease and the run stays dispatched
        await().during(Duration.ofSeconds(7))
                .atMost(Duration.ofSeconds(12))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    HttpJson.Response hb =
                            api.post("/api/v1/agents/" + agent + "/heartbeat", Map.of("leases", List.of(leaseId)));
                    return hb.json().get("leases").size() == 1
                            && run(kept).get("status").asString().equals("dispatched");
                });

        String intentId = api.get("/api/v1/runs/" + kept).json().get("intentId").asString();
        api.post("/api/v1/intents/" + intentId + ":cancel", "{}");
        HttpJson.Response hb = api.post("/api/v1/agents/" + agent + "/heartbeat", Map.of("leases", List.of(leaseId)));
        assertThat(hb.json().get("leases")).isEmpty();
        assertThat(hb.json().get("lost").get(0).get("workStatus").asString()).isEqualTo("cancelled");
    }

    @Test
    void retriesAFailureWithBackoffThenDeadLettersIt() {
        String agent = newMazeAgent();
        String runId = submitFor(agent, "acme");
        for (int attempt = 1; attempt <= 3; attempt++) {
            JsonNode item = pollUntilSomething(agent, Duration.ofSeconds(10)).get(0);
            assertThat(item.get("attempt").asInt()).isEqualTo(attempt);
            HttpJson.Response failed = api.post(
                    "/api/v1/agents/" + agent + "/work/" + runId + ":fail",
                    Map.of(
                            "leaseId", item.get("leaseId").asString(),
                            "failure", Map.of("code", "tool.crashed", "message", "the simulator fell over")));
            assertThat(failed.status()).isEqualTo(200);
            assertThat(failed.json().get("outcome").asString()).isEqualTo(attempt < 3 ? "retried" : "dead-lettered");
        }
        JsonNode state = run(runId);
        assertThat(state.get("status").asString()).isEqualTo("failed");
        assertThat(state.get("failure").get("code").asString()).isEqualTo("work.dead_letter");
        assertThat(poll(agent, 1, 1)).isEmpty();
    }

    @Test
    void doesNotRetryAFailureMarkedNotRetryable() {
        String agent = newMazeAgent();
        String runId = submitFor(agent, "acme");
        JsonNode item = poll(agent, 1, 5).get(0);
        HttpJson.Response failed = api.post(
                "/api/v1/agents/" + agent + "/work/" + runId + ":fail",
                Map.of(
                        "leaseId",
                        item.get("leaseId").asString(),
                        "retryable",
                        false,
                        "failure",
                        Map.of("code", "intent.invalid", "message", "maze unknown")));
        assertThat(failed.json().get("outcome").asString()).isEqualTo("dead-lettered");
    }

    @Test
    void expiresWorkWhoseDeadlinePassedInsteadOfRunningIt() {
        String agent = newMazeAgent();
        HttpJson.Response r = submit(anIntent()
                .targeting(agent)
                .withDeadline(Instant.now().plusMillis(1500))
                .build());
        String runId = r.json().get("runId").asString();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> run(runId).get("status").asString().equals("expired"));
        assertThat(poll(agent, 1, 0)).isEmpty();
        assertThat(kinds(runId)).endsWith("RunExpired");
    }

    @Test
    void completesWorkIdempotently() {
        String agent = newMazeAgent();
        String runId = submitFor(agent, "acme");
        JsonNode item = poll(agent, 1, 5).get(0);
        Map<String, String> lease = Map.of("leaseId", item.get("leaseId").asString());
        assertThat(api.post("/api/v1/agents/" + agent + "/work/" + runId + ":ack", lease)
                        .status())
                .isEqualTo(200);
        assertThat(api.post("/api/v1/agents/" + agent + "/work/" + runId + ":complete", lease)
                        .status())
                .isEqualTo(204);
        assertThat(api.post("/api/v1/agents/" + agent + "/work/" + runId + ":complete", lease)
                        .status())
                .isEqualTo(204);
    }

    @Test
    void servesTwoTenantsFairlyWhenOneFloodsTheQueue() {
        String agent = newMazeAgent();
        for (int i = 0; i < 30; i++) submitFor(agent, "flood");
        List<String> modest = new ArrayList<>();
        for (int i = 0; i < 3; i++) modest.add(submitFor(agent, "modest"));
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            JsonNode item = poll(agent, 1, 1).get(0);
            served.add(item.get("intent").get("policyCtx").get("tenant").asString());
            leaseDone(agent, item);
        }
        // round-robin between tenants: the modest tenant's three items go in the first six turns, not after thirty
        assertThat(served.subList(0, 6))
                .containsExactlyInAnyOrder("flood", "modest", "flood", "modest", "flood", "modest");
        assertThat(served.subList(6, 8)).containsOnly("flood");
    }

    @Test
    void servesHigherPriorityFirstWithinATenant() {
        String agent = newMazeAgent();
        String low = submit(anIntent().targeting(agent).withPriority(1).build())
                .json()
                .get("runId")
                .asString();
        String high = submit(anIntent().targeting(agent).withPriority(8).build())
                .json()
                .get("runId")
                .asString();
        assertThat(poll(agent, 1, 1).get(0).get("runId").asString()).isEqualTo(high);
        assertThat(poll(agent, 1, 1).get(0).get("runId").asString()).isEqualTo(low);
    }

    @Test
    void wakesALongPollAsSoonAsWorkArrives() throws Exception {
        String agent = newMazeAgent();
        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> poll(agent, 1, 10));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
        long sent = System.nanoTime();
        String runId = submitFor(agent, "acme");
        JsonNode items = waiting.get(10, TimeUnit.SECONDS);
        assertThat(items.get(0).get("runId").asString()).isEqualTo(runId);
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(5));
    }

    private void leaseDone(String agent, JsonNode item) {
        api.post(
                "/api/v1/agents/" + agent + "/work/" + item.get("runId").asString() + ":complete",
                Map.of("leaseId", item.get("leaseId").asString()));
    }

    private JsonNode pollUntilSomething(String agent, Duration max) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(max).until(() -> {
            found[0] = poll(agent, 1, 1);
            return !found[0].isEmpty();
        });
        return found[0];
    }
}
