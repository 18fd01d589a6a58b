package ai.auraison.edge;

import static ai.auraison.testfixtures.ContractFixtures.anIntent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** With central unreachable the edge reports degraded, keeps running local intents and keeps their events. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "auraison.edge.demo-model.enabled=true",
            "auraison.edge.agents[0].id=turtlebot-maze.edge-alone",
            "auraison.edge.agents[0].application=turtlebot-maze",
            "auraison.edge.link.max-backoff=1s"
        })
class DegradedEdgeIT extends EdgeITBase {

    @BeforeAll
    static void pi() {
        requirePi();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        String dir = Files.createTempDirectory("edge-degraded-it").toString();
        registry.add("auraison.data-dir", () -> dir);
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        int port = closed;
        registry.add("auraison.edge.central-url", () -> "http://127.0.0.1:" + port);
    }

    @Test
    void runsLocalIntentsWhileCentralIsUnreachableAndBuffersTheirEvents() {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> api.get("/actuator/health").json().path("status").asString(""), "DEGRADED"::equals);
        var health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().at("/components/edge/details/lastError").asString())
                .isNotBlank();

        var r = submit(anIntent()
                .targeting("turtlebot-maze.edge-alone")
                .withParams(Map.of("maze", "small-4x4"))
                .build());
        assertThat(r.status()).isEqualTo(202);
        JsonNode state = finished(r.json().get("runId").asString(), Duration.ofSeconds(120));
        assertThat(state.get("status").asString()).isEqualTo("succeeded");
        long events = state.get("lastSeq").asLong();
        assertThat(api.get("/api/v1/outbox").json().get("pending").asLong()).isGreaterThanOrEqualTo(events);
    }
}
