package ai.auraison.edge.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.auraison.contract.AgentId;
import ai.auraison.contract.PolicyEffect;
import ai.auraison.contract.RunId;
import ai.auraison.contract.TenantId;
import ai.auraison.contract.ToolCall;
import ai.auraison.contract.ToolCallId;
import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.governance.policy.BundleRejectedException;
import ai.auraison.governance.policy.PolicyBundle;
import ai.auraison.governance.policy.PolicyBundles;
import ai.auraison.governance.policy.PolicyDocuments;
import ai.auraison.governance.policy.PolicySet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge's policy: trust on first use, pinning, the kept bundle across restarts, degraded decisions. */
class EdgePolicyTest {

    @TempDir
    Path dir;

    private KeyPair central;
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @BeforeEach
    void keys() throws Exception {
        central = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static String base64(KeyPair k) {
        return Base64.getEncoder().encodeToString(k.getPublic().getEncoded());
    }

    private static String id(KeyPair k) {
        return PolicyBundles.keyIdOf(k.getPublic());
    }

    private static byte[] bundle(String tenant, Instant issuedAt, KeyPair signer) {
        PolicySet set = PolicyDocuments.parse("""
                name: acme
                rules:
                  - {id: no-jam, subjects: [tool_call], effect: deny, when: {tools: [jam]}}
                """);
        PolicySet allow = PolicyDocuments.parse(
                "name: stale\nrules:\n  - {id: look, subjects: [tool_call], effect: allow, when: {tools: [look]}}\n");
        PolicyBundle b = new PolicyBundle(
                tenant,
                PolicyBundles.versionOf(List.of(set), allow, PolicyEffect.ALLOW),
                issuedAt,
                Duration.ofHours(1),
                PolicyEffect.ALLOW,
                List.of(set),
                allow);
        return PolicyBundles.sign(b, signer.getPrivate(), id(signer));
    }

    private static PolicySubject tool(String name) {
        return new PolicySubject.ToolCallSubject(
                new ToolCall(ToolCallId.of("call_1"), RunId.random(), name, Map.of(), null, null, null, null, null),
                "maze-navigation");
    }

    private static DecisionContext ctx() {
        return new DecisionContext(
                TenantId.of("acme"),
                "ops",
                "turtlebot-maze",
                AgentId.of("turtlebot-maze.edge-1"),
                null,
                Instant.now(),
                false,
                Map.of());
    }

    private EdgePolicy policy(String configuredKey) {
        return new EdgePolicy(dir, configuredKey, null, null, Clock.systemUTC(), metrics);
    }

    @Test
    void withoutABundleEveryDecisionIsADegradedDeny() {
        EdgePolicy p = policy(null);
        PolicyDecision d = p.decide(tool("move"), ctx());
        assertThat(d).isInstanceOf(PolicyDecision.Deny.class);
        assertThat(d.rule()).isEqualTo("edge-policy/no-bundle");
        assertThat(p.status()).containsEntry("degraded", true);
        assertThat(metrics.get("auraison.edge.policy.degraded.decisions")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void pinsCentralsKeyAndTenantOnFirstUseAndDecidesFromTheBundle() throws Exception {
        EdgePolicy p = policy(null);
        assertThat(p.hasTrustedKey()).isFalse();
        p.pinKey(id(central), base64(central));
        PolicyBundle b = p.install(bundle("acme", Instant.now(), central));

        assertThat(p.decide(tool("jam"), ctx())).isInstanceOf(PolicyDecision.Deny.class);
        assertThat(p.decide(tool("move"), ctx())).isInstanceOf(PolicyDecision.Allow.class);
        assertThat(p.status()).containsEntry("bundleVersion", b.version()).containsEntry("degraded", false);
        assertThat(Files.readString(dir.resolve("bundle-key.json"))).contains(id(central));
        assertThat(Files.readString(dir.resolve("tenant.json"))).contains("acme");
        assertThat(Files.exists(dir.resolve("bundle.json"))).isTrue();

        // another key served later is not trusted: bundles signed with it are refused, the old bundle stays
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        p.pinKey(id(other), base64(other));
        assertThatThrownBy(() -> p.install(bundle("acme", Instant.now(), other)))
                .isInstanceOf(BundleRejectedException.class)
                .hasMessageContaining("untrusted");
        assertThat(p.bundle()).contains(b);
        // and so is another tenant's bundle, once the tenant is pinned
        assertThatThrownBy(() -> p.install(bundle("globex", Instant.now(), central)))
                .isInstanceOf(BundleRejectedException.class)
                .hasMessageContaining("tenant");
    }

    @Test
    void aRestartedEdgeDecidesDegradedFromItsKeptBundleUntilCentralAnswers() {
        EdgePolicy first = policy(null);
        first.pinKey(id(central), base64(central));
        PolicyBundle b = first.install(bundle("acme", Instant.now(), central));

        EdgePolicy restarted = policy(null);
        assertThat(restarted.hasTrustedKey()).isTrue();
        assertThat(restarted.bundle()).contains(b);
        PolicyDecision allowed = restarted.decide(tool("move"), ctx());
        assertThat(allowed).isInstanceOf(PolicyDecision.Allow.class);
        assertThat(allowed.reason()).startsWith("[degraded]");
        assertThat(restarted.decide(tool("jam"), ctx())).isInstanceOf(PolicyDecision.Deny.class);

        restarted.install(bundle("acme", Instant.now(), central));
        assertThat(restarted.decide(tool("move"), ctx()).reason()).doesNotContain("[degraded]");
        restarted.centralUnreachable();
        assertThat(restarted.decide(tool("move"), ctx()).reason()).startsWith("[degraded]");
    }

    @Test
    void modelCallsAreDecidedBeforeTheCallAndNotAgainWhenTheGatewaySettles() {
        EdgePolicy p = policy(null);
        var call = new PolicySubject.ModelCallSubject(
                TenantId.of("acme"), RunId.random(), "maze-demo", 100, 100, java.math.BigDecimal.ZERO);
        DecisionContext reserve = new DecisionContext(
                TenantId.of("acme"), "ops", null, null, null, Instant.now(), false, Map.of("gateway.phase", "reserve"));
        DecisionContext settle = new DecisionContext(
                TenantId.of("acme"), "ops", null, null, null, Instant.now(), false, Map.of("gateway.phase", "settle"));
        // no bundle yet: the call is refused before it is made; settling afterwards decides (and counts) nothing
        assertThat(p.decide(call, reserve)).isInstanceOf(PolicyDecision.Deny.class);
        assertThat(p.decide(call, settle)).isInstanceOf(PolicyDecision.Allow.class);
        assertThat(metrics.get("auraison.edge.policy.degraded.decisions")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void aConfiguredKeyIsTheOnlyOneTrusted() throws Exception {
        EdgePolicy p = policy(base64(central));
        assertThat(p.hasTrustedKey()).isTrue();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThatThrownBy(() -> p.install(bundle("acme", Instant.now(), other)))
                .isInstanceOf(BundleRejectedException.class);
        assertThat(p.install(bundle("acme", Instant.now(), central)).tenant()).isEqualTo("acme");
        assertThat(Files.exists(dir.resolve("bundle-key.json"))).isFalse();
    }
}
