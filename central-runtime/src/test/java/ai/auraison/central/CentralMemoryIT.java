package ai.auraison.central;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.EventId;
import ai.auraison.contract.IntentId;
import ai.auraison.contract.RunId;
import ai.auraison.contract.SchemaVersions;
import ai.auraison.contract.ToolCallId;
import ai.auraison.contract.ToolResult;
import ai.auraison.testfixtures.HttpJson;
import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Memory composed into the central runtime: events ingested through the runs API appear in memory's queries. Runs
 * ungoverned (the tenant parameter is trusted); {@link TenantIsolationIT} walks the same endpoints with keys and
 * checks that a caller only ever reads its own tenant.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"auraison.memory.projector.poll-interval=50ms", "auraison.governance.enabled=false"})
class CentralMemoryIT {

    static final TestDatabase DB = PostgresFixture.newDatabase();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        registry.add("spring.datasource.url", DB::jdbcUrl);
        registry.add("spring.datasource.username", DB::username);
        registry.add("spring.datasource.password", DB::password);
        Path dataDir = Files.createTempDirectory("central-memory-it");
        registry.add("auraison.data-dir", dataDir::toString);
    }

    @LocalServerPort
    int port;

    @Test
    void projectsEventsIngestedThroughTheRunsApiIntoMemoryQueries() {
        HttpJson api = HttpJson.local(port);
        AgentId agent = AgentId.of("turtlebot-maze.edge-9");
        RunId run = ingest(api, "acme", agent, "qwen3-8b", "move");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.get("/api/v1/memory/runs/" + run + "/timeline?tenant=acme")
                                .status()
                        == 200);
        JsonNode timeline =
                api.get("/api/v1/memory/runs/" + run + "/timeline?tenant=acme").json();
        assertThat(timeline.size()).isEqualTo(5);
        assertThat(timeline.get(4).get("kind").asString()).isEqualTo("RunSucceeded");

        JsonNode usage = api.get(
                        "/api/v1/memory/model-usage?tenant=acme&from=2026-11-26T00:00:00Z" + "&to=2026-11-27T00:00:00Z")
                .json();
        JsonNode qwen = null;
        for (JsonNode u : usage) if (u.get("model").asString().equals("qwen3-8b")) qwen = u;
        assertThat(qwen).isNotNull();
        assertThat(qwen.get("costUsd").decimalValue()).isEqualByComparingTo("0.00125");
        JsonNode tools = api.get("/api/v1/memory/tool-calls/stats?tenant=acme&from=2026-11-26T00:00:00Z"
                        + "&to=2026-11-27T00:00:00Z")
                .json();
        assertThat(tools.get(0).get("agentId").asString()).isEqualTo(agent.value());
        assertThat(tools.get(0).get("p50Ms").asDouble()).isEqualTo(120.0);
        assertThat(api.get("/api/v1/memory/runs/" + run + "/timeline?tenant=globex")
                        .status())
                .isEqualTo(404);

        JsonNode status = api.get("/api/v1/memory/status").json();
        assertThat(status.get("leader").asBoolean()).isTrue();
        assertThat(status.get("store").asString()).contains("memory.duckdb");
        assertThat(api.get("/v3/api-docs").json().at("/paths").has("/api/v1/memory/sql"))
                .isTrue();
    }

    /**
     * Declares an edge-started run of {@code tenant} and ingests its five events through events:batch: one call of
     * {@code model}, one of {@code tool}.
     */
    private static RunId ingest(HttpJson api, String tenant, AgentId agent, String model, String tool) {
        RunId run = RunId.random();
        Instant t = Instant.parse("2026-11-26T09:00:00Z");
        String v = SchemaVersions.CURRENT;
        List<AgentEvent> events = List.of(
                new AgentEvent.RunStarted(
                        EventId.random(), run, 1, t, null, v, agent, IntentId.of("edge-local-1"), 1, "pi", null),
                new AgentEvent.ModelCallCompleted(
                        EventId.random(),
                        run,
                        2,
                        t.plusSeconds(1),
                        null,
                        v,
                        model,
                        null,
                        "vllm",
                        900,
                        40,
                        new BigDecimal("0.00125"),
                        80L,
                        640,
                        false,
                        0,
                        false),
                new AgentEvent.ToolCallRequested(
                        EventId.random(),
                        run,
                        3,
                        t.plusSeconds(2),
                        null,
                        v,
                        ToolCallId.of("call_1"),
                        tool,
                        Map.of("cells", 1)),
                new AgentEvent.ToolCallCompleted(
                        EventId.random(),
                        run,
                        4,
                        t.plusSeconds(3),
                        null,
                        v,
                        ToolCallId.of("call_1"),
                        tool,
                        new ToolResult.Output(Map.of("ok", true)),
                        120),
                new AgentEvent.RunSucceeded(EventId.random(), run, 5, t.plusSeconds(4), null, v, "done", Map.of()));
        HttpJson.Response ingested = api.post(
                "/api/v1/events:batch",
                ContractJson.write(Map.of(
                        "runs",
                        List.of(Map.of(
                                "runId",
                                run.toString(),
                                "intentId",
                                "edge-local-1",
                                "agentId",
                                agent.value(),
                                "tenant",
                                tenant)),
                        "events",
                        events.stream().map(ContractJson::tree).toList())));
        assertThat(ingested.status()).as(ingested.toString()).isEqualTo(200);
        assertThat(ingested.json().get("accepted").asInt()).isEqualTo(5);
        return run;
    }

    @Test
    void rebuildsFromTheCommandLineAndExits() throws Exception {
        // a tenant, agent, model and tool of its own, so that neither test sees the other's run
        RunId run = ingest(HttpJson.local(port), "initech", AgentId.of("ar4.edge-9"), "cli-model", "grip");
        Path otherData = Files.createTempDirectory("central-memory-cli");
        var context = new org.springframework.boot.builder.SpringApplicationBuilder(CentralRuntimeApplication.class)
                .run(
                        "memory:rebuild",
                        "--spring.main.web-application-type=none",
                        "--spring.datasource.url=" + DB.jdbcUrl(),
                        "--spring.datasource.username=" + DB.username(),
                        "--spring.datasource.password=" + DB.password(),
                        "--auraison.data-dir=" + otherData,
                        "--auraison.memory.projector.enabled=true");
        assertThat(context.isActive()).isFalse();
        try (var store = ai.auraison.memory.MemoryStore.open(new ai.auraison.memory.MemoryStore.Settings(
                        ai.auraison.memory.MemoryStore.Mode.DUCKDB,
                        otherData.resolve("memory/memory.duckdb"),
                        null,
                        null,
                        null,
                        null));
                var c = store.connect();
                var st = c.prepareStatement("SELECT (SELECT count(*) FROM events WHERE run_id = CAST(?1 AS UUID)),"
                        + " (SELECT string_agg(tenant || ' ' || model, ',') FROM model_calls"
                        + " WHERE run_id = CAST(?1 AS UUID)),"
                        + " (SELECT string_agg(tool, ',') FROM tool_calls WHERE run_id = CAST(?1 AS UUID))")) {
            st.setString(1, run.toString());
            try (var r = st.executeQuery()) {
                r.next();
                assertThat(r.getLong(1)).isEqualTo(5);
                assertThat(r.getString(2)).isEqualTo("initech cli-model");
                assertThat(r.getString(3)).isEqualTo("grip");
            }
        }
    }
}
