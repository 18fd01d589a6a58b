package ai.auraison.edge;

import static ai.auraison.testfixtures.ContractFixtures.anIntent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.Intent;
import ai.auraison.testfixtures.HttpJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The edge runs real Pi processes driven by the offline demo model, with real tool calls on the simulated turtlebot. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = {
            "auraison.edge.demo-model.enabled=true",
            "auraison.edge.model.name=maze-demo",
            "auraison.gateway.providers.demo.kind=OPENAI",
            "auraison.gateway.deployments.demo.provider=demo",
            "auraison.gateway.deployments.demo.model=auraison-offline-demo",
            "auraison.gateway.routes.maze-demo[0]=demo",
            "auraison.edge.agents[0].id=turtlebot-maze.edge-it",
            "auraison.edge.agents[0].application=turtlebot-maze",
            "auraison.edge.agents[0].pool-size=2",
            "auraison.edge.pi.acquire-timeout=60s"
        })
class PiHarnessIT extends EdgeITBase {

    @BeforeAll
    static void pi() {
        requirePi();
    }

    /** Pi's model calls go through this edge's own model gateway, which routes them to the demo model. */
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        String dir = Files.createTempDirectory("edge-pi-it").toString();
        registry.add("auraison.data-dir", () -> dir);
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        int fixed = port;
        registry.add("server.port", () -> fixed);
        registry.add("auraison.edge.model.base-url", () -> "http://127.0.0.1:" + fixed + "/v1");
        registry.add("auraison.gateway.providers.demo.base-url", () -> "http://127.0.0.1:" + fixed + "/demo-model/v1");
    }

    private Intent maze(String maze) {
        return anIntent()
                .targeting("turtlebot-maze.edge-it")
                .withParams(Map.of("maze", maze))
                .build();
    }

    private String started(Intent intent) {
        HttpJson.Response r = submit(intent);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.json().get("runId").asString();
    }

    @Test
    void solvesTheMazeThroughPiWithRealToolCalls() {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> api.get("/actuator/health")
                        .json()
                        .path("status")
                        .asString("")
                        .equals("UP"));
        String runId = started(maze("small-4x4"));
        JsonNode state = finished(runId, Duration.ofSeconds(120));
        assertThat(state.get("status").asString()).isEqualTo("succeeded");
        List<JsonNode> events = events(runId);
        List<String> kinds = events.stream().map(e -> e.get("kind").asString()).toList();
        assertThat(kinds).startsWith("PolicyDecided", "PolicyDecided", "PolicyDecided", "RunStarted", "TurnStarted");
        assertThat(kinds)
                .contains("ToolCallRequested", "ToolCallCompleted", "ModelCallCompleted")
                .endsWith("RunSucceeded");
        for (int i = 0; i < events.size(); i++)
            assertThat(events.get(i).get("seq").asLong()).isEqualTo(i + 1);
        // every harness event carries where it stands in the Pi session tree
        assertThat(events.stream().filter(e -> e.get("kind").asString().equals("ToolCallCompleted")))
                .allSatisfy(e -> {
                    assertThat(e.get("treeRef").get("sessionId").asString())
                            .isEqualTo(state.get("treeRef").get("sessionId").asString());
                    assertThat(e.get("treeRef").path("entryId").asString("")).matches("[0-9a-f]{8}");
                    assertThat(e.get("result").get("outcome").asString()).isEqualTo("output");
                });
        // every tool call was decided by the policy hook before it completed
        for (int i = 0; i < events.size(); i++) {
            if (!events.get(i).get("kind").asString().equals("ToolCallCompleted")) continue;
            String call = events.get(i).get("toolCallId").asString();
            assertThat(events.subList(0, i)).anySatisfy(e -> {
                assertThat(e.get("kind").asString()).isEqualTo("PolicyDecided");
                assertThat(e.get("subjectRef").asString()).isEqualTo(call);
                assertThat(e.get("effect").asString()).isEqualTo("allow");
            });
        }
        assertThat(events.getLast().get("summary").asString()).startsWith("Reached the goal at (3, 3)");
        // the model calls went through the edge's gateway, which counted them
        assertThat(api.get("/actuator/prometheus").text()).contains("auraison_gateway_calls");
        assertThat(events.stream().filter(e -> e.get("kind").asString().equals("ModelCallCompleted")))
                .allSatisfy(e -> assertThat(e.get("model").asString()).isEqualTo("maze-demo"));
    }

    @Test
    void answersTheSameLocalIntentAgainWithTheSameRunAndAnotherUnderItsIdWith409() {
        Intent intent = maze("small-4x4");
        HttpJson.Response first = submit(intent);
        assertThat(submit(intent).json()).isEqualTo(first.json());
        HttpJson.Response other = submit(anIntent()
                .withId(intent.intentId().value())
                .targeting("turtlebot-maze.edge-it")
                .build());
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.problemType()).isEqualTo("intent-id-conflict");
        finished(first.json().get("runId").asString(), Duration.ofSeconds(120));
    }

    @Test
    void listsItsRunsNewestFirstPageByPageWithAStatusFilter() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) mine.add(started(maze("small-4x4")));
        for (String id : mine) finished(id, Duration.ofSeconds(120));

        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            HttpJson.Response page =
                    api.get("/api/v1/runs?limit=2&status=succeeded" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.json().get("items").size()).isBetween(1, 2);
            page.json().get("items").forEach(r -> {
                assertThat(r.get("status").asString()).isEqualTo("succeeded");
                listed.add(r.get("runId").asString());
            });
            cursor = page.json().path("nextCursor").isString()
                    ? page.json().get("nextCursor").asString()
                    : null;
        } while (cursor != null);
        assertThat(listed).doesNotHaveDuplicates();
        // newest first: this test's runs come in the reverse order of their submission
        assertThat(listed.stream().filter(mine::contains).toList()).containsExactlyElementsOf(mine.reversed());

        HttpJson.Response badStatus = api.get("/api/v1/runs?status=finished");
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.json().get("parameter").asString()).isEqualTo("status");
        HttpJson.Response badCursor = api.get("/api/v1/runs?cursor=bm90LWEtY3Vyc29y");
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.json().get("parameter").asString()).isEqualTo("cursor");
    }

    @Test
    void refusesIntentsNoAgentOfThisEdgeCanRun() {
        HttpJson.Response unknown =
                submit(anIntent().targeting("turtlebot-maze.elsewhere").build());
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.problemType()).isEqualTo("unknown-target");
        HttpJson.Response type = submit(anIntent()
                .targeting("turtlebot-maze.edge-it")
                .withType("arm.pick-and-place")
                .build());
        assertThat(type.status()).isEqualTo(422);
        assertThat(type.problemType()).isEqualTo("intent-type-not-offered");
        HttpJson.Response invalid = api.post("/api/v1/intents", "{\"intentId\":\"x\"}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("errors").get(0).get("pointer").asString())
                .isEqualTo("/params");
    }

    @Test
    void resumesTheLiveStreamAfterLastEventIdWithoutGapsOrDuplicates() throws Exception {
        String runId = started(maze("small-4x4"));
        await().atMost(Duration.ofSeconds(60)).until(() -> events(runId).size() >= 6);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/runs/" + runId + "/events:stream"))
                .header("Last-Event-ID", "5")
                .build();
        CompletableFuture<List<Long>> ids = CompletableFuture.supplyAsync(() -> {
            try {
                HttpResponse<Stream<String>> r =
                        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
                List<Long> seen = new ArrayList<>();
                r.body().forEach(line -> {
                    if (line.startsWith("id:"))
                        seen.add(Long.parseLong(line.substring(3).trim()));
                });
                return seen;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<Long> seen = ids.get(150, TimeUnit.SECONDS);
        long last = run(runId).get("lastSeq").asLong();
        List<Long> expected = new ArrayList<>();
        for (long s = 6; s <= last; s++) expected.add(s);
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(run(runId).get("status").asString()).isEqualTo("succeeded");
    }

    @Test
    void forksANewRunFromAnEntryOfAFinishedRunsTree() {
        String first = started(maze("small-4x4"));
        JsonNode done = finished(first, Duration.ofSeconds(120));
        JsonNode tree = api.get("/api/v1/runs/" + first + "/tree").json();
        String sessionId = tree.get("sessionId").asString();
        String userEntry = tree.get("entries")
                .valueStream()
                .filter(e -> "user".equals(e.path("role").asString("")))
                .map(e -> e.get("id").asString())
                .findFirst()
                .orElseThrow();
        Intent again = maze("small-4x4");
        HttpJson.Response forked = api.post(
                "/api/v1/runs:fork",
                Map.of("sessionId", sessionId, "entryId", userEntry, "intent", ContractJson.tree(again)));
        assertThat(forked.status()).as(forked.toString()).isEqualTo(202);
        String runId = forked.json().get("runId").asString();
        JsonNode state = finished(runId, Duration.ofSeconds(120));
        assertThat(state.get("status").asString()).isEqualTo("succeeded");
        JsonNode started = events(runId).stream()
                .filter(e -> e.get("kind").asString().equals("RunStarted"))
                .findFirst()
                .orElseThrow();
        assertThat(started.get("forkedFrom").get("sessionId").asString()).isEqualTo(sessionId);
        assertThat(started.get("forkedFrom").get("entryId").asString()).isEqualTo(userEntry);
        assertThat(state.get("treeRef").get("sessionId").asString())
                .isNotEqualTo(done.get("treeRef").get("sessionId").asString());
    }

    @Test
    void abortsARunningRun() {
        String runId = started(maze("seed-9-16x16"));
        await().atMost(Duration.ofSeconds(60)).until(() -> kinds(runId).contains("ToolCallCompleted"));
        HttpJson.Response aborted = api.post("/api/v1/runs/" + runId + ":abort", Map.of("reason", "test stop"));
        assertThat(aborted.status()).as(aborted.toString()).isEqualTo(200);
        assertThat(aborted.json().get("status").asString()).isEqualTo("cancelled");
        assertThat(kinds(runId)).endsWith("RunCancelled");
        assertThat(api.post("/api/v1/runs/" + runId + ":steer", Map.of("message", "hi"))
                        .status())
                .isEqualTo(409);
    }

    @Test
    void refusesToolCallsWithoutAProcessToken() {
        HttpJson.Response r =
                api.post("/internal/pi/tools", Map.of("toolCallId", "c1", "tool", "move", "input", Map.of("cells", 1)));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.problemType()).isEqualTo("unknown-process");
    }

    @Test
    void reportsItsPoolsWithMemoryPerProcess() {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> api.get("/api/v1/agents")
                                .json()
                                .get(0)
                                .get("pool")
                                .get("warm")
                                .asInt()
                        >= 1);
        JsonNode pool = api.get("/api/v1/agents").json().get(0).get("pool");
        assertThat(pool.get("size").asInt()).isEqualTo(2);
        assertThat(pool.get("residentBytes").get(0).asLong()).isGreaterThan(10_000_000L);
        assertThat(api.get("/actuator/prometheus").text()).contains("auraison_edge_pi_warm");
    }
}
