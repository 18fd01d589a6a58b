package ai.auraison.central;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.EventId;
import ai.auraison.contract.IntentId;
import ai.auraison.contract.RunId;
import ai.auraison.contract.SchemaVersions;
import ai.auraison.testfixtures.ContractFixtures;
import ai.auraison.testfixtures.HttpJson;
import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Walks every endpoint of the central runtime × every role × the caller's own tenant and another tenant, and checks
 * that no response of tenant A's callers carries anything of tenant B, that another tenant's resources are 404s (or
 * refused), that roles are enforced with 403 problems, and that every endpoint without a key is a 401 problem. The
 * endpoint list is the OpenAPI document's: an endpoint this table does not classify fails the test.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"auraison.governance.bootstrap-admin-key=" + TenantIsolationIT.ROOT_KEY})
// one instance for the class: the tenants are seeded once, and the after-walk check runs after the walk
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class TenantIsolationIT {

    static final String ROOT_KEY = "isolation-it-root-key-0123456789abcdef";
    static final TestDatabase DB = PostgresFixture.newDatabase("isolation_it");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        registry.add("spring.datasource.url", DB::jdbcUrl);
        registry.add("spring.datasource.username", DB::username);
        registry.add("spring.datasource.password", DB::password);
        Path dataDir = Files.createTempDirectory("isolation-it");
        registry.add("auraison.data-dir", dataDir::toString);
    }

    enum Role {
        ADMIN,
        OPERATOR,
        VIEWER,
        EDGE,
        APP
    }

    static final Set<Role> ALL = EnumSet.allOf(Role.class);
    static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);
    static final Set<Role> OPERATORS = EnumSet.of(Role.ADMIN, Role.OPERATOR);
    static final Set<Role> VIEWERS = EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.VIEWER);
    static final Set<Role> EDGE = EnumSet.of(Role.EDGE);

    /** What another tenant's resource must answer. */
    enum Other {
        /** 404, as if it did not exist. */
        NOT_FOUND,
        /** 403 tenant-mismatch: the body names another tenant. */
        TENANT_MISMATCH,
        /** 409: the id is taken by another tenant (agent registration). */
        CONFLICT,
        /** The request addresses nothing of another tenant (listings, creations): answered as for the own tenant. */
        SAME,
        /** Any answer but 401 and 403 (the model gateway, with no model configured here, answers its own errors). */
        NOT_DENIED
    }

    /** One tenant's resources, the targets of the requests. */
    record Resources(
            String tenant,
            Map<Role, String> keys,
            String agent,
            String intent,
            String run,
            String finishedRun,
            String approval,
            String principal,
            String budget,
            String policySet,
            String keyId) {}

    record Request(String method, String path, String body) {}

    record Row(String method, String template, Set<Role> roles, Other other, Function<Resources, Request> request) {}

    @LocalServerPort
    int port;

    HttpJson api;
    Resources a;
    Resources b;
    final AtomicInteger counter = new AtomicInteger();

    @BeforeEach
    void seed() {
        api = HttpJson.local(port);
        if (a != null) return;
        a = seedTenant("iso-a-" + UUID.randomUUID().toString().substring(0, 6));
        b = seedTenant("iso-b-" + UUID.randomUUID().toString().substring(0, 6));
        // the cancelled runs' RunCancelled events reach memory's projection (asynchronously) before the walk reads them
        for (Resources t : List.of(a, b)) {
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> api.get(
                                            "/api/v1/memory/runs/" + t.finishedRun() + "/timeline",
                                            bearer(t.keys().get(Role.VIEWER)))
                                    .status()
                            == 200);
        }
    }

    private static String[] bearer(String key) {
        return new String[] {"Authorization", "Bearer " + key};
    }

    private HttpJson.Response ok(HttpJson.Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    private String key(String admin, String principal, String kind, String role) {
        ok(
                api.post(
                        "/api/v1/principals",
                        Map.of("principal", principal, "kind", kind, "roles", List.of(role)),
                        bearer(admin)),
                201);
        return ok(api.post("/api/v1/principals/" + principal + "/keys", "{}", bearer(admin)), 201)
                .json()
                .get("key")
                .asString();
    }

    private Resources seedTenant(String tenant) {
        String admin = ok(api.post("/api/v1/tenants", Map.of("tenant", tenant), bearer(ROOT_KEY)), 201)
                .json()
                .at("/admin/key")
                .asString();
        Map<Role, String> keys = new java.util.EnumMap<>(Role.class);
        keys.put(Role.ADMIN, admin);
        keys.put(Role.OPERATOR, key(admin, "ops", "operator", "operator"));
        keys.put(Role.VIEWER, key(admin, "viewer", "operator", "viewer"));
        keys.put(Role.EDGE, key(admin, "edge-1", "edge", "edge"));
        keys.put(Role.APP, key(admin, "app-1", "application", "app"));
        String spare = "spare-" + tenant;
        key(admin, spare, "operator", "viewer");
        String keyId = api.get("/api/v1/principals/" + spare + "/keys", bearer(admin))
                .json()
                .at("/0/keyId")
                .asString();

        String agent = "turtlebot-maze." + tenant;
        ok(api.post("/api/v1/agents", agentBody(agent), bearer(keys.get(Role.EDGE))), 201);
        String intent = "intent-" + tenant;
        String run = ok(
                        api.post("/api/v1/intents", intentBody(intent, tenant, agent), bearer(keys.get(Role.OPERATOR))),
                        202)
                .json()
                .get("runId")
                .asString();
        String cancelled = ok(
                        api.post(
                                "/api/v1/intents",
                                intentBody("cancelled-" + tenant, tenant, agent),
                                bearer(keys.get(Role.APP))),
                        202)
                .json()
                .get("runId")
                .asString();
        ok(api.post("/api/v1/intents/cancelled-" + tenant + ":cancel", "{}", bearer(keys.get(Role.OPERATOR))), 200);
        String approval = ok(
                        api.post("/api/v1/policy:decide", recommend("call_" + tenant), bearer(keys.get(Role.EDGE))),
                        200)
                .json()
                .get("approvalId")
                .asString();
        String budget = "budget-" + tenant;
        ok(
                api.post(
                        "/api/v1/budgets",
                        Map.of("name", budget, "scope", "tenant", "period", "month", "limitUsd", 100),
                        bearer(admin)),
                201);
        String set = "set-" + tenant;
        ok(api.send("POST", "/api/v1/policy-sets", "application/yaml", policy(set), bearer(admin)), 201);
        ok(api.post("/api/v1/policy-sets/" + set + "/versions/1:activate", "{}", bearer(admin)), 200);
        return new Resources(tenant, keys, agent, intent, run, cancelled, approval, spare, budget, set, keyId);
    }

    static Map<String, Object> agentBody(String agent) {
        return Map.of(
                "agentId",
                agent,
                "application",
                "turtlebot-maze",
                "edgeNode",
                "edge-iso",
                "skills",
                List.of("maze-navigation"),
                "capacity",
                4);
    }

    static String intentBody(String intentId, String tenant, String agent) {
        return ContractJson.write(ContractFixtures.anIntent()
                .withId(intentId)
                .forTenant(tenant)
                .byPrincipal("app-1")
                .targeting(agent)
                .build());
    }

    static Map<String, Object> recommend(String callId) {
        return Map.of(
                "subject",
                Map.of(
                        "kind", "tool_call",
                        "skill", "airspace-watch",
                        "toolCall",
                                Map.of(
                                        "toolCallId",
                                        callId,
                                        "runId",
                                        UUID.randomUUID().toString(),
                                        "tool",
                                        "recommend_response",
                                        "input",
                                        Map.of("action", "alert"),
                                        "schemaVersion",
                                        "1.0")));
    }

    static String policy(String name) {
        return "name: " + name
                + "\nrules:\n  - {id: no-jam, subjects: [tool_call], effect: deny, when: {tools: [jam]}}\n";
    }

    private String event(String run, String agent, String intent) {
        return ContractJson.write(new AgentEvent.RunStarted(
                EventId.random(),
                RunId.of(run),
                999,
                Instant.now(),
                null,
                SchemaVersions.CURRENT,
                AgentId.of(agent),
                IntentId.of(intent),
                1,
                "pi",
                null));
    }

    private String fresh(String prefix) {
        return prefix + "-" + counter.incrementAndGet();
    }

    private static Request get(String path) {
        return new Request("GET", path, null);
    }

    private static Request post(String path, Object body) {
        return new Request("POST", path, body instanceof String s ? s : ContractJson.write(body));
    }

    private static Request put(String path, Object body) {
        return new Request("PUT", path, ContractJson.write(body));
    }

    /** Every endpoint: method, template, the roles allowed, what another tenant's resource answers, the request. */
    List<Row> rows() {
        String lease = "{\"leaseId\":\"" + UUID.randomUUID() + "\"}";
        List<Row> rows = new ArrayList<>();
        // platform
        rows.add(new Row(
                "POST",
                "/api/v1/contract/validate/{type}",
                ALL,
                Other.SAME,
                r -> post("/api/v1/contract/validate/intent", intentBody("v-" + r.tenant(), r.tenant(), r.agent()))));
        rows.add(new Row(
                "GET",
                "/api/v1/contract/schemas/{type}",
                ALL,
                Other.SAME,
                r -> get("/api/v1/contract/schemas/intent")));
        // registry
        rows.add(new Row("GET", "/api/v1/applications", ALL, Other.SAME, r -> get("/api/v1/applications")));
        rows.add(new Row(
                "GET",
                "/api/v1/applications/{name}",
                ALL,
                Other.SAME,
                r -> get("/api/v1/applications/turtlebot-maze")));
        rows.add(new Row("GET", "/api/v1/skills", ALL, Other.SAME, r -> get("/api/v1/skills")));
        rows.add(new Row("GET", "/api/v1/skills/{name}", ALL, Other.SAME, r -> get("/api/v1/skills/maze-navigation")));
        rows.add(new Row("POST", "/api/v1/skills:reload", ADMIN, Other.SAME, r -> post("/api/v1/skills:reload", "{}")));
        // agents
        rows.add(new Row(
                "POST",
                "/api/v1/agents",
                EnumSet.of(Role.EDGE, Role.ADMIN),
                Other.CONFLICT,
                r -> post("/api/v1/agents", agentBody(r.agent()))));
        rows.add(new Row(
                "GET", "/api/v1/agents", union(VIEWERS, EDGE), Other.SAME, r -> get("/api/v1/agents?limit=500")));
        rows.add(new Row(
                "GET",
                "/api/v1/agents/{agentId}",
                union(VIEWERS, EDGE),
                Other.NOT_FOUND,
                r -> get("/api/v1/agents/" + r.agent())));
        rows.add(new Row(
                "POST",
                "/api/v1/agents/{agentId}/heartbeat",
                EDGE,
                Other.NOT_FOUND,
                r -> post("/api/v1/agents/" + r.agent() + "/heartbeat", "{}")));
        rows.add(new Row(
                "POST",
                "/api/v1/agents/{agentId}:drain",
                OPERATORS,
                Other.NOT_FOUND,
                r -> post("/api/v1/agents/" + r.agent() + ":drain", "{}")));
        rows.add(new Row(
                "POST",
                "/api/v1/agents/{agentId}:resume",
                OPERATORS,
                Other.NOT_FOUND,
                r -> post("/api/v1/agents/" + r.agent() + ":resume", "{}")));
        rows.add(new Row(
                "POST",
                "/api/v1/agents/{agentId}/work:poll",
                EDGE,
                Other.NOT_FOUND,
                r -> post("/api/v1/agents/" + r.agent() + "/work:poll", Map.of("waitSeconds", 0, "max", 1))));
        for (String op : List.of(":ack", ":complete")) {
            rows.add(new Row(
                    "POST",
                    "/api/v1/agents/{agentId}/work/{runId}" + op,
                    EDGE,
                    Other.NOT_FOUND,
                    r -> post("/api/v1/agents/" + r.agent() + "/work/" + r.run() + op, lease)));
        }
        rows.add(new Row(
                "POST",
                "/api/v1/agents/{agentId}/work/{runId}:fail",
                EDGE,
                Other.NOT_FOUND,
                r -> post(
                        "/api/v1/agents/" + r.agent() + "/work/" + r.run() + ":fail",
                        Map.of(
                                "leaseId",
                                UUID.randomUUID().toString(),
                                "failure",
                                Map.of("code", "x", "message", "y")))));
        // intents, runs, events
        rows.add(new Row(
                "POST",
                "/api/v1/intents",
                union(OPERATORS, EnumSet.of(Role.EDGE, Role.APP)),
                Other.TENANT_MISMATCH,
                r -> post("/api/v1/intents", intentBody(fresh("i-" + r.tenant()), r.tenant(), r.agent()))));
        rows.add(new Row(
                "GET",
                "/api/v1/intents",
                union(VIEWERS, EnumSet.of(Role.EDGE, Role.APP)),
                Other.SAME,
                r -> get("/api/v1/intents?limit=500&tenant=" + r.tenant())));
        rows.add(new Row(
                "GET",
                "/api/v1/intents/{intentId}",
                union(VIEWERS, EnumSet.of(Role.EDGE, Role.APP)),
                Other.NOT_FOUND,
                r -> get("/api/v1/intents/" + r.intent())));
        rows.add(new Row(
                "POST",
                "/api/v1/intents/{intentId}:cancel",
                union(OPERATORS, EnumSet.of(Role.APP)),
                Other.NOT_FOUND,
                r -> post("/api/v1/intents/cancelled-" + r.tenant() + ":cancel", "{}")));
        Set<Role> readers = union(VIEWERS, EnumSet.of(Role.EDGE, Role.APP));
        rows.add(new Row(
                "GET", "/api/v1/runs", readers, Other.SAME, r -> get("/api/v1/runs?limit=500&tenant=" + r.tenant())));
        rows.add(new Row("GET", "/api/v1/runs/{runId}", readers, Other.NOT_FOUND, r -> get("/api/v1/runs/" + r.run())));
        rows.add(new Row(
                "GET",
                "/api/v1/runs/{runId}/events",
                readers,
                Other.NOT_FOUND,
                r -> get("/api/v1/runs/" + r.run() + "/events")));
        rows.add(new Row(
                "GET",
                "/api/v1/runs/{runId}/events:stream",
                readers,
                Other.NOT_FOUND,
                r -> get("/api/v1/runs/" + r.finishedRun() + "/events:stream")));
        rows.add(new Row(
                "POST",
                "/api/v1/runs/{runId}/events",
                EDGE,
                Other.NOT_FOUND,
                r -> post("/api/v1/runs/" + r.run() + "/events", event(r.run(), r.agent(), r.intent()))));
        rows.add(new Row(
                "POST",
                "/api/v1/events:batch",
                EDGE,
                Other.SAME,
                r -> post("/api/v1/events:batch", "{\"events\":[" + event(r.run(), r.agent(), r.intent()) + "]}")));
        // identities
        rows.add(new Row(
                "POST",
                "/api/v1/tenants",
                Set.of(),
                Other.SAME,
                r -> post("/api/v1/tenants", Map.of("tenant", fresh("t")))));
        rows.add(new Row("GET", "/api/v1/tenants", ADMIN, Other.SAME, r -> get("/api/v1/tenants")));
        rows.add(new Row(
                "GET", "/api/v1/tenants/{tenant}", ADMIN, Other.NOT_FOUND, r -> get("/api/v1/tenants/" + r.tenant())));
        rows.add(new Row(
                "POST",
                "/api/v1/principals",
                ADMIN,
                Other.SAME,
                r -> post(
                        "/api/v1/principals",
                        Map.of("principal", fresh("p"), "kind", "operator", "roles", List.of("viewer")))));
        rows.add(new Row("GET", "/api/v1/principals", ADMIN, Other.SAME, r -> get("/api/v1/principals?limit=500")));
        rows.add(new Row(
                "GET",
                "/api/v1/principals/{principal}",
                ADMIN,
                Other.NOT_FOUND,
                r -> get("/api/v1/principals/" + r.principal())));
        rows.add(new Row(
                "POST",
                "/api/v1/principals/{principal}:disable",
                ADMIN,
                Other.NOT_FOUND,
                r -> post("/api/v1/principals/" + r.principal() + ":disable", "{}")));
        rows.add(new Row(
                "POST",
                "/api/v1/principals/{principal}:enable",
                ADMIN,
                Other.NOT_FOUND,
                r -> post("/api/v1/principals/" + r.principal() + ":enable", "{}")));
        rows.add(new Row(
                "POST",
                "/api/v1/principals/{principal}/keys",
                ADMIN,
                Other.NOT_FOUND,
                r -> post("/api/v1/principals/" + r.principal() + "/keys", "{}")));
        rows.add(new Row(
                "GET",
                "/api/v1/principals/{principal}/keys",
                ADMIN,
                Other.NOT_FOUND,
                r -> get("/api/v1/principals/" + r.principal() + "/keys")));
        rows.add(new Row(
                "POST",
                "/api/v1/keys/{keyId}:rotate",
                ADMIN,
                Other.NOT_FOUND,
                r -> post("/api/v1/keys/" + r.keyId() + ":rotate", "{\"graceSeconds\": 3600}")));
        rows.add(new Row(
                "POST",
                "/api/v1/keys/{keyId}:revoke",
                ADMIN,
                Other.NOT_FOUND,
                r -> post("/api/v1/keys/" + r.keyId() + ":revoke", "{}")));
        // quotas, budgets, usage
        rows.add(new Row("GET", "/api/v1/quotas", VIEWERS, Other.SAME, r -> get("/api/v1/quotas")));
        rows.add(new Row(
                "PUT",
                "/api/v1/quotas",
                ADMIN,
                Other.NOT_FOUND,
                r -> put(
                        "/api/v1/quotas",
                        Map.of("principal", r.principal(), "requestsPerSecond", 500, "burst", 1000))));
        rows.add(new Row(
                "POST",
                "/api/v1/budgets",
                ADMIN,
                Other.SAME,
                r -> post(
                        "/api/v1/budgets",
                        Map.of("name", fresh("b"), "scope", "tenant", "period", "day", "limitTokens", 10))));
        rows.add(new Row("GET", "/api/v1/budgets", VIEWERS, Other.SAME, r -> get("/api/v1/budgets")));
        rows.add(new Row(
                "GET", "/api/v1/budgets/{name}", VIEWERS, Other.NOT_FOUND, r -> get("/api/v1/budgets/" + r.budget())));
        rows.add(new Row(
                "PUT",
                "/api/v1/budgets/{name}",
                ADMIN,
                Other.NOT_FOUND,
                r -> put("/api/v1/budgets/" + r.budget(), Map.of("limitUsd", 100))));
        rows.add(new Row(
                "GET",
                "/api/v1/budgets/{name}/ledger",
                VIEWERS,
                Other.NOT_FOUND,
                r -> get("/api/v1/budgets/" + r.budget() + "/ledger")));
        rows.add(new Row("GET", "/api/v1/usage", VIEWERS, Other.SAME, r -> get("/api/v1/usage")));
        // policies
        rows.add(new Row(
                "POST",
                "/api/v1/policy-sets",
                ADMIN,
                Other.SAME,
                r -> new Request(
                        "POST",
                        "/api/v1/policy-sets",
                        ContractJson.write(Map.of("name", fresh("s"), "rules", List.of())))));
        rows.add(new Row("GET", "/api/v1/policy-sets", VIEWERS, Other.SAME, r -> get("/api/v1/policy-sets")));
        rows.add(new Row(
                "GET",
                "/api/v1/policy-sets/{name}/versions/{version}",
                VIEWERS,
                Other.NOT_FOUND,
                r -> get("/api/v1/policy-sets/" + r.policySet() + "/versions/1")));
        rows.add(new Row(
                "POST",
                "/api/v1/policy-sets/{name}/versions/{version}:activate",
                ADMIN,
                Other.NOT_FOUND,
                r -> post("/api/v1/policy-sets/" + r.policySet() + "/versions/1:activate", "{}")));
        rows.add(new Row(
                "POST",
                "/api/v1/policy:explain",
                union(VIEWERS, EDGE),
                Other.TENANT_MISMATCH,
                r -> post(
                        "/api/v1/policy:explain",
                        Map.of(
                                "subject",
                                Map.of(
                                        "kind",
                                        "intent",
                                        "intent",
                                        ContractJson.tree(intentBody("x-" + r.tenant(), r.tenant(), r.agent())))))));
        rows.add(new Row(
                "POST",
                "/api/v1/policy:decide",
                EDGE,
                Other.SAME,
                r -> post("/api/v1/policy:decide", recommend(fresh("call")))));
        rows.add(new Row(
                "GET",
                "/api/v1/policy/bundle",
                EnumSet.of(Role.EDGE, Role.ADMIN),
                Other.SAME,
                r -> get("/api/v1/policy/bundle")));
        rows.add(new Row("GET", "/api/v1/policy/bundle-key", ALL, Other.SAME, r -> get("/api/v1/policy/bundle-key")));
        rows.add(new Row(
                "GET",
                "/api/v1/approvals",
                union(VIEWERS, EnumSet.of(Role.EDGE, Role.APP)),
                Other.SAME,
                r -> get("/api/v1/approvals")));
        rows.add(new Row(
                "GET",
                "/api/v1/approvals/{approvalId}",
                union(VIEWERS, EnumSet.of(Role.EDGE, Role.APP)),
                Other.NOT_FOUND,
                r -> get("/api/v1/approvals/" + r.approval())));
        rows.add(new Row(
                "POST",
                "/api/v1/approvals/{approvalId}:approve",
                OPERATORS,
                Other.NOT_FOUND,
                r -> post("/api/v1/approvals/" + r.approval() + ":approve", "{}")));
        rows.add(new Row(
                "POST",
                "/api/v1/approvals/{approvalId}:deny",
                OPERATORS,
                Other.NOT_FOUND,
                r -> post("/api/v1/approvals/" + r.approval() + ":deny", "{}")));
        // audit
        // memory: every query is scoped to the caller's tenant; naming another tenant is refused
        rows.add(new Row("GET", "/api/v1/memory/status", VIEWERS, Other.SAME, r -> get("/api/v1/memory/status")));
        rows.add(new Row(
                "GET",
                "/api/v1/memory/runs/{runId}/timeline",
                VIEWERS,
                Other.TENANT_MISMATCH,
                r -> get("/api/v1/memory/runs/" + r.finishedRun() + "/timeline?tenant=" + r.tenant())));
        rows.add(new Row(
                "GET",
                "/api/v1/memory/tool-calls/stats",
                VIEWERS,
                Other.TENANT_MISMATCH,
                r -> get("/api/v1/memory/tool-calls/stats?tenant=" + r.tenant())));
        rows.add(new Row(
                "GET",
                "/api/v1/memory/model-usage",
                VIEWERS,
                Other.TENANT_MISMATCH,
                r -> get("/api/v1/memory/model-usage?tenant=" + r.tenant())));
        rows.add(new Row(
                "GET",
                "/api/v1/memory/agents/health",
                VIEWERS,
                Other.TENANT_MISMATCH,
                r -> get("/api/v1/memory/agents/health?tenant=" + r.tenant())));
        rows.add(new Row("GET", "/api/v1/memory/snapshots", VIEWERS, Other.SAME, r -> get("/api/v1/memory/snapshots")));
        rows.add(new Row(
                "POST",
                "/api/v1/memory/sql",
                VIEWERS,
                Other.TENANT_MISMATCH,
                r -> post(
                        "/api/v1/memory/sql?tenant=" + r.tenant(),
                        Map.of("sql", "select run_id, tenant, agent_id, status from runs"))));
        rows.add(new Row("GET", "/api/v1/memory/sql/views", VIEWERS, Other.SAME, r -> get("/api/v1/memory/sql/views")));
        rows.add(new Row(
                "GET",
                "/api/v1/memory/export",
                VIEWERS,
                Other.TENANT_MISMATCH,
                r -> get("/api/v1/memory/export?tenant=" + r.tenant()
                        + "&table=runs&from=2026-01-01T00:00:00Z&to=2100-01-01T00:00:00Z")));
        // a rebuild spans every tenant: the platform admin's only
        rows.add(new Row(
                "POST", "/api/v1/memory:rebuild", Set.of(), Other.SAME, r -> post("/api/v1/memory:rebuild", "{}")));
        // audit
        rows.add(new Row("GET", "/api/v1/audit", ADMIN, Other.SAME, r -> get("/api/v1/audit?limit=1000")));
        rows.add(new Row("GET", "/api/v1/audit:verify", ADMIN, Other.SAME, r -> get("/api/v1/audit:verify")));
        // the model gateway (a servlet, not in the OpenAPI document)
        Set<Role> modelCallers = union(OPERATORS, EnumSet.of(Role.EDGE, Role.APP));
        rows.add(new Row(
                "POST",
                "/v1/chat/completions",
                modelCallers,
                Other.NOT_DENIED,
                r -> post(
                        "/v1/chat/completions",
                        Map.of("model", "none", "messages", List.of(Map.of("role", "user", "content", "hi"))))));
        rows.add(new Row(
                "POST",
                "/v1/messages",
                modelCallers,
                Other.NOT_DENIED,
                r -> post(
                        "/v1/messages",
                        Map.of(
                                "model",
                                "none",
                                "max_tokens",
                                5,
                                "messages",
                                List.of(Map.of("role", "user", "content", "hi"))))));
        rows.add(new Row("GET", "/v1/models", modelCallers, Other.NOT_DENIED, r -> get("/v1/models")));
        rows.add(new Row("GET", "/v1/models/{model}", modelCallers, Other.NOT_DENIED, r -> get("/v1/models/none")));
        // actuator (not in the OpenAPI document): the platform admin's only; metrics carry every tenant's agent ids
        rows.add(new Row("GET", "/actuator/info", Set.of(), Other.SAME, r -> get("/actuator/info")));
        rows.add(new Row("GET", "/actuator/prometheus", Set.of(), Other.SAME, r -> get("/actuator/prometheus")));
        return rows;
    }

    @SafeVarargs
    static Set<Role> union(Set<Role>... sets) {
        Set<Role> out = EnumSet.noneOf(Role.class);
        for (Set<Role> s : sets) out.addAll(s);
        return out;
    }

    private HttpJson.Response send(Request r, String key) {
        String[] headers = key == null ? new String[0] : bearer(key);
        return api.send(r.method(), r.path(), r.body() == null ? null : "application/json", r.body(), headers);
    }

    /** What belongs to tenant B and must never appear in an answer to tenant A. */
    private List<String> markers(Resources other) {
        return List.of(
                other.tenant(),
                other.agent(),
                other.intent(),
                other.run(),
                other.finishedRun(),
                other.approval(),
                other.principal(),
                other.budget(),
                other.policySet(),
                other.keyId());
    }

    @Test
    void everyEndpointIsClassified() {
        HttpJson.Response docs = api.get("/v3/api-docs");
        Set<String> documented = new TreeSet<>();
        docs.json().get("paths").properties().forEach(p -> {
            if (p.getKey().equals("/error")) return;
            p.getValue()
                    .properties()
                    .forEach(op -> documented.add(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + p.getKey()));
        });
        Set<String> classified = new TreeSet<>();
        for (Row r : rows()) {
            if (r.template().startsWith("/api/")) classified.add(r.method() + " " + r.template());
        }
        assertThat(classified).as("classified endpoints").containsExactlyElementsOf(documented);
    }

    @Test
    void everyEndpointWithoutAKeyIsA401Problem() {
        for (Row row : rows()) {
            HttpJson.Response r = send(row.request().apply(a), null);
            assertThat(r.status())
                    .as(row.method() + " " + row.template() + " → " + r)
                    .isEqualTo(401);
            assertThat(r.problemType()).isEqualTo("unauthorized");
        }
    }

    @Test
    void everyEndpointRoleAndTenantLeaksNothingOfAnotherTenant() {
        List<String> failures = new ArrayList<>();
        List<String> markers = markers(b);
        int requests = 0;
        for (Row row : rows()) {
            for (Role role : Role.values()) {
                String key = a.keys().get(role);
                for (boolean own : new boolean[] {true, false}) {
                    Request req = row.request().apply(own ? a : b);
                    HttpJson.Response r = send(req, key);
                    requests++;
                    String where = role + " " + (own ? "own" : "other") + " " + req.method() + " " + req.path() + " → "
                            + r.status();
                    String asked = req.path() + " " + (req.body() == null ? "" : req.body());
                    for (String m : markers) {
                        // an id the caller sent itself may be echoed back (in a problem's detail); anything else is a
                        // leak
                        if (r.text() != null && r.text().contains(m) && !asked.contains(m)) {
                            failures.add(where + " leaks " + m + ": " + r.text());
                        }
                    }
                    if (!row.roles().contains(role)) {
                        if (r.status() != 403) failures.add(where + ": expected 403 for the role, " + r);
                        continue;
                    }
                    Other expect = own && row.other() != Other.NOT_DENIED ? Other.SAME : row.other();
                    switch (expect) {
                        case NOT_DENIED -> {
                            if (r.status() == 401 || r.status() == 403)
                                failures.add(where + ": expected no denial, " + r);
                        }
                        case SAME -> {
                            if (r.status() == 401 || r.status() == 403 || r.status() == 404 || r.status() >= 500) {
                                failures.add(where + ": expected success, " + r);
                            } else if (req.method().equals("GET") && r.status() != 200) {
                                failures.add(where + ": expected 200, " + r);
                            }
                        }
                        case NOT_FOUND -> {
                            if (r.status() != 404) failures.add(where + ": expected 404, " + r);
                        }
                        case TENANT_MISMATCH -> {
                            if (r.status() != 403 || !r.problemType().equals("tenant-mismatch")) {
                                failures.add(where + ": expected 403 tenant-mismatch, " + r);
                            }
                        }
                        case CONFLICT -> {
                            if (r.status() != 409) failures.add(where + ": expected 409, " + r);
                        }
                    }
                }
            }
        }
        assertThat(failures).as(requests + " requests").isEmpty();
        assertThat(requests).isGreaterThan(500);
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void tenantBStillSeesItsOwnResourcesAfterTheWalk() {
        String viewer = b.keys().get(Role.VIEWER);
        assertThat(api.get("/api/v1/intents/" + b.intent(), bearer(viewer)).status())
                .isEqualTo(200);
        // not drained by anything of the walk (its health lapses with time: it sends no heartbeats meanwhile)
        HttpJson.Response agent = api.get("/api/v1/agents/" + b.agent(), bearer(viewer));
        assertThat(agent.status()).isEqualTo(200);
        assertThat(agent.json().get("status").asString()).isNotEqualTo("draining");
        assertThat(api.get("/api/v1/approvals/" + b.approval(), bearer(viewer))
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("pending");
        assertThat(api.get(
                                "/api/v1/principals/" + b.principal(),
                                bearer(b.keys().get(Role.ADMIN)))
                        .json()
                        .get("disabled")
                        .asBoolean())
                .isFalse();
        var keys = api.get(
                        "/api/v1/principals/" + b.principal() + "/keys",
                        bearer(b.keys().get(Role.ADMIN)))
                .json();
        assertThat(keys.get(0).has("revokedAt")).as(keys.toString()).isFalse();
    }
}
