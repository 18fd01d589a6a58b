package ai.auraison.edge;

import static ai.auraison.testfixtures.ContractFixtures.anIntent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The edge's local view of memory: a local run (real Pi, the offline demo model, the simulated turtlebot) is
 * projected from the edge's own event log into its DuckDB file and queried on the edge, without central.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "auraison.edge.demo-model.enabled=true",
            "auraison.edge.agents[0].id=turtlebot-maze.edge-memory",
            "auraison.edge.agents[0].application=turtlebot-maze"
        })
class EdgeMemoryIT extends EdgeITBase {

    @BeforeAll
    static void pi() {
        requirePi();
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        String dir = Files.createTempDirectory("edge-memory-it").toString();
        registry.add("auraison.data-dir", () -> dir);
    }

    @Test
    void projectsTheEdgesRunsAndAnswersMemoryQueriesLocally() {
        var r = submit(anIntent()
                .targeting("turtlebot-maze.edge-memory")
                .withParams(Map.of("maze", "small-4x4"))
                .build());
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        String runId = r.json().get("runId").asString();
        JsonNode state = finished(runId, Duration.ofSeconds(120));
        assertThat(state.get("status").asString()).isEqualTo("succeeded");
        long events = state.get("lastSeq").asLong();

        // the whole run reaches the projection: its timeline on the edge has every event, in order
        JsonNode timeline = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> api.get("/api/v1/memory/runs/" + runId + "/timeline?tenant=acme")
                                .json(),
                        t -> t.isArray() && t.size() == events);
        for (int i = 0; i < timeline.size(); i++)
            assertThat(timeline.get(i).get("seq").asLong()).isEqualTo(i + 1);

        // tool-call statistics of the simulated robot's tools, and operator SQL over the tenant's views
        JsonNode stats = api.get("/api/v1/memory/tool-calls/stats?tenant=acme").json();
        assertThat(stats.findValuesAsString("tool")).contains("move");
        var sql = api.post(
                "/api/v1/memory/sql?tenant=acme",
                Map.of("sql", "SELECT count(*) AS n FROM events WHERE run_id = '" + runId + "'"));
        assertThat(sql.status()).as(sql.toString()).isEqualTo(200);
        assertThat(sql.json().toString()).contains(Long.toString(events));
        // another tenant sees nothing of it; a write is refused, never executed
        assertThat(api.get("/api/v1/memory/runs/" + runId + "/timeline?tenant=globex")
                        .status())
                .isEqualTo(404);
        var write = api.post("/api/v1/memory/sql?tenant=acme", Map.of("sql", "DELETE FROM events"));
        assertThat(write.status()).isEqualTo(400);
        assertThat(api.get("/api/v1/memory/status").json().path("projecting").asBoolean())
                .isTrue();
        assertThat(List.of(api.get("/actuator/health").status())).containsExactly(200);
    }
}
