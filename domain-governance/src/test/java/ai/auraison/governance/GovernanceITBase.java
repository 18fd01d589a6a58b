package ai.auraison.governance;

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

/** One shared governance app on a real PostgreSQL; each test makes its own tenants. */
@SpringBootTest(
        classes = GovernanceTestApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "auraison.governance.bootstrap-admin-key=" + GovernanceTestApp.ADMIN_KEY,
            "auraison.governance.audit.flush-interval=20ms"
        })
abstract class GovernanceITBase {

    static final TestDatabase DB = PostgresFixture.newDatabase("governance_it");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws Exception {
        registry.add("spring.datasource.url", DB::jdbcUrl);
        registry.add("spring.datasource.username", DB::username);
        registry.add("spring.datasource.password", DB::password);
        String dataDir = Files.createTempDirectory("governance-it").toString();
        registry.add("auraison.data-dir", () -> dataDir);
    }

    @LocalServerPort
    int port;

    HttpJson api;

    @BeforeEach
    void client() {
        api = HttpJson.local(port);
    }

    static String[] bearer(String key) {
        return new String[] {"Authorization", "Bearer " + key};
    }

    /** A new tenant; returns its admin's key. */
    String newTenant(String tenant) {
        HttpJson.Response r = api.post(
                "/api/v1/tenants",
                Map.of("tenant", tenant, "displayName", tenant, "admin", Map.of("principal", "admin")),
                bearer(GovernanceTestApp.ADMIN_KEY));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().at("/admin/key").asString();
    }

    static String uniqueTenant(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new principal of the admin's tenant with a key; returns the key. */
    String newPrincipal(String adminKey, String principal, String kind, String... roles) {
        HttpJson.Response p = api.post(
                "/api/v1/principals",
                Map.of("principal", principal, "kind", kind, "roles", List.of(roles)),
                bearer(adminKey));
        assertThat(p.status()).as(p.toString()).isEqualTo(201);
        HttpJson.Response k = api.post("/api/v1/principals/" + principal + "/keys", "{}", bearer(adminKey));
        assertThat(k.status()).as(k.toString()).isEqualTo(201);
        return k.json().get("key").asString();
    }
}
