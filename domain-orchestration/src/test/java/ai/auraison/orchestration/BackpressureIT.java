package ai.auraison.orchestration;

import static ai.auraison.testfixtures.ContractFixtures.anIntent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.contract.Intent;
import ai.auraison.testfixtures.HttpJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The agent bound in these tests is 40 queued or leased items (OrchestrationITBase). */
class BackpressureIT extends OrchestrationITBase {

    @Test
    void answersAFloodOverTheAgentBoundWith429AndRetryAfterAndNeverOvershoots() {
        String agent = newMazeAgent();
        List<HttpJson.Response> refused = new ArrayList<>();
        Intent throttled = null;
        int admitted = 0;
        for (int i = 0; i < 60; i++) {
            Intent intent = anIntent().targeting(agent).forTenant("flooder").build();
            HttpJson.Response r = submit(intent);
            if (r.status() == 202) {
                admitted++;
            } else {
                refused.add(r);
                throttled = intent;
            }
        }
        assertThat(admitted).isBetween(30, 40);
        assertThat(refused).hasSize(60 - admitted).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.problemType()).isEqualTo("queue-full");
            assertThat(r.json().get("scope").asString()).isEqualTo("agent");
            assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, 300L);
        });
        assertThat(api.get("/api/v1/agents/" + agent).json().get("queueDepth").asLong())
                .isLessThanOrEqualTo(40);

        // a refused intent was not recorded, so the same intent is admitted once the queue drained
        Intent again = throttled;
        assertThat(api.get("/api/v1/intents/" + again.intentId().value()).status())
                .isEqualTo(404);
        for (JsonNode item : poll(agent, 4, 1)) complete(agent, item);
        await().atMost(Duration.ofSeconds(5)).until(() -> submit(again).status() == 202);
    }

    @Test
    void computesRetryAfterFromTheMeasuredDrainRate() {
        String agent = newMazeAgent();
        for (int i = 0; i < 40; i++) submitFor(agent, "drainer");
        HttpJson.Response idle = await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> submit(
                                anIntent().targeting(agent).forTenant("drainer").build()),
                        r -> r.status() == 429);
        // nothing has drained yet: no rate to go by, so the default
        assertThat(idle.header("Retry-After")).isEqualTo("30");

        for (int i = 0; i < 4; i++) assertThat(poll(agent, 4, 1)).hasSize(4);
        // 16 items left the ready state in the last 30 s (0.53 per s): one more free slot takes about 2 s
        await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> submit(anIntent()
                                        .targeting(agent)
                                        .forTenant("drainer")
                                        .build())
                                .header("Retry-After"),
                        "2"::equals);
    }

    private void complete(String agent, JsonNode item) {
        api.post(
                "/api/v1/agents/" + agent + "/work/" + item.get("runId").asString() + ":complete",
                Map.of("leaseId", item.get("leaseId").asString()));
    }
}
