package ai.auraison.orchestration;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.Intent;
import ai.auraison.testfixtures.ContractFixtures;
import ai.auraison.testfixtures.HttpJson;
import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** One shared orchestration app on a real PostgreSQL for the integration tests; each test uses its own agents. */
@SpringBootTest(
        classes = OrchestrationTestApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "auraison.orchestration.lease-timeout=3s",
            "auraison.orchestration.heartbeat-timeout=3s",
            "auraison.orchestration.reaper-interval=200ms",
            "auraison.orchestration.depth-refresh=50ms",
            "auraison.orchestration.retry-backoff=200ms",
            "auraison.orchestration.max-retry-backoff=1s",
            "auraison.orchestration.max-poll-wait=10s",
            "auraison.orchestration.max-queue-depth-per-agent=40",
            "auraison.orchestration.max-queued-per-tenant=200",
            "auraison.orchestration.agent-concurrency=6",
            "server.address=127.0.0.1"
        })
abstract class OrchestrationITBase {

    static final TestDatabase DB = PostgresFixture.newDatabase("orchestration_it");
    private static final AtomicInteger AGENTS = new AtomicInteger();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws Exception {
        registry.add("spring.datasource.url", DB::jdbcUrl);
        registry.add("spring.datasource.username", DB::username);
        registry.add("spring.datasource.password", DB::password);
        String dataDir = Files.createTempDirectory("orchestration-it").toString();
        registry.add("auraison.data-dir", () -> dataDir);
    }

    @LocalServerPort
    int port;

    HttpJson api;

    @BeforeEach
    void client() {
        api = HttpJson.local(port);
    }

    /** Registers a new turtlebot-maze agent and returns its id. */
    String newMazeAgent() {
        return newAgent("turtlebot-maze", "maze-navigation", 4);
    }

    String newAgent(String application, String skill, int capacity) {
        String id = application + ".it-" + AGENTS.incrementAndGet();
        HttpJson.Response r = api.post(
                "/api/v1/agents",
                Map.of(
                        "agentId",
                        id,
                        "application",
                        application,
                        "edgeNode",
                        "edge-it",
                        "skills",
                        List.of(skill),
                        "capacity",
                        capacity));
        if (r.status() != 201) throw new IllegalStateException("could not register " + id + ": " + r);
        return id;
    }

    HttpJson.Response submit(Intent intent) {
        return api.post("/api/v1/intents", ContractJson.write(intent));
    }

    /** Submits a maze.solve intent for {@code agent} of {@code tenant} and returns its run id. */
    String submitFor(String agent, String tenant) {
        HttpJson.Response r = submit(
                ContractFixtures.anIntent().targeting(agent).forTenant(tenant).build());
        if (r.status() != 202) throw new IllegalStateException("not admitted: " + r);
        return r.json().get("runId").asString();
    }

    JsonNode poll(String agent, int max, int waitSeconds) {
        HttpJson.Response r =
                api.post("/api/v1/agents/" + agent + "/work:poll", Map.of("max", max, "waitSeconds", waitSeconds));
        if (r.status() != 200) throw new IllegalStateException("poll failed: " + r);
        return r.json().get("items");
    }

    JsonNode run(String runId) {
        return api.get("/api/v1/runs/" + runId).json();
    }

    List<String> kinds(String runId) {
        JsonNode items =
                api.get("/api/v1/runs/" + runId + "/events?limit=1000").json().get("items");
        List<String> out = new java.util.ArrayList<>();
        items.forEach(e -> out.add(e.get("kind").asString()));
        return out;
    }
}
