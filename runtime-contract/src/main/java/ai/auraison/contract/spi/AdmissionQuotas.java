package ai.auraison.contract.spi;

import java.util.Map;

/**
 * The quota vocabulary of intent admission. Admission puts the caller's current counts into the
 * {@link DecisionContext#attributes()} of an intent's decision under the {@code *_QUEUED} / {@code *_RUNNING} keys
 * (decimal strings; a key is absent where admission does not count, for example on an edge); a {@link PolicyHook} that
 * finds a count at or over its quota answers {@link #overQuota}. Admission answers such a denial with 429, not 403, and
 * does not record it: the same intent is admitted once the count has fallen.
 *
 * <p>"Queued" counts work items waiting for an agent (ready, not leased); "running" counts leased items that have not
 * finished. Counts are read periodically and counted up locally in between, so they may lag by one refresh interval.
 */
public final class AdmissionQuotas {

    /** The tenant's queued intents (work items ready, not yet leased). */
    public static final String TENANT_QUEUED = "quota.tenant.queued";

    /** The tenant's running intents (work items leased and not finished). */
    public static final String TENANT_RUNNING = "quota.tenant.running";

    /** The principal's queued intents, within its tenant. */
    public static final String PRINCIPAL_QUEUED = "quota.principal.queued";

    /** The principal's running intents, within its tenant. */
    public static final String PRINCIPAL_RUNNING = "quota.principal.running";

    /** Every quota rule starts with this; admission answers a denial by such a rule with 429. */
    public static final String RULE_PREFIX = "quota.";

    /** The rule denying an intent over a queued-intents quota. */
    public static final String QUEUED_INTENTS = "quota.queued-intents";

    /** The rule denying an intent over a concurrent-runs quota. */
    public static final String CONCURRENT_RUNS = "quota.concurrent-runs";

    /** Detail keys of a quota denial: the quota's limit, the count at the decision, and its scope. */
    public static final String LIMIT = "limit";

    public static final String CURRENT = "current";
    public static final String SCOPE = "scope";

    private AdmissionQuotas() {}

    /**
     * A denial by quota {@code rule} ({@link #QUEUED_INTENTS} or {@link #CONCURRENT_RUNS}) for {@code scope}
     * ({@code tenant} or {@code principal}), with the limit and the current count as details.
     */
    public static PolicyDecision.Deny overQuota(String rule, String scope, long limit, long current, String reason) {
        if (!rule.startsWith(RULE_PREFIX)) throw new IllegalArgumentException("not a quota rule: " + rule);
        return new PolicyDecision.Deny(
                reason, rule, Map.of(LIMIT, Long.toString(limit), CURRENT, Long.toString(current), SCOPE, scope));
    }

    /** Whether {@code decision} is a denial by a quota rule. */
    public static boolean isOverQuota(PolicyDecision decision) {
        return decision instanceof PolicyDecision.Deny d && d.rule().startsWith(RULE_PREFIX);
    }

    /** The count under {@code key} in {@code context}, or -1 when admission did not count it. */
    public static long count(DecisionContext context, String key) {
        String v = context.attributes().get(key);
        return v == null ? -1 : Long.parseLong(v);
    }
}
