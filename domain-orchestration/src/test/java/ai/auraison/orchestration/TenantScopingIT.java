package ai.auraison.orchestration;

import static ai.auraison.testfixtures.ContractFixtures.anIntent;
import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.contract.AgentId;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.IntentId;
import ai.auraison.contract.RunId;
import ai.auraison.testfixtures.ContractFixtures;
import ai.auraison.testfixtures.HttpJson;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With a caller in the security context (as governance puts it there), every query and mutation is scoped to the
 * caller's tenant: another tenant's agents, intents, runs and events are 404s, listings never show them, and
 * submissions for another tenant or principal are refused. The full endpoint × role walk runs in the central runtime
 * (TenantIsolationIT); this checks the orchestration side on its own.
 */
class TenantScopingIT extends OrchestrationITBase {

    private static final String OPS_A = "tenant-a/ops-a/operator/operator";
    private static final String EDGE_A = "tenant-a/edge-a/edge/edge";
    private static final String OPS_B = "tenant-b/ops-b/operator/operator";
    private static final String EDGE_B = "tenant-b/edge-b/edge/edge";
    private static final String APP_A = "tenant-a/app-a/application/app";

    private String agentA;
    private String edgeNodeA;
    private String runA;
    private String intentA;

    @BeforeEach
    void seedTenantA() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        agentA = "turtlebot-maze.scoped-" + suffix;
        edgeNodeA = "edge-" + suffix;
        HttpJson.Response reg = register(agentA, EDGE_A, edgeNodeA);
        assertThat(reg.status()).as(reg.toString()).isEqualTo(201);
        intentA = "it-" + UUID.randomUUID();
        HttpJson.Response r = post(
                OPS_A,
                "/api/v1/intents",
                ContractJson.write(anIntent()
                        .withId(intentA)
                        .targeting(agentA)
                        .forTenant("tenant-a")
                        .byPrincipal("app-a")
                        .build()));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        runA = r.json().get("runId").asString();
    }

    private HttpJson.Response get(String caller, String path) {
        return api.get(path, "X-Test-Caller", caller);
    }

    private HttpJson.Response post(String caller, String path, Object body) {
        return api.post(path, body, "X-Test-Caller", caller);
    }

    private HttpJson.Response register(String agent, String caller) {
        return register(agent, caller, "edge-scoped");
    }

    private HttpJson.Response register(String agent, String caller, String edgeNode) {
        return post(
                caller,
                "/api/v1/agents",
                Map.of(
                        "agentId",
                        agent,
                        "application",
                        "turtlebot-maze",
                        "edgeNode",
                        edgeNode,
                        "skills",
                        List.of("maze-navigation"),
                        "capacity",
                        2));
    }

    @Test
    void anotherTenantsAgentIsNotFoundForEveryAgentOperation() {
        assertThat(get(OPS_B, "/api/v1/agents/" + agentA).status()).isEqualTo(404);
        assertThat(post(EDGE_B, "/api/v1/agents/" + agentA + "/heartbeat", "{}").status())
                .isEqualTo(404);
        assertThat(post(OPS_B, "/api/v1/agents/" + agentA + ":drain", "{}").status())
                .isEqualTo(404);
        assertThat(post(OPS_B, "/api/v1/agents/" + agentA + ":resume", "{}").status())
                .isEqualTo(404);
        assertThat(post(EDGE_B, "/api/v1/agents/" + agentA + "/work:poll", Map.of("waitSeconds", 0))
                        .status())
                .isEqualTo(404);
        String lease = "{\"leaseId\":\"" + UUID.randomUUID() + "\"}";
        for (String op : List.of(":ack", ":complete")) {
            assertThat(post(EDGE_B, "/api/v1/agents/" + agentA + "/work/" + runA + op, lease)
                            .status())
                    .as(op)
                    .isEqualTo(404);
        }
        assertThat(post(
                                EDGE_B,
                                "/api/v1/agents/" + agentA + "/work/" + runA + ":fail",
                                Map.of(
                                        "leaseId",
                                        UUID.randomUUID().toString(),
                                        "failure",
                                        Map.of("code", "x", "message", "y")))
                        .status())
                .isEqualTo(404);
        // and it is still in its own tenant's view, undrained
        HttpJson.Response own = get(OPS_A, "/api/v1/agents/" + agentA);
        assertThat(own.status()).isEqualTo(200);
        // (not "healthy": with the tests' 3 s heartbeat timeout a slow machine may see it lapse)
        assertThat(own.json().get("status").asString()).isNotEqualTo("draining");
    }

    @Test
    void listingsShowOnlyTheCallersTenant() {
        String agentB =
                "turtlebot-maze.scoped-b-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(register(agentB, EDGE_B).status()).isEqualTo(201);

        String agents = get(OPS_B, "/api/v1/agents?limit=500").text();
        assertThat(agents).contains(agentB).doesNotContain(agentA);
        assertThat(get(OPS_B, "/api/v1/intents?limit=500").text()).doesNotContain(intentA);
        assertThat(get(OPS_B, "/api/v1/intents?tenant=tenant-a").json().get("items"))
                .isEmpty();
        assertThat(get(OPS_B, "/api/v1/runs?limit=500").text()).doesNotContain(runA);
        assertThat(get(OPS_B, "/api/v1/runs?tenant=tenant-a").json().get("items"))
                .isEmpty();
        assertThat(get(OPS_A, "/api/v1/intents?limit=500").text()).contains(intentA);
        assertThat(get(OPS_A, "/api/v1/runs?intent=" + intentA).text()).contains(runA);
    }

    @Test
    void anotherTenantsIntentRunAndEventsAreNotFound() {
        assertThat(get(OPS_B, "/api/v1/intents/" + intentA).status()).isEqualTo(404);
        assertThat(post(OPS_B, "/api/v1/intents/" + intentA + ":cancel", "{}").status())
                .isEqualTo(404);
        assertThat(get(OPS_B, "/api/v1/runs/" + runA).status()).isEqualTo(404);
        assertThat(get(OPS_B, "/api/v1/runs/" + runA + "/events").status()).isEqualTo(404);
        assertThat(get(OPS_B, "/api/v1/runs/" + runA + "/events:stream").status())
                .isEqualTo(404);
        assertThat(get(OPS_A, "/api/v1/runs/" + runA).json().get("status").asString())
                .isEqualTo("queued");
    }

    @Test
    void anotherTenantCannotAppendEventsToARun() {
        var events = ContractFixtures.eventsOf(RunId.of(runA))
                .started(AgentId.of(agentA), IntentId.of(intentA))
                .build();
        // RunQueued and PolicyDecided events already hold the first seqs; the run-not-found answer comes first
        assertThat(post(EDGE_B, "/api/v1/runs/" + runA + "/events", ContractJson.write(events.getFirst()))
                        .status())
                .isEqualTo(404);
        HttpJson.Response batch = post(
                EDGE_B,
                "/api/v1/events:batch",
                Map.of("events", events.stream().map(ContractJson::tree).toList()));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
        assertThat(batch.json().at("/results/0/code").asString()).isEqualTo("run-not-found");

        String foreignRun = UUID.randomUUID().toString();
        HttpJson.Response declared = post(
                EDGE_B,
                "/api/v1/events:batch",
                Map.of(
                        "runs",
                        List.of(Map.of(
                                "runId",
                                foreignRun,
                                "intentId",
                                "x-" + foreignRun,
                                "agentId",
                                agentA,
                                "tenant",
                                "tenant-a")),
                        "events",
                        ContractFixtures.eventsOf(RunId.of(foreignRun))
                                .started(AgentId.of(agentA), IntentId.of("x-" + foreignRun))
                                .build()
                                .stream()
                                .map(ContractJson::tree)
                                .toList()));
        assertThat(declared.json().at("/results/0/code").asString()).isEqualTo("run-not-found");
        assertThat(get(OPS_A, "/api/v1/runs/" + foreignRun).status()).isEqualTo(404);
    }

    @Test
    void refusesIntentsForAnotherTenantOrPrincipal() {
        HttpJson.Response otherTenant = post(
                OPS_B,
                "/api/v1/intents",
                ContractJson.write(
                        anIntent().targeting(agentA).forTenant("tenant-a").build()));
        assertThat(otherTenant.status()).isEqualTo(403);
        assertThat(otherTenant.problemType()).isEqualTo("tenant-mismatch");

        HttpJson.Response otherPrincipal = post(
                APP_A,
                "/api/v1/intents",
                ContractJson.write(anIntent()
                        .targeting(agentA)
                        .forTenant("tenant-a")
                        .byPrincipal("someone-else")
                        .build()));
        assertThat(otherPrincipal.status()).isEqualTo(403);
        assertThat(otherPrincipal.problemType()).isEqualTo("principal-mismatch");

        HttpJson.Response asItself = post(
                APP_A,
                "/api/v1/intents",
                ContractJson.write(anIntent()
                        .targeting(agentA)
                        .forTenant("tenant-a")
                        .byPrincipal("app-a")
                        .build()));
        assertThat(asItself.status()).as(asItself.toString()).isEqualTo(202);
    }

    @Test
    void anIntentCannotBePlacedOnAnotherTenantsAgent() {
        HttpJson.Response r = post(
                OPS_B,
                "/api/v1/intents",
                ContractJson.write(
                        anIntent().targeting(agentA).forTenant("tenant-b").build()));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.problemType()).isEqualTo("unknown-target");
        // nor by application: on agent A's edge node, tenant b has no agent
        HttpJson.Response byApp = post(
                OPS_B,
                "/api/v1/intents",
                ContractJson.write(new ai.auraison.contract.Intent(
                        IntentId.of("by-app-" + UUID.randomUUID()),
                        "maze.solve",
                        Map.of(),
                        new ai.auraison.contract.PolicyContext(
                                ai.auraison.contract.TenantId.of("tenant-b"), "ops-b", null, null),
                        List.of(new ai.auraison.contract.Target(null, "turtlebot-maze", edgeNodeA)),
                        null,
                        null,
                        null)));
        assertThat(byApp.status()).as(byApp.toString()).isEqualTo(422);
    }

    @Test
    void anAgentIdRegisteredByAnotherTenantIsAConflict() {
        HttpJson.Response r = register(agentA, EDGE_B);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.problemType()).isEqualTo("agent-id-taken");
        assertThat(register(agentA, EDGE_A, edgeNodeA).status()).isEqualTo(200);
    }

    @Test
    void anApplicationCountsOnlyTheCallersAgents() {
        long own = get(OPS_A, "/api/v1/applications/turtlebot-maze")
                .json()
                .get("agents")
                .asLong();
        long other = get(OPS_B, "/api/v1/applications/turtlebot-maze")
                .json()
                .get("agents")
                .asLong();
        long all = api.get("/api/v1/applications/turtlebot-maze")
                .json()
                .get("agents")
                .asLong();
        assertThat(own).isPositive();
        assertThat(own + other).isLessThanOrEqualTo(all);
        assertThat(other).isLessThan(all);
    }
}
