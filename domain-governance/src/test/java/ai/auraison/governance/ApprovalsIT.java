package ai.auraison.governance;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.testfixtures.HttpJson;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ApprovalsIT extends GovernanceITBase {

    private static Map<String, Object> recommend(String callId) {
        return Map.of(
                "subject",
                Map.of(
                        "kind",
                        "tool_call",
                        "skill",
                        "airspace-watch",
                        "toolCall",
                        Map.of(
                                "toolCallId",
                                callId,
                                "runId",
                                UUID.randomUUID().toString(),
                                "tool",
                                "recommend_response",
                                "input",
                                Map.of("trackId", "t-7", "action", "alert", "rationale", "inside zone B"),
                                "schemaVersion",
                                "1.0")),
                "context",
                Map.of("application", "counter-uas", "agent", "counter-uas.edge-1"));
    }

    @Test
    void aRecommendedResponseWaitsForAnOperatorAndIsAllowedOnceApproved() {
        String admin = newTenant(uniqueTenant("approve"));
        String edge = newPrincipal(admin, "edge-1", "edge", "edge");
        String ops = newPrincipal(admin, "ops", "operator", "operator");
        String call = "call_" + UUID.randomUUID().toString().substring(0, 8);

        HttpJson.Response first = api.post("/api/v1/policy:decide", recommend(call), bearer(edge));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().get("effect").asString()).isEqualTo("require_approval");
        String approvalId = first.json().get("approvalId").asString();

        HttpJson.Response again = api.post("/api/v1/policy:decide", recommend(call), bearer(edge));
        assertThat(again.json().get("approvalId").asString()).isEqualTo(approvalId);

        HttpJson.Response queue = api.get("/api/v1/approvals?status=pending", bearer(ops));
        assertThat(queue.json().get("items").size()).isEqualTo(1);
        assertThat(queue.json().at("/items/0/subjectRef").asString()).isEqualTo(call);
        assertThat(queue.json().at("/items/0/subject/toolCall/input/action").asString())
                .isEqualTo("alert");

        assertThat(api.post("/api/v1/approvals/" + approvalId + ":approve", Map.of("reason", "confirmed"), bearer(edge))
                        .status())
                .isEqualTo(403);
        HttpJson.Response approved =
                api.post("/api/v1/approvals/" + approvalId + ":approve", Map.of("reason", "confirmed"), bearer(ops));
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(approved.json().get("status").asString()).isEqualTo("approved");
        assertThat(approved.json().get("decidedBy").asString()).endsWith("/ops");

        HttpJson.Response allowed = api.post("/api/v1/policy:decide", recommend(call), bearer(edge));
        assertThat(allowed.json().get("effect").asString()).isEqualTo("allow");
        assertThat(allowed.json().get("rule").asString()).isEqualTo("approval/" + approvalId);

        HttpJson.Response twice = api.post("/api/v1/approvals/" + approvalId + ":deny", "{}", bearer(ops));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.problemType()).isEqualTo("approval-decided");
    }

    @Test
    void aDeniedRecommendationIsDeniedWhenDecidedAgain() {
        String admin = newTenant(uniqueTenant("deny"));
        String edge = newPrincipal(admin, "edge-1", "edge", "edge");
        String call = "call_" + UUID.randomUUID().toString().substring(0, 8);
        String approvalId = api.post("/api/v1/policy:decide", recommend(call), bearer(edge))
                .json()
                .get("approvalId")
                .asString();
        assertThat(api.post("/api/v1/approvals/" + approvalId + ":deny", Map.of("reason", "not a drone"), bearer(admin))
                        .status())
                .isEqualTo(200);
        HttpJson.Response denied = api.post("/api/v1/policy:decide", recommend(call), bearer(edge));
        assertThat(denied.json().get("effect").asString()).isEqualTo("deny");
        assertThat(denied.json().get("reason").asString()).contains("not a drone");
    }

    @Test
    void anApprovalWhoseListenerFailsIsNotRecordedAsDecidedAndCanBeDecidedAgain() {
        String admin = newTenant(uniqueTenant("listener"));
        String edge = newPrincipal(admin, "edge-1", "edge", "edge");
        String call = "call_" + UUID.randomUUID().toString().substring(0, 8);
        String approvalId = api.post("/api/v1/policy:decide", recommend(call), bearer(edge))
                .json()
                .get("approvalId")
                .asString();
        GovernanceTestApp.FailingApprovalListener.FAIL_ONCE.add(call);
        HttpJson.Response failed =
                api.post("/api/v1/approvals/" + approvalId + ":approve", Map.of("reason", "go"), bearer(admin));
        assertThat(failed.status()).as(failed.toString()).isEqualTo(500);
        assertThat(GovernanceTestApp.FailingApprovalListener.FAIL_ONCE).doesNotContain(call);
        HttpJson.Response meanwhile = api.get("/api/v1/approvals/" + approvalId, bearer(admin));
        assertThat(meanwhile.status()).as(meanwhile.toString()).isEqualTo(200);
        assertThat(meanwhile.json().get("status").asString()).isEqualTo("pending");
        HttpJson.Response audited = api.get("/api/v1/audit?action=approval.approve", bearer(admin));
        assertThat(audited.status()).as(audited.toString()).isEqualTo(200);
        assertThat(audited.json().get("items").size()).isZero();

        HttpJson.Response approved =
                api.post("/api/v1/approvals/" + approvalId + ":approve", Map.of("reason", "go"), bearer(admin));
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(approved.json().get("status").asString()).isEqualTo("approved");
        assertThat(api.get("/api/v1/audit?action=approval.approve", bearer(admin))
                        .json()
                        .get("items")
                        .size())
                .isEqualTo(1);
    }

    @Test
    void pagesListEveryApprovalOnceWhenSeveralWereCreatedAtTheSameInstant() throws Exception {
        String tenant = uniqueTenant("pages");
        String admin = newTenant(tenant);
        String edge = newPrincipal(admin, "edge-1", "edge", "edge");
        java.util.Set<String> created = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            String call = "call_" + UUID.randomUUID().toString().substring(0, 8);
            HttpJson.Response r = api.post("/api/v1/policy:decide", recommend(call), bearer(edge));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            created.add(r.json().get("approvalId").asString());
        }
        try (var c = DB.connect();
                var st = c.prepareStatement("UPDATE governance.approvals SET created_at = ? WHERE tenant = ?")) {
            st.setObject(1, java.time.OffsetDateTime.parse("2026-03-01T12:00:00.123456Z"));
            st.setString(2, tenant);
            assertThat(st.executeUpdate()).isEqualTo(3);
        }
        java.util.List<String> listed = new java.util.ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 5; page++) {
            HttpJson.Response r =
                    api.get("/api/v1/approvals?limit=1" + (cursor == null ? "" : "&cursor=" + cursor), bearer(admin));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            r.json().get("items").forEach(a -> listed.add(a.get("approvalId").asString()));
            cursor = r.json().path("nextCursor").isString()
                    ? r.json().get("nextCursor").asString()
                    : null;
            if (cursor == null) break;
        }
        assertThat(listed).hasSize(3).containsExactlyInAnyOrderElementsOf(created);
        assertThat(listed).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        HttpJson.Response bad = api.get("/api/v1/approvals?cursor=bm90LWEtY3Vyc29y", bearer(admin));
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(bad.json().get("parameter").asString()).isEqualTo("cursor");
    }

    @Test
    void anotherTenantCannotSeeOrDecideAnApproval() {
        String a = newTenant(uniqueTenant("appr-a"));
        String b = newTenant(uniqueTenant("appr-b"));
        String edge = newPrincipal(a, "edge-1", "edge", "edge");
        String approvalId = api.post("/api/v1/policy:decide", recommend("call_x1"), bearer(edge))
                .json()
                .get("approvalId")
                .asString();
        assertThat(api.get("/api/v1/approvals/" + approvalId, bearer(b)).status())
                .isEqualTo(404);
        assertThat(api.post("/api/v1/approvals/" + approvalId + ":approve", "{}", bearer(b))
                        .status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/approvals", bearer(b)).json().get("items")).isEmpty();
        assertThat(api.get("/api/v1/approvals/" + approvalId, bearer(a))
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("pending");
    }
}
