package ai.auraison.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.auraison.testfixtures.HttpJson;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditIT extends GovernanceITBase {

    private String tenantWithHistory(String tenant) {
        String admin = newTenant(tenant);
        newPrincipal(admin, "ops", "operator", "operator");
        newPrincipal(admin, "edge-1", "edge", "edge");
        api.post(
                "/api/v1/policy:explain",
                Map.of("subject", PolicySetsIT.toolCall("detect_objects", Map.of())),
                bearer(admin));
        return admin;
    }

    @Test
    void recordsAdministrativeChangesAndDecisionsInAnIntactChain() {
        String tenant = uniqueTenant("audit");
        String admin = tenantWithHistory(tenant);
        String edge = newPrincipal(admin, "edge-2", "edge", "edge");
        api.post(
                "/api/v1/policy:decide",
                Map.of("subject", PolicySetsIT.toolCall("detect_objects", Map.of())),
                bearer(edge));

        HttpJson.Response all = api.get("/api/v1/audit?limit=100", bearer(admin));
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        var actions = new java.util.ArrayList<String>();
        all.json().get("items").forEach(r -> actions.add(r.get("action").asString()));
        assertThat(actions).contains("tenant.create", "principal.create", "key.issue", "decide.tool_call");
        HttpJson.Response decisions = api.get("/api/v1/audit?category=decision", bearer(admin));
        assertThat(decisions.json().get("items").size()).isEqualTo(1);
        assertThat(decisions.json().at("/items/0/actor").asString()).isEqualTo(tenant + "/edge-2");

        HttpJson.Response verified = api.get("/api/v1/audit:verify", bearer(admin));
        assertThat(verified.json().get("checked").asLong()).isEqualTo(actions.size());
        assertThat(verified.json().get("firstBroken").isNull()).isTrue();
    }

    @Test
    void aDecisionIsListedByTheReadThatFollowsIt() {
        String tenant = uniqueTenant("ryw");
        String admin = newTenant(tenant);
        String edge = newPrincipal(admin, "edge-1", "edge", "edge");
        // the writer may take a record at any moment; a read right after the decision must still list it
        for (int i = 1; i <= 25; i++) {
            HttpJson.Response decided = api.post(
                    "/api/v1/policy:decide",
                    Map.of("subject", PolicySetsIT.toolCall("detect_objects", Map.of())),
                    bearer(edge));
            assertThat(decided.status()).as(decided.toString()).isEqualTo(200);
            HttpJson.Response listed = api.get("/api/v1/audit?category=decision&limit=1000", bearer(admin));
            assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
            assertThat(listed.json().get("items").size())
                    .as("after decision %d", i)
                    .isEqualTo(i);
        }
    }

    @Test
    void pagesFollowTheCursorAndACursorHoldingNoSequenceNumberIsA400() {
        String admin = tenantWithHistory(uniqueTenant("pages"));
        HttpJson.Response all = api.get("/api/v1/audit?limit=1000", bearer(admin));
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        var expected = new java.util.ArrayList<Long>();
        all.json().get("items").forEach(r -> expected.add(r.get("seq").asLong()));
        assertThat(expected).hasSizeGreaterThan(2);
        var paged = new java.util.ArrayList<Long>();
        String cursor = null;
        do {
            HttpJson.Response page =
                    api.get("/api/v1/audit?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), bearer(admin));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("items").forEach(r -> paged.add(r.get("seq").asLong()));
            cursor = page.json().path("nextCursor").isString()
                    ? page.json().get("nextCursor").asString()
                    : null;
        } while (cursor != null && paged.size() <= expected.size());
        assertThat(paged).isEqualTo(expected);
        HttpJson.Response bad = api.get("/api/v1/audit?cursor=bm90LWEtY3Vyc29y", bearer(admin));
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(bad.json().get("parameter").asString()).isEqualTo("cursor");
    }

    @Test
    void verificationFindsARecordAlteredInTheDatabase() throws Exception {
        String tenant = uniqueTenant("tamper");
        String admin = tenantWithHistory(tenant);
        assertThat(api.get("/api/v1/audit:verify", bearer(admin))
                        .json()
                        .get("firstBroken")
                        .isNull())
                .isTrue();
        try (var c = DB.connect();
                var st = c.createStatement()) {
            st.execute("ALTER TABLE governance.audit_records DISABLE TRIGGER audit_records_append_only");
            try {
                int n = st.executeUpdate("UPDATE governance.audit_records SET subject = 'someone-else' "
                        + "WHERE tenant = '" + tenant + "' AND seq = 3");
                assertThat(n).isEqualTo(1);
            } finally {
                st.execute("ALTER TABLE governance.audit_records ENABLE TRIGGER audit_records_append_only");
            }
        }
        HttpJson.Response verified = api.get("/api/v1/audit:verify", bearer(admin));
        assertThat(verified.json().at("/firstBroken/seq").asLong()).isEqualTo(3);
        assertThat(verified.json().at("/firstBroken/reason").asString()).contains("altered");
        assertThat(verified.json().get("checked").asLong()).isEqualTo(2);
    }

    @Test
    void verificationFindsARecordRemovedFromTheMiddleOrTheEnd() throws Exception {
        String tenant = uniqueTenant("remove");
        String admin = tenantWithHistory(tenant);
        long last = api.get("/api/v1/audit?limit=1", bearer(admin))
                .json()
                .at("/items/0/seq")
                .asLong();
        try (var c = DB.connect();
                var st = c.createStatement()) {
            st.execute("ALTER TABLE governance.audit_records DISABLE TRIGGER audit_records_append_only");
            try {
                st.executeUpdate(
                        "DELETE FROM governance.audit_records WHERE tenant = '" + tenant + "' AND seq = " + last);
            } finally {
                st.execute("ALTER TABLE governance.audit_records ENABLE TRIGGER audit_records_append_only");
            }
        }
        assertThat(api.get("/api/v1/audit:verify", bearer(admin))
                        .json()
                        .at("/firstBroken/seq")
                        .asLong())
                .isEqualTo(last);
        try (var c = DB.connect();
                var st = c.createStatement()) {
            st.execute("ALTER TABLE governance.audit_records DISABLE TRIGGER audit_records_append_only");
            try {
                st.executeUpdate("DELETE FROM governance.audit_records WHERE tenant = '" + tenant + "' AND seq = 2");
            } finally {
                st.execute("ALTER TABLE governance.audit_records ENABLE TRIGGER audit_records_append_only");
            }
        }
        HttpJson.Response verified = api.get("/api/v1/audit:verify", bearer(admin));
        assertThat(verified.json().at("/firstBroken/seq").asLong()).isEqualTo(2);
        assertThat(verified.json().at("/firstBroken/reason").asString()).contains("missing");
    }

    @Test
    void theDatabaseRefusesToChangeAnAuditRecord() {
        String tenant = uniqueTenant("appendonly");
        tenantWithHistory(tenant);
        assertThatThrownBy(() -> {
                    try (var c = DB.connect();
                            var st = c.createStatement()) {
                        st.executeUpdate(
                                "UPDATE governance.audit_records SET outcome = 'x' WHERE tenant = '" + tenant + "'");
                    }
                })
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("append-only");
    }

    @Test
    void decisionRecordsTheDatabaseRefusesAreKeptAndWrittenOnceWhenItAcceptsThemAgain() throws Exception {
        String tenant = uniqueTenant("refused");
        String admin = newTenant(tenant);
        String edge = newPrincipal(admin, "edge-1", "edge", "edge");
        String fn = "refuse_" + tenant.replaceAll("[^a-z0-9]", "_");
        try (var c = DB.connect();
                var st = c.createStatement()) {
            // nextval is not rolled back with the refused insert: it counts the writer's attempts
            st.execute("CREATE SEQUENCE " + fn + "_attempts");
            st.execute("CREATE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('"
                    + fn + "_attempts'); RAISE EXCEPTION 'audit refused by the test'; END $$");
            st.execute("CREATE TRIGGER " + fn + " BEFORE INSERT ON governance.audit_records FOR EACH ROW WHEN "
                    + "(NEW.tenant = '" + tenant + "' AND NEW.category = 'decision') EXECUTE FUNCTION " + fn + "()");
        }
        try {
            for (int i = 0; i < 3; i++) {
                HttpJson.Response decided = api.post(
                        "/api/v1/policy:decide",
                        Map.of("subject", PolicySetsIT.toolCall("detect_objects", Map.of())),
                        bearer(edge));
                assertThat(decided.status()).as(decided.toString()).isEqualTo(200);
            }
            // refused more than once: the writer retried what it kept
            await().atMost(Duration.ofSeconds(20)).until(() -> attempts(fn) >= 3);
            HttpJson.Response meanwhile = api.get("/api/v1/audit?category=decision", bearer(admin));
            assertThat(meanwhile.status()).as(meanwhile.toString()).isEqualTo(200);
            assertThat(meanwhile.json().get("items").size()).isZero();
        } finally {
            try (var c = DB.connect();
                    var st = c.createStatement()) {
                st.execute("DROP TRIGGER " + fn + " ON governance.audit_records");
            }
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> api.get("/api/v1/audit?category=decision", bearer(admin))
                                .json()
                                .get("items")
                                .size()
                        == 3);
        HttpJson.Response all = api.get("/api/v1/audit?limit=100", bearer(admin));
        HttpJson.Response verified = api.get("/api/v1/audit:verify", bearer(admin));
        assertThat(verified.json().get("firstBroken").isNull()).isTrue();
        assertThat(verified.json().get("checked").asLong())
                .isEqualTo(all.json().get("items").size());
    }

    @Test
    void aTenantWhoseRecordsTheDatabaseRefusesDoesNotHoldUpAnotherTenantsRecords() throws Exception {
        String a = uniqueTenant("stuck");
        String adminA = newTenant(a);
        String edgeA = newPrincipal(adminA, "edge-1", "edge", "edge");
        String b = uniqueTenant("flowing");
        String adminB = newTenant(b);
        String edgeB = newPrincipal(adminB, "edge-1", "edge", "edge");
        String fn = "refuse_" + a.replaceAll("[^a-z0-9]", "_");
        try (var c = DB.connect();
                var st = c.createStatement()) {
            st.execute("CREATE SEQUENCE " + fn + "_attempts");
            st.execute("CREATE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('"
                    + fn + "_attempts'); RAISE EXCEPTION 'audit refused by the test'; END $$");
            st.execute("CREATE TRIGGER " + fn + " BEFORE INSERT ON governance.audit_records FOR EACH ROW WHEN "
                    + "(NEW.tenant = '" + a + "' AND NEW.category = 'decision') EXECUTE FUNCTION " + fn + "()");
        }
        try {
            HttpJson.Response decidedA = api.post(
                    "/api/v1/policy:decide",
                    Map.of("subject", PolicySetsIT.toolCall("detect_objects", Map.of())),
                    bearer(edgeA));
            assertThat(decidedA.status()).as(decidedA.toString()).isEqualTo(200);
            // a's record was refused and waits for a retry
            await().atMost(Duration.ofSeconds(20)).until(() -> attempts(fn) >= 1);
            HttpJson.Response decidedB = api.post(
                    "/api/v1/policy:decide",
                    Map.of("subject", PolicySetsIT.toolCall("detect_objects", Map.of())),
                    bearer(edgeB));
            assertThat(decidedB.status()).as(decidedB.toString()).isEqualTo(200);
            // the writer writes b's record on its own (read from the database: a listing would flush)
            await().atMost(Duration.ofSeconds(20)).until(() -> storedDecisions(b) == 1);
            assertThat(storedDecisions(a)).isZero();
            HttpJson.Response listedB = api.get("/api/v1/audit?category=decision", bearer(adminB));
            assertThat(listedB.status()).as(listedB.toString()).isEqualTo(200);
            assertThat(listedB.json().get("items").size()).isEqualTo(1);
            HttpJson.Response listedA = api.get("/api/v1/audit?category=decision", bearer(adminA));
            assertThat(listedA.status()).as(listedA.toString()).isEqualTo(200);
            assertThat(listedA.json().get("items").size()).isZero();
        } finally {
            try (var c = DB.connect();
                    var st = c.createStatement()) {
                st.execute("DROP TRIGGER " + fn + " ON governance.audit_records");
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> storedDecisions(a) == 1);
        for (String admin : new String[] {adminA, adminB}) {
            HttpJson.Response verified = api.get("/api/v1/audit:verify", bearer(admin));
            assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
            assertThat(verified.json().get("firstBroken").isNull()).isTrue();
        }
    }

    @Test
    void aDecisionBodyWithAControlCharacterInAStoredStringIsA400NamingTheField() throws Exception {
        String tenant = uniqueTenant("nul");
        String admin = newTenant(tenant);
        String edge = newPrincipal(admin, "edge-1", "edge", "edge");
        HttpJson.Response model = api.post(
                "/api/v1/policy:decide",
                Map.of("subject", Map.of("kind", "model_call", "model", "gpt\u0000x", "estimatedCostUsd", 0.1)),
                bearer(edge));
        assertThat(model.status()).as(model.toString()).isEqualTo(400);
        assertThat(model.json().get("parameter").asString()).isEqualTo("subject.model");
        HttpJson.Response principal = api.post(
                "/api/v1/policy:decide",
                Map.of(
                        "subject",
                        PolicySetsIT.toolCall("detect_objects", Map.of()),
                        "context",
                        Map.of("principal", "ops\u0000")),
                bearer(edge));
        assertThat(principal.status()).as(principal.toString()).isEqualTo(400);
        assertThat(principal.json().get("parameter").asString()).isEqualTo("context.principal");
        HttpJson.Response fine = api.post(
                "/api/v1/policy:decide",
                Map.of(
                        "subject",
                        PolicySetsIT.toolCall("detect_objects", Map.of()),
                        "context",
                        Map.of("principal", "ops")),
                bearer(edge));
        assertThat(fine.status()).as(fine.toString()).isEqualTo(200);
        HttpJson.Response listed = api.get("/api/v1/audit?category=decision", bearer(admin));
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.json().get("items").size()).isEqualTo(1);
        assertThat(listed.json().at("/items/0/actor").asString()).isEqualTo(tenant + "/ops");
    }

    private static long storedDecisions(String tenant) throws SQLException {
        try (var c = DB.connect();
                var st = c.prepareStatement("SELECT count(*) FROM governance.audit_records "
                        + "WHERE tenant = ? AND category = 'decision'")) {
            st.setString(1, tenant);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long attempts(String fn) throws SQLException {
        try (var c = DB.connect();
                var st = c.createStatement();
                var rs = st.executeQuery(
                        "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM " + fn + "_attempts")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void anotherTenantsRecordsAreNotListed() {
        String a = uniqueTenant("audit-a");
        String adminA = tenantWithHistory(a);
        String b = uniqueTenant("audit-b");
        String adminB = newTenant(b);
        HttpJson.Response ofA = api.get("/api/v1/audit?limit=1000", bearer(adminA));
        assertThat(ofA.status()).as(ofA.toString()).isEqualTo(200);
        assertThat(ofA.json().get("items")).isNotEmpty();
        ofA.json()
                .get("items")
                .forEach(r -> assertThat(r.get("tenant").asString()).isEqualTo(a));
        HttpJson.Response ofB = api.get("/api/v1/audit?limit=1000", bearer(adminB));
        assertThat(ofB.status()).as(ofB.toString()).isEqualTo(200);
        assertThat(ofB.json().get("items")).isNotEmpty();
        ofB.json()
                .get("items")
                .forEach(r -> assertThat(r.get("tenant").asString()).isEqualTo(b));
        assertThat(ofB.text()).doesNotContain(a);
    }
}
