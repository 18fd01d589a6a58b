package ai.auraison.governance;

import ai.auraison.contract.PolicyEffect;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the governance domain, under {@code auraison.governance}.
 *
 * @param enabled authentication, tenancy, policies, quotas and budgets on every endpoint; {@code false} opens every
 *     endpoint to anyone (only for benchmarks on loopback; a warning is logged)
 * @param bootstrapTenant the tenant created at first start, holding the bootstrap admin (the platform admin)
 * @param bootstrapAdminKey the bootstrap admin's API key (a secret, no default; the central runtime reads it from
 *     {@code AURAISON_BOOTSTRAP_ADMIN_KEY}); absent, a key is generated at first start and printed once
 * @param keyCacheTtl how long a verified key is trusted without asking PostgreSQL again; a revocation reaches other
 *     replicas within this time (at once on the replica that revoked)
 * @param policiesDir a folder of baseline policy sets (YAML or JSON) that apply to every tenant besides the built-in
 *     one; defaults to {@code <data-dir>/policies}
 * @param defaultEffect the effect when no rule of any set matches and no set declares a default
 * @param policyRefresh how often a replica checks for policy activations made on other replicas
 * @param bundle edge policy bundles
 * @param quotas default quotas (per tenant and per principal: request rate, queued intents, concurrent runs), used
 *     where none is stored
 * @param budgets the budget ledger
 * @param audit the audit log writer
 */
@Validated
@ConfigurationProperties("auraison.governance")
public record GovernanceProperties(
        @DefaultValue("true") boolean enabled,

        @NotNull @DefaultValue("default") @Pattern(regexp = "^[a-z0-9][a-z0-9-]{0,62}$")
        String bootstrapTenant,

        String bootstrapAdminKey,
        @NotNull @DefaultValue("5s") Duration keyCacheTtl,
        Path policiesDir,
        @NotNull @DefaultValue("allow") PolicyEffect defaultEffect,
        @NotNull @DefaultValue("1s") Duration policyRefresh,
        @NotNull @DefaultValue Bundle bundle,
        @NotNull @DefaultValue Quotas quotas,
        @NotNull @DefaultValue Budgets budgets,
        @NotNull @DefaultValue Audit audit) {

    /**
     * @param maxAge the age past which an edge decides only by the bundle's stale allow-list
     * @param staleAllowList a policy file (YAML or JSON) whose rules a stale bundle still allows; absent, nothing
     */
    public record Bundle(@NotNull @DefaultValue("1h") Duration maxAge, Path staleAllowList) {}

    /**
     * @param tenantRequestsPerSecond requests per second one tenant may make (all its principals together)
     * @param tenantBurst how many requests a tenant may make at once above its rate
     * @param principalRequestsPerSecond requests per second one principal may make
     * @param principalBurst how many requests a principal may make at once above its rate
     * @param tenantMaxQueuedIntents intents of one tenant waiting for an agent (queued, not yet leased) before
     *     admission answers 429 {@code quota-queued-intents}; 0 is unlimited (the default: orchestration's
     *     {@code max-queued-per-tenant} still bounds every tenant)
     * @param tenantMaxConcurrentRuns runs of one tenant leased to agents and not finished before admission answers 429
     *     {@code quota-concurrent-runs}; 0 is unlimited (the default)
     * @param principalMaxQueuedIntents like {@code tenantMaxQueuedIntents}, for each principal; 0 is unlimited (the
     *     default)
     * @param principalMaxConcurrentRuns like {@code tenantMaxConcurrentRuns}, for each principal; 0 is unlimited (the
     *     default)
     */
    public record Quotas(
            @DefaultValue("500") @Min(1) double tenantRequestsPerSecond,
            @DefaultValue("1000") @Min(1) int tenantBurst,
            @DefaultValue("200") @Min(1) double principalRequestsPerSecond,
            @DefaultValue("400") @Min(1) int principalBurst,
            @DefaultValue("0") @Min(0) int tenantMaxQueuedIntents,
            @DefaultValue("0") @Min(0) int tenantMaxConcurrentRuns,
            @DefaultValue("0") @Min(0) int principalMaxQueuedIntents,
            @DefaultValue("0") @Min(0) int principalMaxConcurrentRuns) {}

    /**
     * @param requireKnownRef an intent whose {@code policyCtx.budgetRef} names no project budget of its tenant is
     *     refused (a typo must not mean "unlimited")
     * @param idleRelease what a pool holds is given back after this long without a reservation or settlement (runs
     *     whose end was never reported, intents refused after admission reserved)
     */
    public record Budgets(
            @DefaultValue("true") boolean requireKnownRef,
            @NotNull @DefaultValue("15m") Duration idleRelease) {}

    /**
     * @param flushInterval how long decision records wait to be written in a batch (administrative changes are
     *     written in their own transaction at once)
     * @param queueCapacity decision records waiting to be written before callers wait for the writer
     */
    public record Audit(
            @NotNull @DefaultValue("200ms") Duration flushInterval,
            @DefaultValue("100000") @Min(100) int queueCapacity) {}
}
