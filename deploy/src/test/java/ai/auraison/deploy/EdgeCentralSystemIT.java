package ai.auraison.deploy;

import static ai.auraison.testfixtures.ContractFixtures.anIntent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.Intent;
import ai.auraison.testfixtures.HttpJson;
import ai.auraison.testfixtures.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Central and edge as separate processes from their built jars, the real Pi CLI, and the offline demo model: work
 * flows from central to the edge and events back; with central down the edge keeps working and reconciles later;
 * a killed edge loses nothing it acknowledged.
 */
class EdgeCentralSystemIT {

    private static final String AGENT = "turtlebot-maze.sys-edge";
    /** The bootstrap admin's key (central is governed: every call needs a key). */
    private static final String ROOT = "sys-it-root-key-" + java.util.UUID.randomUUID();

    private final List<AppProcess> started = new ArrayList<>();

    @BeforeAll
    static void pi() {
        Peers.require(
                AppProcess.repository()
                        .resolve("edge-agent/node_modules/@earendil-works/pi-coding-agent/dist/bundle/cli.js"),
                "the Pi CLI in edge-agent/node_modules (installed by the edge-agent build)");
    }

    @AfterEach
    void stop() {
        started.forEach(AppProcess::close);
    }

    private AppProcess central(Path data, int port) throws Exception {
        AppProcess app = AppProcess.start("central-runtime", data, port, Map.of("AURAISON_BOOTSTRAP_ADMIN_KEY", ROOT));
        started.add(app);
        return app;
    }

    /**
     * Tenant {@code acme} (the fixtures' intents are acme's) with an edge node key; returns {admin key, edge key}.
     */
    private static String[] acme(HttpJson central) {
        String[] root = {"Authorization", "Bearer " + ROOT};
        String admin = central.post("/api/v1/tenants", Map.of("tenant", "acme"), root)
                .json()
                .at("/admin/key")
                .asString();
        String[] auth = {"Authorization", "Bearer " + admin};
        central.post(
                "/api/v1/principals", Map.of("principal", "sys-edge", "kind", "edge", "roles", List.of("edge")), auth);
        String edgeKey = central.post("/api/v1/principals/sys-edge/keys", "{}", auth)
                .json()
                .get("key")
                .asString();
        return new String[] {admin, edgeKey};
    }

    private AppProcess edge(Path data, int centralPort, String centralKey) throws Exception {
        AppProcess app = AppProcess.start(
                "edge-agent",
                data,
                AppProcess.freePort(),
                "--auraison.edge.central-key=" + (centralKey == null ? "" : centralKey),
                "--auraison.edge.node-name=sys-edge",
                "--auraison.edge.central-url=http://127.0.0.1:" + centralPort,
                "--auraison.edge.demo-model.enabled=true",
                "--auraison.edge.agents[0].id=" + AGENT,
                "--auraison.edge.agents[0].application=turtlebot-maze",
                "--auraison.edge.agents[0].pool-size=1",
                "--auraison.edge.link.heartbeat-interval=1s",
                "--auraison.edge.link.poll-wait=2s",
                "--auraison.edge.link.max-backoff=1s",
                "--auraison.edge.policy.pull-interval=1s");
        started.add(app);
        return app;
    }

    /** What the edge's health says of its policy (the bundle in force, degraded or not). */
    private static JsonNode policy(HttpJson edge) {
        return edge.get("/actuator/health").json().at("/components/edge/details/policy");
    }

    private static HttpJson http(AppProcess app) {
        return HttpJson.at(app.url("").toString());
    }

    private static List<JsonNode> events(HttpJson api, String runId, String... headers) {
        List<JsonNode> out = new ArrayList<>();
        api.get("/api/v1/runs/" + runId + "/events?limit=1000", headers)
                .json()
                .path("items")
                .forEach(out::add);
        return out;
    }

    private static JsonNode run(HttpJson api, String runId, String... headers) {
        return api.get("/api/v1/runs/" + runId, headers).json();
    }

    private static void assertContiguousAndUnique(List<JsonNode> events) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).get("seq").asLong()).isEqualTo(i + 1);
            assertThat(ids.add(events.get(i).get("eventId").asString()))
                    .as("duplicate event")
                    .isTrue();
        }
    }

    @Test
    void runsCentralWorkOnTheEdgeAndReconcilesAfterCentralWasDown() throws Exception {
        Path centralData = Files.createTempDirectory("sys-central");
        int centralPort = AppProcess.freePort();
        AppProcess central = central(centralData, centralPort);
        HttpJson c = http(central);
        String[] keys = acme(c);
        String[] auth = {"Authorization", "Bearer " + keys[0]};
        AppProcess edge = edge(Files.createTempDirectory("sys-edge"), centralPort, keys[1]);
        HttpJson e = http(edge);

        await().atMost(Duration.ofSeconds(90))
                .until(() -> c.get("/api/v1/agents/" + AGENT, auth).status() == 200);
        Intent intent = anIntent()
                .targeting(AGENT)
                .withParams(Map.of("maze", "small-4x4"))
                .build();
        HttpJson.Response admitted = c.post("/api/v1/intents", ContractJson.write(intent), auth);
        assertThat(admitted.status()).as(admitted.toString()).isEqualTo(202);
        String runId = admitted.json().get("runId").asString();

        JsonNode done = await().atMost(Duration.ofSeconds(120))
                .until(
                        () -> run(c, runId, auth),
                        r -> "succeeded".equals(r.path("status").asString("")));
        List<JsonNode> centralEvents = events(c, runId, auth);
        assertContiguousAndUnique(centralEvents);
        List<String> kinds =
                centralEvents.stream().map(x -> x.get("kind").asString()).toList();
        assertThat(kinds)
                .containsSubsequence(
                        "RunQueued",
                        "RunDispatched",
                        "RunStarted",
                        "ToolCallRequested",
                        "ToolCallCompleted",
                        "RunSucceeded");
        assertThat(done.get("lastSeq").asLong()).isEqualTo(centralEvents.size());

        // central's policy reaches the edge in its signed bundle: a rule activated at central refuses a local intent
        String before = policy(e).path("bundleVersion").asString("");
        assertThat(before).as(policy(e).toString()).isNotBlank();
        assertThat(policy(e).get("degraded").asBoolean()).isFalse();
        HttpJson.Response stored = c.send(
                "POST",
                "/api/v1/policy-sets",
                "application/yaml",
                "name: edge-rules\nrules:\n  - {id: no-forbidden-maze, subjects: [intent], effect: deny, "
                        + "when: {intentTypes: [maze.*], input: [{pointer: /maze, equals: forbidden-4x4}]}}\n",
                auth);
        assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
        assertThat(c.post("/api/v1/policy-sets/edge-rules/versions/1:activate", "{}", auth)
                        .status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !before.equals(policy(e).path("bundleVersion").asString("")));
        HttpJson.Response refused = e.post(
                "/api/v1/intents",
                ContractJson.write(anIntent()
                        .targeting(AGENT)
                        .withParams(Map.of("maze", "forbidden-4x4"))
                        .build()));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.text()).contains("edge-rules/no-forbidden-maze");

        // central goes away; the edge keeps working on a local intent
        central.kill();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> e.get("/actuator/health").json().path("status").asString(""), "DEGRADED"::equals);
        Intent local = anIntent()
                .targeting(AGENT)
                .withParams(Map.of("maze", "small-4x4"))
                .build();
        HttpJson.Response accepted = e.post("/api/v1/intents", ContractJson.write(local));
        assertThat(accepted.status()).isEqualTo(202);
        String localRun = accepted.json().get("runId").asString();
        JsonNode localDone = await().atMost(Duration.ofSeconds(120))
                .until(
                        () -> run(e, localRun),
                        r -> "succeeded".equals(r.path("status").asString("")));
        // decided from the last bundle while central was away: degraded, and recorded so in the run's events
        assertThat(policy(e).get("degraded").asBoolean()).isTrue();
        List<JsonNode> decisions = events(e, localRun).stream()
                .filter(x -> x.get("kind").asString().equals("PolicyDecided"))
                .toList();
        assertThat(decisions)
                .anySatisfy(x -> assertThat(x.get("degraded").asBoolean()).isTrue());
        assertThat(decisions)
                .filteredOn(x -> x.path("reason").asString("").startsWith("[degraded]"))
                .isNotEmpty()
                .allSatisfy(x -> assertThat(x.get("degraded").asBoolean()).isTrue());

        // central comes back with its data; every event of the local run arrives exactly once
        AppProcess again = central(centralData, centralPort);
        HttpJson c2 = http(again);
        await().atMost(Duration.ofSeconds(90))
                .until(
                        () -> run(c2, localRun, auth),
                        r -> "succeeded".equals(r.path("status").asString("")));
        List<JsonNode> reconciled = events(c2, localRun, auth);
        assertContiguousAndUnique(reconciled);
        assertThat(reconciled).hasSize((int) localDone.get("lastSeq").asLong());
        assertThat(run(c2, localRun, auth).get("origin").asString()).isEqualTo("edge");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> e.get("/actuator/health").json().path("status").asString(""), "UP"::equals);
        assertThat(e.get("/api/v1/outbox").json().has("pending")).isFalse();
        assertThat(events(c2, runId, auth)).hasSize(centralEvents.size());
    }

    @Test
    void aKilledEdgeLosesNothingItAcknowledged() throws Exception {
        Path edgeData = Files.createTempDirectory("sys-edge-kill");
        int centralPort = AppProcess.freePort();
        // no key: an edge of an ungoverned central (a keyed edge that never reached central would deny all: no bundle)
        AppProcess edge = edge(edgeData, centralPort, null);
        HttpJson e = http(edge);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> e.get("/api/v1/agents")
                                .json()
                                .get(0)
                                .get("pool")
                                .get("warm")
                                .asInt()
                        == 1);
        Intent intent = anIntent()
                .targeting(AGENT)
                .withParams(Map.of("maze", "seed-3-20x20"))
                .build();
        HttpJson.Response accepted = e.post("/api/v1/intents", ContractJson.write(intent));
        assertThat(accepted.status()).isEqualTo(202);
        String runId = accepted.json().get("runId").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> events(e, runId).size() >= 12);
        List<JsonNode> before = events(e, runId);

        edge.kill();
        AppProcess restarted = edge(edgeData, centralPort, null);
        HttpJson e2 = http(restarted);
        // the acknowledged intent and every event recorded before the kill are still there; the run is closed honestly
        assertThat(e2.post("/api/v1/intents", ContractJson.write(intent)).json())
                .isEqualTo(accepted.json());
        List<JsonNode> after = events(e2, runId);
        assertThat(after.subList(0, before.size())).isEqualTo(before);
        JsonNode state = run(e2, runId);
        assertThat(state.get("status").asString()).isEqualTo("failed");
        assertThat(state.get("failure").get("code").asString()).isEqualTo("edge.restarted");
    }
}
