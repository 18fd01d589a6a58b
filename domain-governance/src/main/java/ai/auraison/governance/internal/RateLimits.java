package ai.auraison.governance.internal;

import ai.auraison.governance.GovernanceProperties;
import ai.auraison.platform.Caller;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The quotas of tenants and principals, and the request-rate ones enforced: a token bucket per tenant and one per
 * principal, with the rates stored for the tenant (or principal) or else the configured defaults. Buckets live in this
 * replica's memory, so with N replicas behind a balancer a caller gets up to N times its rate (ADR 0054); stored quotas
 * are re-read every 30 s and at once after a change on this replica. The queued-intent and concurrent-run quotas are
 * kept here too and enforced by the governance hook at admission (ADR 0058). Thread-safe.
 */
final class RateLimits {

    /**
     * The quotas in force: requests per second and burst, and the most queued intents and concurrent runs (0 is
     * unlimited).
     */
    record Quota(double perSecond, int burst, int maxQueuedIntents, int maxConcurrentRuns) {}

    /** A stored row; a null field uses the configured default (on input: leaves the stored value as it is). */
    record Stored(Double perSecond, Integer burst, Integer maxQueuedIntents, Integer maxConcurrentRuns) {}

    /** The outcome of taking one request: allowed or not, remaining tokens of the tighter bucket, and the wait. */
    record Outcome(boolean allowed, String scope, Quota quota, long remaining, long retryAfterSeconds) {}

    private static final long RELOAD_NANOS = 30_000_000_000L;

    private final JdbcClient jdbc;
    private final GovernanceProperties.Quotas defaults;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private volatile Map<String, Stored> stored = Map.of();
    private volatile long loadedAt = Long.MIN_VALUE / 2;

    RateLimits(JdbcClient jdbc, GovernanceProperties.Quotas defaults) {
        this.jdbc = jdbc;
        this.defaults = defaults;
    }

    Outcome take(Caller caller) {
        refreshIfDue();
        String tenant = caller.tenant().value();
        Quota tq = quota(tenant, "");
        Quota pq = quota(tenant, caller.principal());
        Bucket tenantBucket = buckets.computeIfAbsent("t:" + tenant, k -> new Bucket());
        Bucket principalBucket = buckets.computeIfAbsent("p:" + tenant + "/" + caller.principal(), k -> new Bucket());
        long now = System.nanoTime();
        // take from the principal first: a principal over its own quota must not drain its tenant's
        long pr = principalBucket.take(pq, now);
        if (pr < 0) return new Outcome(false, "principal", pq, 0, principalBucket.secondsUntilOne(pq, now));
        long tr = tenantBucket.take(tq, now);
        if (tr < 0) {
            principalBucket.giveBack(pq);
            return new Outcome(false, "tenant", tq, 0, tenantBucket.secondsUntilOne(tq, now));
        }
        return pr <= tr ? new Outcome(true, "principal", pq, pr, 0) : new Outcome(true, "tenant", tq, tr, 0);
    }

    /** The quotas in force for a tenant ({@code principal} empty) or one principal; no I/O once loaded. */
    Quota quota(String tenant, String principal) {
        refreshIfDue();
        return effective(principal.isEmpty(), stored.get(tenant + "/" + principal));
    }

    private Quota effective(boolean tenantWide, Stored s) {
        Quota d = tenantWide
                ? new Quota(
                        defaults.tenantRequestsPerSecond(),
                        defaults.tenantBurst(),
                        defaults.tenantMaxQueuedIntents(),
                        defaults.tenantMaxConcurrentRuns())
                : new Quota(
                        defaults.principalRequestsPerSecond(),
                        defaults.principalBurst(),
                        defaults.principalMaxQueuedIntents(),
                        defaults.principalMaxConcurrentRuns());
        if (s == null) return d;
        return new Quota(
                s.perSecond() != null ? s.perSecond() : d.perSecond(),
                s.burst() != null ? s.burst() : d.burst(),
                s.maxQueuedIntents() != null ? s.maxQueuedIntents() : d.maxQueuedIntents(),
                s.maxConcurrentRuns() != null ? s.maxConcurrentRuns() : d.maxConcurrentRuns());
    }

    /**
     * Stores quotas ({@code principal} empty for the tenant's); null fields of {@code changes} keep what is stored.
     * Runs in the caller's transaction and leaves what is in force as it is: the caller {@link #reload}s after the
     * commit, so that this replica applies the change at once and never a change that rolled back.
     */
    void put(String tenant, String principal, Stored changes) {
        jdbc.sql("INSERT INTO governance.quotas (tenant, principal, requests_per_second, burst, max_queued_intents, "
                        + "max_concurrent_runs) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, principal) DO UPDATE SET "
                        + "requests_per_second = COALESCE(EXCLUDED.requests_per_second, quotas.requests_per_second), "
                        + "burst = COALESCE(EXCLUDED.burst, quotas.burst), "
                        + "max_queued_intents = COALESCE(EXCLUDED.max_queued_intents, quotas.max_queued_intents), "
                        + "max_concurrent_runs = COALESCE(EXCLUDED.max_concurrent_runs, quotas.max_concurrent_runs)")
                .params(
                        tenant,
                        principal,
                        changes.perSecond(),
                        changes.burst(),
                        changes.maxQueuedIntents(),
                        changes.maxConcurrentRuns())
                .update();
    }

    /** The quotas in force for each principal of a tenant that has stored ones ({@code ""} for the tenant's own). */
    Map<String, Quota> stored(String tenant) {
        Map<String, Quota> out = new java.util.TreeMap<>();
        stored.forEach((k, v) -> {
            if (k.startsWith(tenant + "/")) {
                String principal = k.substring(tenant.length() + 1);
                out.put(principal, effective(principal.isEmpty(), v));
            }
        });
        return out;
    }

    private void refreshIfDue() {
        if (System.nanoTime() - loadedAt > RELOAD_NANOS) reloadIfDue();
    }

    /** Requests that found the quotas stale at the same moment reload them once, not one after the other. */
    private synchronized void reloadIfDue() {
        if (System.nanoTime() - loadedAt > RELOAD_NANOS) reload();
    }

    synchronized void reload() {
        Map<String, Stored> fresh = new ConcurrentHashMap<>();
        jdbc.sql("SELECT tenant, principal, requests_per_second, burst, max_queued_intents, max_concurrent_runs "
                        + "FROM governance.quotas")
                .query((rs, i) -> fresh.put(
                        rs.getString(1) + "/" + rs.getString(2),
                        new Stored(
                                rs.getObject(3, Double.class),
                                rs.getObject(4, Integer.class),
                                rs.getObject(5, Integer.class),
                                rs.getObject(6, Integer.class))))
                .list();
        stored = fresh;
        loadedAt = System.nanoTime();
    }

    /** A token bucket; tokens refill continuously at the quota's rate up to its burst. */
    static final class Bucket {
        private double tokens = Double.NaN;
        private long last;

        /** Takes one token; returns the whole tokens left, or -1 when none was there. */
        synchronized long take(Quota q, long now) {
            refill(q, now);
            if (tokens < 1) return -1;
            tokens -= 1;
            return (long) tokens;
        }

        synchronized void giveBack(Quota q) {
            tokens = Math.min(q.burst(), tokens + 1);
        }

        synchronized long secondsUntilOne(Quota q, long now) {
            refill(q, now);
            return Math.max(1, (long) Math.ceil((1 - tokens) / q.perSecond()));
        }

        private void refill(Quota q, long now) {
            if (Double.isNaN(tokens)) {
                tokens = q.burst();
                last = now;
                return;
            }
            tokens = Math.min(q.burst(), tokens + (now - last) / 1e9 * q.perSecond());
            last = now;
        }
    }
}
