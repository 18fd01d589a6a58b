package ai.auraison.governance;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.testfixtures.HttpJson;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthenticationIT extends GovernanceITBase {

    private static void assertProblem(HttpJson.Response r, int status, String slug) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.problemType()).isEqualTo(slug);
        assertThat(r.json().get("detail").asString()).isNotBlank();
    }

    @Test
    void answersAnUnauthenticatedCallWith401Problem() {
        HttpJson.Response r = api.get("/api/v1/principals");
        assertProblem(r, 401, "unauthorized");
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
        assertProblem(api.post("/api/v1/policy:explain", "{}"), 401, "unauthorized");
        assertProblem(api.get("/api/v1/nothing-here"), 401, "unauthorized");
    }

    @Test
    void answersAnUnknownKeyWith401Problem() {
        assertProblem(api.get("/api/v1/principals", bearer("ak_nope1234_notarealkey")), 401, "unauthorized");
        assertProblem(api.get("/api/v1/principals", "X-API-Key", "ak_nope1234_notarealkey"), 401, "unauthorized");
    }

    @Test
    void leavesHealthAndApiDocsOpen() {
        assertThat(api.get("/actuator/health").status()).isEqualTo(200);
        assertThat(api.get("/v3/api-docs").status()).isEqualTo(200);
        assertProblem(api.get("/actuator/prometheus"), 401, "unauthorized");
    }

    @Test
    void answersAKeyWithoutTheRoleWith403Problem() {
        String admin = newTenant(uniqueTenant("roles"));
        String viewer = newPrincipal(admin, "viewer-1", "operator", "viewer");
        assertProblem(api.get("/api/v1/principals", bearer(viewer)), 403, "forbidden");
        assertThat(api.get("/api/v1/policy-sets", bearer(viewer)).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/principals", bearer(admin)).status()).isEqualTo(200);
    }

    @Test
    void refusesRolesThatDoNotFitTheKind() {
        String admin = newTenant(uniqueTenant("kinds"));
        HttpJson.Response r = api.post(
                "/api/v1/principals",
                Map.of("principal", "edge-x", "kind", "edge", "roles", java.util.List.of("admin")),
                bearer(admin));
        assertProblem(r, 422, "invalid-roles");
        assertThat(r.json().get("field").asString()).isEqualTo("roles");
    }

    @Test
    void onlyThePlatformAdminCreatesTenants() {
        String admin = newTenant(uniqueTenant("plain"));
        assertProblem(
                api.post("/api/v1/tenants", Map.of("tenant", uniqueTenant("x")), bearer(admin)),
                403,
                "platform-admin-only");
    }

    @Test
    void aRevokedKeyIsRefusedAtOnce() {
        String admin = newTenant(uniqueTenant("revoke"));
        String key = newPrincipal(admin, "ops", "operator", "operator");
        assertThat(api.get("/api/v1/approvals", bearer(key)).status()).isEqualTo(200);
        String keyId = api.get("/api/v1/principals/ops/keys", bearer(admin))
                .json()
                .get(0)
                .get("keyId")
                .asString();
        assertThat(api.post("/api/v1/keys/" + keyId + ":revoke", "{}", bearer(admin))
                        .status())
                .isEqualTo(200);
        assertProblem(api.get("/api/v1/approvals", bearer(key)), 401, "unauthorized");
    }

    @Test
    void anExpiredKeyIsRefused() {
        String admin = newTenant(uniqueTenant("expiry"));
        newPrincipal(admin, "ops", "operator", "operator");
        HttpJson.Response past = api.post(
                "/api/v1/principals/ops/keys",
                Map.of("expiresAt", Instant.now().minusSeconds(5).toString()),
                bearer(admin));
        assertProblem(past, 422, "invalid-expiry");
        // far enough ahead that the key still works when first used, however slow the machine
        HttpJson.Response soon = api.post(
                "/api/v1/principals/ops/keys",
                Map.of("expiresAt", Instant.now().plusSeconds(5).toString()),
                bearer(admin));
        assertThat(soon.status()).as(soon.toString()).isEqualTo(201);
        String key = soon.json().get("key").asString();
        assertThat(api.get("/api/v1/approvals", bearer(key)).status()).isEqualTo(200);
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> api.get("/api/v1/approvals", bearer(key)).status() == 401);
    }

    @Test
    void rotationIssuesANewKeyAndRevokesTheOldOneWithoutGrace() {
        String admin = newTenant(uniqueTenant("rotate"));
        String old = newPrincipal(admin, "ops", "operator", "operator");
        String keyId = api.get("/api/v1/principals/ops/keys", bearer(admin))
                .json()
                .get(0)
                .get("keyId")
                .asString();
        HttpJson.Response rotated = api.post("/api/v1/keys/" + keyId + ":rotate", "{}", bearer(admin));
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
        String fresh = rotated.json().get("key").asString();
        assertThat(api.get("/api/v1/approvals", bearer(fresh)).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/approvals", bearer(old)).status()).isEqualTo(401);
    }

    @Test
    void aDisabledPrincipalsKeysStopWorking() {
        String admin = newTenant(uniqueTenant("disable"));
        String key = newPrincipal(admin, "app-1", "application", "app");
        assertThat(api.get("/api/v1/approvals", bearer(key)).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/principals/app-1:disable", "{}", bearer(admin))
                        .status())
                .isEqualTo(200);
        assertThat(api.get("/api/v1/approvals", bearer(key)).status()).isEqualTo(401);
    }

    @Test
    void storesKeysOnlyAsTheirSha256() throws Exception {
        String admin = newTenant(uniqueTenant("hash"));
        String key = newPrincipal(admin, "ops", "operator", "operator");
        String hex =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes()));
        try (var c = DB.connect();
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT * FROM governance.api_keys")) {
            int columns = rs.getMetaData().getColumnCount();
            boolean found = false;
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    Object v = rs.getObject(i);
                    String text = v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v);
                    assertThat(text).doesNotContain(key.substring(12));
                    if (text.equals(hex)) found = true;
                }
            }
            assertThat(found).isTrue();
        }
        assertThat(key).matches("ak_[a-z0-9]{8}_[A-Za-z0-9_-]{43}"); // 256 random bits after the prefix
    }

    @Test
    void overTheRateQuotaAnswers429WithRetryAfterAndRateLimitHeaders() {
        String admin = newTenant(uniqueTenant("rate"));
        String key = newPrincipal(admin, "chatty", "operator", "viewer");
        assertThat(api.put(
                                "/api/v1/quotas",
                                // one token per 100 s: the third request is refused however slow the machine
                                Map.of("principal", "chatty", "requestsPerSecond", 0.01, "burst", 2),
                                bearer(admin))
                        .status())
                .isEqualTo(200);
        assertThat(api.get("/api/v1/approvals", bearer(key)).header("RateLimit"))
                .contains("r=1");
        assertThat(api.get("/api/v1/approvals", bearer(key)).status()).isEqualTo(200);
        HttpJson.Response limited = api.get("/api/v1/approvals", bearer(key));
        assertProblem(limited, 429, "rate-limited");
        // the wait for the next token: 100 s less what refilled since the burst was used (well under 10 s)
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(90L, 100L);
        assertThat(limited.header("RateLimit-Policy")).isEqualTo("\"principal\";q=2;w=200");
        assertThat(limited.header("RateLimit")).contains("r=0");
        // the tenant's other principals are not affected
        assertThat(api.get("/api/v1/approvals", bearer(admin)).status()).isEqualTo(200);
    }

    @Test
    void aQuotaChangeThatRollsBackIsNotApplied() throws Exception {
        String tenant = uniqueTenant("rollback");
        String admin = newTenant(tenant);
        newPrincipal(admin, "ops", "operator", "operator");
        String fn = "refuse_" + tenant.replaceAll("[^a-z0-9]", "_");
        try (var c = DB.connect();
                var st = c.createStatement()) {
            st.execute("CREATE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "RAISE EXCEPTION 'audit refused by the test'; END $$");
            st.execute("CREATE TRIGGER " + fn + " BEFORE INSERT ON governance.audit_records FOR EACH ROW WHEN "
                    + "(NEW.tenant = '" + tenant + "' AND NEW.action = 'quota.set') EXECUTE FUNCTION " + fn + "()");
        }
        try {
            // the quota is stored, then its audit record is refused: the transaction rolls back
            HttpJson.Response refused = api.put(
                    "/api/v1/quotas", Map.of("principal", "ops", "requestsPerSecond", 0.25, "burst", 3), bearer(admin));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(500);
        } finally {
            try (var c = DB.connect();
                    var st = c.createStatement()) {
                st.execute("DROP TRIGGER " + fn + " ON governance.audit_records");
            }
        }
        HttpJson.Response inForce = api.get("/api/v1/quotas", bearer(admin));
        assertThat(inForce.status()).as(inForce.toString()).isEqualTo(200);
        assertThat(inForce.json().get("principals").has("ops"))
                .as(inForce.toString())
                .isFalse();
        HttpJson.Response applied = api.put(
                "/api/v1/quotas", Map.of("principal", "ops", "requestsPerSecond", 0.25, "burst", 3), bearer(admin));
        assertThat(applied.status()).as(applied.toString()).isEqualTo(200);
        assertThat(applied.json().at("/principals/ops/burst").asInt()).isEqualTo(3);
    }
}
