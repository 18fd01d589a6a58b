package ai.auraison.governance;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.contract.RunId;
import ai.auraison.contract.TenantId;
import ai.auraison.contract.ToolCall;
import ai.auraison.contract.ToolCallId;
import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.governance.policy.EdgePolicyDecider;
import ai.auraison.governance.policy.PolicyBundles;
import ai.auraison.testfixtures.HttpJson;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An edge pulls its tenant's signed bundle with its edge key, verifies it and decides as central does. */
class PolicyBundleIT extends GovernanceITBase {

    private static PolicySubject call(String tool, Map<String, Object> input) {
        return new PolicySubject.ToolCallSubject(
                new ToolCall(ToolCallId.of("call_b"), RunId.random(), tool, input, null, null, null, null, null),
                "airspace-watch");
    }

    @Test
    void anEdgeVerifiesItsTenantsBundleAndDecidesLikeCentral() {
        String tenant = uniqueTenant("bundle");
        String admin = newTenant(tenant);
        String edge = newPrincipal(admin, "edge-1", "edge", "edge");
        String app = newPrincipal(admin, "app-1", "application", "app");

        HttpJson.Response key = api.get("/api/v1/policy/bundle-key", bearer(edge));
        assertThat(key.json().get("algorithm").asString()).isEqualTo("Ed25519");
        var publicKey = PolicyBundles.publicKey(key.json().get("publicKey").asString());
        assertThat(PolicyBundles.keyIdOf(publicKey))
                .isEqualTo(key.json().get("keyId").asString());

        List<EdgePolicyDecider.Decision> degraded = new ArrayList<>();
        var decider = new EdgePolicyDecider(
                Map.of(PolicyBundles.keyIdOf(publicKey), publicKey),
                tenant,
                null,
                Clock.systemUTC(),
                (s, c, d) -> degraded.add(d));
        assertThat(api.get("/api/v1/policy/bundle", bearer(app)).status()).isEqualTo(403);
        HttpJson.Response bundle = api.get("/api/v1/policy/bundle", bearer(edge));
        assertThat(bundle.status()).as(bundle.toString()).isEqualTo(200);
        decider.install(bundle.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));

        DecisionContext ctx = new DecisionContext(
                TenantId.of(tenant), "edge-1", "counter-uas", null, null, Instant.now(), false, Map.of());
        assertThat(decider.decide(call("recommend_response", Map.of("action", "alert")), ctx))
                .isInstanceOf(PolicyDecision.RequireApproval.class);
        assertThat(decider.decide(call("jam", Map.of()), ctx)).isInstanceOf(PolicyDecision.Allow.class);

        api.send(
                "POST",
                "/api/v1/policy-sets",
                "application/yaml",
                "name: edge-rules\nrules:\n  - {id: no-jam, subjects: [tool_call], effect: deny, when: {tools: [jam]}}\n",
                bearer(admin));
        api.post("/api/v1/policy-sets/edge-rules/versions/1:activate", "{}", bearer(admin));
        decider.install(api.get("/api/v1/policy/bundle", bearer(edge))
                .text()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        PolicyDecision jam = decider.decide(call("jam", Map.of()), ctx);
        assertThat(jam).isInstanceOf(PolicyDecision.Deny.class);
        assertThat(jam.rule()).isEqualTo("edge-rules/no-jam");

        decider.centralUnreachable();
        assertThat(decider.decideInDetail(call("jam", Map.of()), ctx).degraded())
                .isTrue();
        assertThat(degraded).hasSize(1);
    }

    @Test
    void aBundleOfAnotherTenantIsRefusedByTheEdge() {
        String a = uniqueTenant("bundle-a");
        String adminA = newTenant(a);
        String edgeA = newPrincipal(adminA, "edge-1", "edge", "edge");
        var publicKey = PolicyBundles.publicKey(api.get("/api/v1/policy/bundle-key", bearer(edgeA))
                .json()
                .get("publicKey")
                .asString());
        var decider = new EdgePolicyDecider(
                Map.of(PolicyBundles.keyIdOf(publicKey), publicKey),
                "not-" + a,
                null,
                Clock.systemUTC(),
                (s, c, d) -> {});
        byte[] bundle = api.get("/api/v1/policy/bundle", bearer(edgeA))
                .text()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decider.install(bundle))
                .hasMessageContaining("is for tenant " + a);
    }
}
