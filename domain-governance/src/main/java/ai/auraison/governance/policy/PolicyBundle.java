package ai.auraison.governance.policy;

import ai.auraison.contract.PolicyEffect;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The policies an edge decides with, as central published them for one tenant: what {@link PolicyBundles} signs and
 * verifies. Immutable.
 *
 * @param tenant the tenant the bundle is for
 * @param version a content hash of the policies: equal versions hold equal policies
 * @param issuedAt when central signed it; an edge never installs a bundle issued before the one it holds
 * @param maxAge past this age (since {@code issuedAt}) only {@code staleAllowList} still allows anything
 * @param fallback the effect when no rule matches (unless a set declares its own default)
 * @param sets the policy sets in precedence order (the baseline, then the tenant's active set)
 * @param staleAllowList what a stale bundle still allows (its rules' effects are read as allow); may be empty
 */
public record PolicyBundle(
        String tenant,
        String version,
        Instant issuedAt,
        Duration maxAge,
        PolicyEffect fallback,
        List<PolicySet> sets,
        PolicySet staleAllowList) {

    /** The format marker inside every signed payload. */
    public static final String FORMAT = "auraison-policy-bundle/1";

    public PolicyBundle {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(fallback, "fallback");
        sets = List.copyOf(sets);
        staleAllowList =
                staleAllowList == null ? new PolicySet("stale-allow-list", null, null, List.of()) : staleAllowList;
    }

    /** The engine for a fresh bundle. */
    public PolicyEngine engine() {
        return PolicyEngine.of(sets, fallback);
    }

    /** The engine for a stale bundle: only the allow-list's rules allow, everything else is denied. */
    public PolicyEngine staleEngine() {
        List<PolicyRule> allows = staleAllowList.rules().stream()
                .map(r ->
                        new PolicyRule(r.id(), r.description(), r.subjects(), PolicyEffect.ALLOW, r.when(), r.reason()))
                .toList();
        return PolicyEngine.of(
                List.of(new PolicySet("stale-allow-list", null, PolicyEffect.DENY, allows)), PolicyEffect.DENY);
    }
}
