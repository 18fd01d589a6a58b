package ai.auraison.central;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.testfixtures.HttpJson;
import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A governed central runtime on a real PostgreSQL, and before each test a fresh tenant with its admin, an operator
 * ({@link #ops}), an edge node ({@link #edge}) and a registered turtlebot-maze agent ({@link #agent}). The subclasses
 * share one application context (same configuration) and one database; tenants keep their tests apart.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "auraison.governance.bootstrap-admin-key=" + GovernedTenantITBase.ROOT_KEY)
abstract class GovernedTenantITBase {

    static final String ROOT_KEY = "governed-tenant-root-key-0123456789";
    static final TestDatabase DB = PostgresFixture.newDatabase("governed_tenant_it");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        registry.add("spring.datasource.url", DB::jdbcUrl);
        registry.add("spring.datasource.username", DB::username);
        registry.add("spring.datasource.password", DB::password);
        String dataDir = Files.createTempDirectory("governed-tenant-it").toString();
        registry.add("auraison.data-dir", () -> dataDir);
    }

    @LocalServerPort
    int port;

    HttpJson api;
    String tenant;
    String admin;
    String ops;
    String edge;
    String agent;

    static String[] bearer(String key) {
        return new String[] {"Authorization", "Bearer " + key};
    }

    /** A new principal of the tenant with one role, and its key. */
    String key(String principal, String kind, String role) {
        api.post(
                "/api/v1/principals",
                Map.of("principal", principal, "kind", kind, "roles", List.of(role)),
                bearer(admin));
        return api.post("/api/v1/principals/" + principal + "/keys", "{}", bearer(admin))
                .json()
                .get("key")
                .asString();
    }

    @BeforeEach
    void tenant() {
        api = HttpJson.local(port);
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        admin = api.post("/api/v1/tenants", Map.of("tenant", tenant), bearer(ROOT_KEY))
                .json()
                .at("/admin/key")
                .asString();
        ops = key("ops", "operator", "operator");
        edge = key("edge-1", "edge", "edge");
        agent = "turtlebot-maze." + tenant;
        HttpJson.Response reg = api.post(
                "/api/v1/agents",
                Map.of(
                        "agentId",
                        agent,
                        "application",
                        "turtlebot-maze",
                        "edgeNode",
                        "edge-1",
                        "skills",
                        List.of("maze-navigation"),
                        "capacity",
                        4),
                bearer(edge));
        assertThat(reg.status()).as(reg.toString()).isEqualTo(201);
    }
}
