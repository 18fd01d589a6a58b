package ai.auraison.orchestration.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Bounded queues: queued plus leased work per agent and per tenant, read from PostgreSQL every refresh interval and
 * counted up locally in between, so the check costs no query on the admission path. Over a bound, admission answers
 * 429 with a {@code Retry-After} computed from the agent's measured drain rate (work that left the ready state in the
 * last 30 s). With several replicas a bound can be overshot by what the others admit within one refresh interval.
 *
 * <p>The same refresh also counts each tenant's and each principal's queued (ready) and running (leased) work, which
 * admission hands to the policy hooks for their quota checks (ADR 0058). Admissions on this replica count as queued at
 * once; leases and completions show at the next refresh.
 */
final class Backpressure {

    /** Refused: {@code scope} is {@code agent} or {@code tenant}; retry after {@code retryAfter}. */
    record Refusal(String scope, String key, long depth, int bound, Duration retryAfter) {}

    private static final Duration WINDOW = Duration.ofSeconds(30);
    private static final Duration DRAIN_REFRESH = Duration.ofSeconds(2);

    private final JdbcClient jdbc;
    private final int perAgent;
    private final int perTenant;
    private final OrchestrationMetrics metrics;
    private volatile Map<String, Long> agentDepth = Map.of();
    private volatile Map<String, Long> tenantDepth = Map.of();
    private volatile Map<String, Double> drainPerSecond = Map.of();
    private volatile long drainReadAt;
    private final Map<String, AtomicLong> agentSince = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> tenantSince = new ConcurrentHashMap<>();
    // quota counts: keys "t:<tenant>" and "p:<tenant>/<principal>"
    private volatile Map<String, Long> queued = Map.of();
    private volatile Map<String, Long> running = Map.of();
    private final Map<String, AtomicLong> queuedSince = new ConcurrentHashMap<>();
    // this replica's admissions not yet dropped by a refresh, stamped when their commit returned: a refresh drops
    // exactly those committed before its query began, which the query has counted (no double count, none lost)
    private final java.util.Queue<Admitted> pending = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private record Admitted(String agentId, String tenant, String tenantKey, String principalKey, long committedAt) {}

    /** A tenant's or principal's queued and running work as last seen, plus what this replica admitted since. */
    record Usage(long tenantQueued, long tenantRunning, long principalQueued, long principalRunning) {}

    Backpressure(JdbcClient jdbc, int perAgent, int perTenant, OrchestrationMetrics metrics) {
        this.jdbc = jdbc;
        this.perAgent = perAgent;
        this.perTenant = perTenant;
        this.metrics = metrics;
    }

    /** A refusal when admitting one more item for {@code agentId} of {@code tenant} would exceed a bound. */
    java.util.Optional<Refusal> check(String agentId, String tenant) {
        long agent = agentDepth.getOrDefault(agentId, 0L) + since(agentSince, agentId);
        if (agent >= perAgent) {
            return java.util.Optional.of(
                    new Refusal("agent", agentId, agent, perAgent, retryAfter(agentId, agent - perAgent + 1)));
        }
        long ten = tenantDepth.getOrDefault(tenant, 0L) + since(tenantSince, tenant);
        if (ten >= perTenant) {
            return java.util.Optional.of(
                    new Refusal("tenant", tenant, ten, perTenant, retryAfter(agentId, ten - perTenant + 1)));
        }
        return java.util.Optional.empty();
    }

    /** Counts one admitted item until the next refresh. */
    void admitted(String agentId, String tenant, String principal) {
        agentSince.computeIfAbsent(agentId, k -> new AtomicLong()).incrementAndGet();
        tenantSince.computeIfAbsent(tenant, k -> new AtomicLong()).incrementAndGet();
        Admitted a =
                new Admitted(agentId, tenant, tenantKey(tenant), principalKey(tenant, principal), System.nanoTime());
        queuedSince.computeIfAbsent(a.tenantKey(), k -> new AtomicLong()).incrementAndGet();
        queuedSince.computeIfAbsent(a.principalKey(), k -> new AtomicLong()).incrementAndGet();
        pending.add(a);
    }

    /** The queued and running work of {@code tenant} and of its {@code principal}; no I/O. */
    Usage usage(String tenant, String principal) {
        String t = tenantKey(tenant);
        String p = principalKey(tenant, principal);
        return new Usage(
                queued.getOrDefault(t, 0L) + since(queuedSince, t),
                running.getOrDefault(t, 0L),
                queued.getOrDefault(p, 0L) + since(queuedSince, p),
                running.getOrDefault(p, 0L));
    }

    /** The depth of {@code agentId}'s queue as last seen. */
    long depth(String agentId) {
        return agentDepth.getOrDefault(agentId, 0L) + since(agentSince, agentId);
    }

    /** Re-reads the depths and drain rates. */
    void refresh() {
        long queryStart = System.nanoTime();
        Map<String, Long> agents = new ConcurrentHashMap<>();
        Map<String, Long> tenants = new ConcurrentHashMap<>();
        Map<String, Long> ready = new ConcurrentHashMap<>();
        Map<String, Long> leased = new ConcurrentHashMap<>();
        Map<String, Double> drain = new ConcurrentHashMap<>();
        jdbc.sql("SELECT agent_id, tenant, principal, status, count(*) FROM orchestration.work_items "
                        + "WHERE status IN ('ready', 'leased') GROUP BY agent_id, tenant, principal, status")
                .query((rs, i) -> {
                    String tenant = rs.getString(2);
                    String principal = rs.getString(3);
                    long n = rs.getLong(5);
                    agents.merge(rs.getString(1), n, Long::sum);
                    tenants.merge(tenant, n, Long::sum);
                    Map<String, Long> byStatus = "ready".equals(rs.getString(4)) ? ready : leased;
                    byStatus.merge(tenantKey(tenant), n, Long::sum);
                    if (principal != null) byStatus.merge(principalKey(tenant, principal), n, Long::sum);
                    return null;
                })
                .list();
        // the drain rate moves slowly: re-read it every few seconds, not at every depth refresh
        boolean readDrain = System.nanoTime() - drainReadAt > DRAIN_REFRESH.toNanos();
        if (readDrain) {
            jdbc.sql("SELECT agent_id, count(*) FROM orchestration.work_items WHERE status <> 'ready' "
                            + "AND updated_at > now() - make_interval(secs => ?) GROUP BY agent_id")
                    .param(WINDOW.toSeconds())
                    .query((rs, i) -> drain.put(rs.getString(1), rs.getLong(2) / (double) WINDOW.toSeconds()))
                    .list();
            drainReadAt = System.nanoTime();
        }
        this.agentDepth = agents;
        this.tenantDepth = tenants;
        this.queued = ready;
        this.running = leased;
        // after publishing the new counts: a reader in between sees a brief overcount, never an undercount
        pending.removeIf(a -> {
            if (a.committedAt() - queryStart >= 0) return false;
            agentSince.get(a.agentId()).decrementAndGet();
            tenantSince.get(a.tenant()).decrementAndGet();
            queuedSince.get(a.tenantKey()).decrementAndGet();
            queuedSince.get(a.principalKey()).decrementAndGet();
            return true;
        });
        if (readDrain) this.drainPerSecond = drain;
        metrics.queueDepths(agents);
    }

    /** Seconds until {@code excess} items have drained at the measured rate; 1 s to 5 min, 30 s with no rate yet. */
    Duration retryAfter(String agentId, long excess) {
        double rate = drainPerSecond.getOrDefault(agentId, 0.0);
        if (rate <= 0) return Duration.ofSeconds(30);
        long seconds = (long) Math.ceil(excess / rate);
        return Duration.ofSeconds(Math.max(1, Math.min(300, seconds)));
    }

    private static String tenantKey(String tenant) {
        return "t:" + tenant;
    }

    private static String principalKey(String tenant, String principal) {
        return "p:" + tenant + "/" + principal;
    }

    private static long since(Map<String, AtomicLong> counts, String key) {
        AtomicLong n = counts.get(key);
        return n == null ? 0 : n.get();
    }
}
