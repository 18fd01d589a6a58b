package ai.auraison.governance.policy;

import static ai.auraison.governance.policy.PolicyFixtures.ctx;
import static ai.auraison.governance.policy.PolicyFixtures.toolCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.auraison.contract.PolicyEffect;
import ai.auraison.contract.spi.PolicyDecision;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EdgePolicyDeciderTest {

    private static final Instant T0 = Instant.parse("2026-03-02T12:00:00Z");

    private KeyPair keys;
    private String keyId;
    private MutableClock clock;
    private final List<EdgePolicyDecider.Decision> audited = new ArrayList<>();
    private EdgePolicyDecider decider;

    static final class MutableClock extends Clock {
        Instant now = T0;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        keyId = PolicyBundles.keyIdOf(keys.getPublic());
        clock = new MutableClock();
        decider = new EdgePolicyDecider(
                Map.of(keyId, keys.getPublic()), "acme", null, clock, (s, c, d) -> audited.add(d));
    }

    private byte[] bundle(String tenant, Instant issuedAt, KeyPair signer) {
        PolicySet set = PolicyDocuments.parse("""
                name: acme
                rules:
                  - {id: approve-recommend, subjects: [tool_call], effect: require_approval, when: {tools: [recommend_response]}}
                  - {id: no-jam, subjects: [tool_call], effect: deny, when: {tools: [jam]}}
                """);
        PolicySet allow = PolicyDocuments.parse(
                "name: stale\nrules:\n  - {id: detect, subjects: [tool_call], effect: allow, when: {tools: [detect_objects]}}\n");
        PolicyBundle b = new PolicyBundle(
                tenant,
                PolicyBundles.versionOf(List.of(set), allow, PolicyEffect.ALLOW),
                issuedAt,
                Duration.ofHours(1),
                PolicyEffect.ALLOW,
                List.of(set),
                allow);
        return PolicyBundles.sign(b, signer.getPrivate(), PolicyBundles.keyIdOf(signer.getPublic()));
    }

    @Test
    void decidesFromAFreshBundleLikeCentralWithoutAuditingDegraded() {
        decider.install(bundle("acme", T0, keys));
        EdgePolicyDecider.Decision d = decider.decideInDetail(toolCall("recommend_response", Map.of()), ctx("acme"));
        assertThat(d.decision()).isInstanceOf(PolicyDecision.RequireApproval.class);
        assertThat(d.degraded()).isFalse();
        assertThat(decider.decide(toolCall("jam", Map.of()), ctx("acme"))).isInstanceOf(PolicyDecision.Deny.class);
        assertThat(audited).isEmpty();
    }

    @Test
    void marksAndAuditsDecisionsWhileCentralIsUnreachableAndDeniesWhatNeedsApproval() {
        decider.install(bundle("acme", T0, keys));
        decider.centralUnreachable();
        EdgePolicyDecider.Decision allow = decider.decideInDetail(toolCall("detect_objects", Map.of()), ctx("acme"));
        assertThat(allow.decision()).isInstanceOf(PolicyDecision.Allow.class);
        assertThat(allow.degraded()).isTrue();
        assertThat(allow.decision().reason()).startsWith("[degraded]");
        EdgePolicyDecider.Decision approval =
                decider.decideInDetail(toolCall("recommend_response", Map.of()), ctx("acme"));
        assertThat(approval.decision()).isInstanceOf(PolicyDecision.Deny.class);
        assertThat(approval.decision().rule()).isEqualTo("acme/approve-recommend");
        assertThat(audited).containsExactly(allow, approval);

        decider.install(bundle("acme", T0.plusSeconds(60), keys));
        assertThat(decider.decideInDetail(toolCall("detect_objects", Map.of()), ctx("acme"))
                        .degraded())
                .isFalse();
    }

    @Test
    void pastItsMaxAgeTheBundleAllowsOnlyItsAllowList() {
        decider.install(bundle("acme", T0, keys));
        clock.now = T0.plus(Duration.ofHours(1)).plusSeconds(1);
        EdgePolicyDecider.Decision listed = decider.decideInDetail(toolCall("detect_objects", Map.of()), ctx("acme"));
        assertThat(listed.decision()).isInstanceOf(PolicyDecision.Allow.class);
        assertThat(listed.stale()).isTrue();
        EdgePolicyDecider.Decision other = decider.decideInDetail(toolCall("track_objects", Map.of()), ctx("acme"));
        assertThat(other.decision()).isInstanceOf(PolicyDecision.Deny.class);
        assertThat(other.decision().rule()).isEqualTo("edge-policy/stale");
        assertThat(audited).hasSize(2);
    }

    @Test
    void theEdgesOwnStricterAgeLimitWins() {
        var strict = new EdgePolicyDecider(
                Map.of(keyId, keys.getPublic()), "acme", Duration.ofMinutes(5), clock, (s, c, d) -> audited.add(d));
        strict.install(bundle("acme", T0, keys));
        clock.now = T0.plus(Duration.ofMinutes(6));
        assertThat(strict.decide(toolCall("track_objects", Map.of()), ctx("acme"))
                        .rule())
                .isEqualTo("edge-policy/stale");
    }

    @Test
    void deniesEverythingBeforeTheFirstBundle() {
        PolicyDecision d = decider.decide(toolCall("detect_objects", Map.of()), ctx("acme"));
        assertThat(d).isInstanceOf(PolicyDecision.Deny.class);
        assertThat(d.rule()).isEqualTo("edge-policy/no-bundle");
        assertThat(audited).hasSize(1);
    }

    @Test
    void refusesBundlesSignedByAnotherKeyTamperedWithForAnotherTenantOrOlder() throws Exception {
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThatThrownBy(() -> decider.install(bundle("acme", T0, other)))
                .isInstanceOf(BundleRejectedException.class)
                .hasMessageContaining("untrusted key");

        String envelope = new String(bundle("acme", T0, keys), StandardCharsets.UTF_8);
        var map = ai.auraison.contract.ContractJson.read(envelope, Map.class);
        String payload = new String(Base64.getDecoder().decode((String) map.get("payload")), StandardCharsets.UTF_8);
        String tampered = payload.replace("\"effect\":\"deny\"", "\"effect\":\"allow\"");
        assertThat(tampered).isNotEqualTo(payload);
        @SuppressWarnings("unchecked")
        Map<String, Object> forged = new java.util.LinkedHashMap<>(map);
        forged.put("payload", Base64.getEncoder().encodeToString(tampered.getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> decider.install(ai.auraison.contract.ContractJson.writeBytes(forged)))
                .isInstanceOf(BundleRejectedException.class)
                .hasMessageContaining("signature does not verify");

        assertThatThrownBy(() -> decider.install(bundle("globex", T0, keys)))
                .isInstanceOf(BundleRejectedException.class)
                .hasMessageContaining("tenant globex");

        decider.install(bundle("acme", T0.plusSeconds(10), keys));
        assertThatThrownBy(() -> decider.install(bundle("acme", T0, keys)))
                .isInstanceOf(BundleRejectedException.class)
                .hasMessageContaining("before the installed one");
        assertThat(decider.bundle().orElseThrow().issuedAt()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void aKeyRoundTripsThroughItsBase64Form() {
        PublicKey again = PolicyBundles.publicKey(
                Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()));
        assertThat(PolicyBundles.keyIdOf(again)).isEqualTo(keyId);
    }
}
