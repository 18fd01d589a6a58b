package ai.auraison.bench.edge;

import ai.auraison.bench.AppJar;
import ai.auraison.bench.Latencies;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.Intent;
import ai.auraison.testfixtures.ContractFixtures;
import ai.auraison.testfixtures.HttpJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;

/**
 * The edge runtime's figures: intent accepted on the edge → the run's first turn (Pi's {@code agent_start}) from a warm
 * Pi process, beside a cold start (no warm process: the pool's process was just killed) in the same run; events per
 * second through the outbox to central (a backlog built while central was down, drained once it is back; central governed, the edge
 * authenticated with its own key, its runs decided from central's signed policy bundle pulled before central stopped),
 * beside posting the same events to central directly with the same key; resident memory per Pi process.
 *
 * <pre>bench/run EdgeBench [runs, default 40]</pre>
 */
public final class EdgeBench {

    private static final String AGENT = "deep-evidence-agent.bench";
    private static final String MAZE = "turtlebot-maze.bench";
    private static final String NODE = "bench-edge";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        Path data = Files.createTempDirectory("edge-bench");
        int edgePort = AppJar.freePort();
        int centralPort = AppJar.freePort();
        String central = "http://127.0.0.1:" + centralPort;
        // central is governed, as in production: provision tenant acme (the fixtures' intents are acme's) and the
        // edge node's key; the edge starts while central is up, pulls central's signed policy bundle (without one
        // it refuses every intent), and then central stops: the runs below are decided from that bundle, degraded
        String root = "bench-root-key-" + java.util.UUID.randomUUID();
        AppJar firstCentral = AppJar.start(
                "central-runtime",
                data.resolve("central"),
                centralPort,
                List.of(),
                "--auraison.governance.bootstrap-admin-key=" + root);
        String edgeKey;
        try {
            edgeKey = provision(firstCentral.api(), root);
        } catch (RuntimeException e) {
            firstCentral.close();
            throw e;
        }
        try (firstCentral;
                AppJar edge = AppJar.start(
                        "edge-agent",
                        data.resolve("edge"),
                        edgePort,
                        List.of(),
                        "--auraison.edge.demo-model.enabled=true",
                        "--auraison.edge.central-url=" + central,
                        "--auraison.edge.central-key=" + edgeKey,
                        "--auraison.edge.node-name=" + NODE,
                        "--auraison.edge.link.max-backoff=1s",
                        "--auraison.edge.agents[0].id=" + AGENT,
                        "--auraison.edge.agents[0].application=deep-evidence-agent",
                        "--auraison.edge.agents[0].pool-size=1",
                        "--auraison.edge.agents[1].id=" + MAZE,
                        "--auraison.edge.agents[1].application=turtlebot-maze",
                        "--auraison.edge.agents[1].pool-size=2")) {
            HttpJson api = edge.api();
            awaitUntil(
                    "the edge holds central's policy bundle",
                    Duration.ofMinutes(2),
                    100,
                    () -> api.get("/actuator/health")
                            .json()
                            .at("/components/edge/details/policy/bundleVersion")
                            .isString());
            firstCentral.close();
            waitWarm(api, 0);
            System.out.printf(
                    "machine: %d cores, %s, Java %s; Pi 0.87.1 on Node 22.23.3; offline demo model%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"),
                    System.getProperty("java.version"));

            // warm: a process is waiting; one short run at a time (the demo model answers this skill in one turn)
            Latencies warm = new Latencies();
            Latencies admission = new Latencies();
            for (int i = 0; i < runs; i++) warm.add(startLatency(api, admission));
            // cold: the agent's only process is killed just before the intent, so the run waits for a new one
            Latencies cold = new Latencies();
            for (int i = 0; i < Math.max(5, runs / 4); i++) {
                waitWarm(api, 0);
                long pid = api.get("/api/v1/agents")
                        .json()
                        .get(0)
                        .get("pool")
                        .get("pids")
                        .get(0)
                        .asLong();
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                cold.add(startLatency(api, new Latencies()));
            }
            Latencies w = Latencies.merge(List.of(warm));
            Latencies c = Latencies.merge(List.of(cold));
            System.out.printf("%nintent accepted -> agent_start (first turn)%n");
            System.out.printf("  warm Pi process : %s%n", w.summary());
            System.out.printf("  cold start      : %s%n", c.summary());
            System.out.printf(
                    "  of which admission (POST /api/v1/intents until its 202, durable): %s%n",
                    Latencies.merge(List.of(admission)).summary());

            JsonNode pools = api.get("/api/v1/agents").json();
            System.out.printf("%nresident memory per Pi process:%n");
            for (JsonNode a : pools) {
                System.out.printf(
                        "  %-28s %s MB%n",
                        a.get("agentId").asString(),
                        a.get("pool")
                                .get("residentBytes")
                                .valueStream()
                                .map(b -> Long.toString(b.asLong() / (1024 * 1024)))
                                .toList());
            }

            // outbox: build a backlog while central is down (maze runs, about 240 events each), then start central
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Intent maze = ContractFixtures.anIntent()
                        .targeting(MAZE)
                        .withParams(Map.of("maze", "small-4x4"))
                        .build();
                ids.add(api.post("/api/v1/intents", ContractJson.write(maze))
                        .json()
                        .get("runId")
                        .asString());
            }
            for (String id : ids) waitFinished(api, id);
            long backlog = api.get("/api/v1/outbox").json().path("pending").asLong();
            try (AppJar centralApp = AppJar.start(
                    "central-runtime",
                    data.resolve("central"),
                    centralPort,
                    List.of(),
                    "--auraison.governance.bootstrap-admin-key=" + root)) {
                long started = System.nanoTime();
                awaitUntil(
                        "the outbox drained to central",
                        Duration.ofMinutes(5),
                        20,
                        () -> api.get("/api/v1/outbox").json().path("pending").asLong() == 0);
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf(
                        "%noutbox -> central: %d events drained in %.2f s = %.0f events/s (includes the agents'"
                                + " registration on central's first contact)%n",
                        backlog, seconds, backlog / seconds);
                // baseline: the same kind of events posted straight to events:batch by a client, 500 per request
                System.out.printf(
                        "  baseline, a client posting 500-event batches of fresh runs to central: %.0f events/s%n",
                        direct(centralApp.api(), edgeKey, (int) backlog));
            }
        }
    }

    /** Tenant {@code acme} with an edge principal {@link #NODE}; returns the edge's key. */
    private static String provision(HttpJson central, String root) {
        String[] rootAuth = {"Authorization", "Bearer " + root};
        HttpJson.Response tenant = central.post("/api/v1/tenants", Map.of("tenant", "acme"), rootAuth);
        if (tenant.status() != 201) throw new IllegalStateException("tenant not created: " + tenant);
        String admin = tenant.json().at("/admin/key").asString();
        String[] auth = {"Authorization", "Bearer " + admin};
        HttpJson.Response principal = central.post(
                "/api/v1/principals", Map.of("principal", NODE, "kind", "edge", "roles", List.of("edge")), auth);
        if (principal.status() != 201) throw new IllegalStateException("edge principal not created: " + principal);
        HttpJson.Response key = central.post("/api/v1/principals/" + NODE + "/keys", "{}", auth);
        if (key.status() != 201) throw new IllegalStateException("edge key not created: " + key);
        return key.json().get("key").asString();
    }

    private static double direct(HttpJson central, String key, int total) {
        List<JsonNode> batch = new ArrayList<>();
        long started = System.nanoTime();
        int sent = 0;
        while (sent < total) {
            var run = ai.auraison.contract.RunId.random();
            var events = ContractFixtures.eventsOf(run)
                    .started(ai.auraison.contract.AgentId.of(MAZE), ai.auraison.contract.IntentId.of("direct-" + run))
                    .turn(1);
            for (int i = 0; i < 40; i++)
                events.toolCall("move", Map.of("cells", 1), Map.of("moved", 1, "blocked", false));
            events.succeeded("done");
            List<Map<String, Object>> declared = List.of(
                    Map.of("runId", run.toString(), "intentId", "direct-" + run, "agentId", MAZE, "tenant", "acme"));
            List<JsonNode> payload =
                    events.build().stream().map(ContractJson::tree).toList();
            var r = central.post(
                    "/api/v1/events:batch",
                    Map.of("runs", declared, "events", payload),
                    "Authorization",
                    "Bearer " + key);
            if (r.status() != 200) throw new IllegalStateException("baseline batch refused: " + r);
            sent += payload.size();
        }
        return sent / ((System.nanoTime() - started) / 1e9);
    }

    private static long startLatency(HttpJson api, Latencies admission) throws Exception {
        Intent intent = ContractFixtures.anIntent()
                .targeting(AGENT)
                .withType("evidence.answer-question")
                .withParams(Map.of("question", "What limits the arm's reach?"))
                .build();
        // measured from the moment the intent is sent (so it includes admission), to the first turn's timestamp
        Instant accepted = Instant.now();
        HttpJson.Response r = api.post("/api/v1/intents", ContractJson.write(intent));
        admission.add(java.time.Duration.between(accepted, Instant.now()).toNanos());
        if (r.status() != 202) throw new IllegalStateException("not admitted: " + r);
        String runId = r.json().get("runId").asString();
        JsonNode first = null;
        long giveUp = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (first == null) {
            if (System.nanoTime() - giveUp > 0)
                throw new IllegalStateException("run " + runId + " started no turn within a minute");
            for (JsonNode e : api.get("/api/v1/runs/" + runId + "/events?limit=1000")
                    .json()
                    .get("items")) {
                if (e.get("kind").asString().equals("TurnStarted")) {
                    first = e;
                    break;
                }
                if (e.get("kind").asString().startsWith("RunFailed"))
                    throw new IllegalStateException("run failed: " + e);
            }
            if (first == null) Thread.sleep(2);
        }
        waitFinished(api, runId);
        return Math.max(
                0,
                java.time.Duration.between(
                                accepted, Instant.parse(first.get("ts").asString()))
                        .toNanos());
    }

    private static void waitFinished(HttpJson api, String runId) throws InterruptedException {
        awaitUntil(
                "run " + runId + " finished",
                Duration.ofMinutes(2),
                10,
                () -> !api.get("/api/v1/runs/" + runId)
                        .json()
                        .path("finishedAt")
                        .isMissingNode());
    }

    private static void waitWarm(HttpJson api, int agentIndex) throws InterruptedException {
        awaitUntil("agent " + agentIndex + " has a warm Pi", Duration.ofMinutes(2), 50, () -> {
            JsonNode agents = api.get("/api/v1/agents").json();
            return agents.isArray()
                    && agents.size() > agentIndex
                    && agents.get(agentIndex).get("pool").path("warm").asInt() >= 1;
        });
    }

    /** Polls {@code done} every {@code pollMillis} until it holds; fails the benchmark, naming {@code what}, after {@code limit}. */
    private static void awaitUntil(String what, Duration limit, long pollMillis, BooleanSupplier done)
            throws InterruptedException {
        long giveUp = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - giveUp > 0) throw new IllegalStateException("not within " + limit + ": " + what);
            Thread.sleep(pollMillis);
        }
    }
}
