package ai.auraison.orchestration.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Bounded queues: queued plus leased work per agent and per tenant, read from PostgreSQL every refresh interval and
 * counted up locally in between, so the check costs no query on the admission path. Over a bound, admission answers
 * 429 with a {@code Retry-After} computed from the agent's measured drain rate (work that left the ready state in the
 * last 30 s). With several replicas a bound can be overshot by what the others admit within one refresh interval.
 *
 * <p>The same refresh also counts each tenant's and each principal's queued (ready) and running (leased) work, which
 * admission hands to the policy hooks for their quota checks (ADR 0058). Admissions on this replica count as queued
 * from before their quota and bound checks (so concurrent ones see each other) until they are inserted or withdrawn;
 * leases and completions show at the next refresh.
 *
 * <p>The counts are exact on this replica, not just bounded: an admission is registered ({@link #admitting}) before
 * its work item is inserted, under the item's run id. A refresh counts in a repeatable-read transaction, then takes
 * the registered run ids (every insert its snapshot includes was registered before the snapshot, so it is among
 * them) and asks, in the same snapshot, which of them it can see: it drops exactly those, since the counts include
 * them; what it cannot see has not committed and stays counted locally. Readers never see a half-applied refresh:
 * new counts and the drops are published under one write lock, read optimistically.
 */
final class Backpressure {

    /** Refused: {@code scope} is {@code agent} or {@code tenant}; retry after {@code retryAfter}. */
    record Refusal(String scope, String key, long depth, int bound, Duration retryAfter) {}

    /** A tenant's or principal's queued and running work as last seen, plus what this replica admitted since. */
    record Usage(long tenantQueued, long tenantRunning, long principalQueued, long principalRunning) {}

    /** One admission of this replica, counted until a refresh sees its work item or it is withdrawn. */
    record Admission(UUID runId, String agentId, String tenant, String tenantKey, String principalKey) {}

    private record Counts(
            Map<String, Long> agentDepth,
            Map<String, Long> tenantDepth,
            Map<String, Long> queued,
            Map<String, Long> running) {
        static final Counts NONE = new Counts(Map.of(), Map.of(), Map.of(), Map.of());
    }

    private static final Duration WINDOW = Duration.ofSeconds(30);
    private static final Duration DRAIN_REFRESH = Duration.ofSeconds(2);

    private final JdbcClient jdbc;
    private final TransactionTemplate snapshot;
    private final int perAgent;
    private final int perTenant;
    private final OrchestrationMetrics metrics;
    private final StampedLock lock = new StampedLock();
    private volatile Counts counts = Counts.NONE;
    private volatile Map<String, Double> drainPerSecond = Map.of();
    private volatile long drainReadAt;
    // this replica's admissions not yet seen by a refresh, by run id, and their sums per agent, tenant and (quota
    // keys "t:<tenant>", "p:<tenant>/<principal>") per tenant and principal
    private final Map<UUID, Admission> pending = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> agentSince = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> tenantSince = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> queuedSince = new ConcurrentHashMap<>();

    Backpressure(
            JdbcClient jdbc,
            PlatformTransactionManager txm,
            int perAgent,
            int perTenant,
            OrchestrationMetrics metrics) {
        this.jdbc = jdbc;
        this.snapshot = new TransactionTemplate(txm);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
        this.perAgent = perAgent;
        this.perTenant = perTenant;
        this.metrics = metrics;
    }

    /**
     * A refusal when admitting one more item for {@code agentId} of {@code tenant} would exceed a bound; {@code self},
     * when given, is that item, already registered ({@link #admitting}), and left out of the depths.
     */
    Optional<Refusal> check(String agentId, String tenant, Admission self) {
        long mine = self == null ? 0 : 1;
        long[] depths = read(c -> new long[] {
            c.agentDepth().getOrDefault(agentId, 0L) + since(agentSince, agentId) - mine,
            c.tenantDepth().getOrDefault(tenant, 0L) + since(tenantSince, tenant) - mine
        });
        long agent = depths[0];
        if (agent >= perAgent) {
            return Optional.of(
                    new Refusal("agent", agentId, agent, perAgent, retryAfter(agentId, agent - perAgent + 1)));
        }
        long ten = depths[1];
        if (ten >= perTenant) {
            return Optional.of(new Refusal("tenant", tenant, ten, perTenant, retryAfter(agentId, ten - perTenant + 1)));
        }
        return Optional.empty();
    }

    /**
     * Counts the work item of {@code runId} as queued from now on; call before inserting it, and {@link #withdraw} when
     * the insert does not happen.
     */
    Admission admitting(UUID runId, String agentId, String tenant, String principal) {
        Admission a = new Admission(runId, agentId, tenant, tenantKey(tenant), principalKey(tenant, principal));
        agentSince.computeIfAbsent(agentId, k -> new AtomicLong()).incrementAndGet();
        tenantSince.computeIfAbsent(tenant, k -> new AtomicLong()).incrementAndGet();
        queuedSince.computeIfAbsent(a.tenantKey(), k -> new AtomicLong()).incrementAndGet();
        queuedSince.computeIfAbsent(a.principalKey(), k -> new AtomicLong()).incrementAndGet();
        pending.put(runId, a);
        return a;
    }

    /** Stops counting an admission whose work item was not inserted. */
    void withdraw(Admission a) {
        if (pending.remove(a.runId()) != null) uncount(a);
    }

    /**
     * The queued and running work of {@code tenant} and of its {@code principal}, leaving out {@code self} (an
     * admission registered and not yet inserted, or null); no I/O.
     */
    Usage usage(String tenant, String principal, Admission self) {
        String t = tenantKey(tenant);
        String p = principalKey(tenant, principal);
        long mine = self == null ? 0 : 1;
        return read(c -> new Usage(
                c.queued().getOrDefault(t, 0L) + since(queuedSince, t) - mine,
                c.running().getOrDefault(t, 0L),
                c.queued().getOrDefault(p, 0L) + since(queuedSince, p) - mine,
                c.running().getOrDefault(p, 0L)));
    }

    /** The depth of {@code agentId}'s queue as last seen. */
    long depth(String agentId) {
        return read(c -> c.agentDepth().getOrDefault(agentId, 0L) + since(agentSince, agentId));
    }

    /** Re-reads the depths and drain rates. */
    void refresh() {
        Map<String, Long> agents = new HashMap<>();
        Map<String, Long> tenants = new HashMap<>();
        Map<String, Long> ready = new HashMap<>();
        Map<String, Long> leased = new HashMap<>();
        List<UUID> seen = snapshot.execute(status -> {
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
            // taken after the snapshot began: it holds every registered admission the snapshot can see
            UUID[] registered = pending.keySet().toArray(UUID[]::new);
            if (registered.length == 0) return List.<UUID>of();
            return jdbc.sql("SELECT run_id FROM orchestration.work_items WHERE run_id = ANY(?)")
                    .param(registered)
                    .query((rs, i) -> rs.getObject(1, UUID.class))
                    .list();
        });
        // the drain rate moves slowly: re-read it every few seconds, not at every depth refresh
        boolean readDrain = System.nanoTime() - drainReadAt > DRAIN_REFRESH.toNanos();
        Map<String, Double> drain = new HashMap<>();
        if (readDrain) {
            jdbc.sql("SELECT agent_id, count(*) FROM orchestration.work_items WHERE status <> 'ready' "
                            + "AND updated_at > now() - make_interval(secs => ?) GROUP BY agent_id")
                    .param(WINDOW.toSeconds())
                    .query((rs, i) -> drain.put(rs.getString(1), rs.getLong(2) / (double) WINDOW.toSeconds()))
                    .list();
            drainReadAt = System.nanoTime();
        }
        long stamp = lock.writeLock();
        try {
            counts = new Counts(Map.copyOf(agents), Map.copyOf(tenants), Map.copyOf(ready), Map.copyOf(leased));
            for (UUID runId : seen) {
                Admission a = pending.remove(runId);
                if (a != null) uncount(a);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
        if (readDrain) this.drainPerSecond = Map.copyOf(drain);
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

    private void uncount(Admission a) {
        agentSince.get(a.agentId()).decrementAndGet();
        tenantSince.get(a.tenant()).decrementAndGet();
        queuedSince.get(a.tenantKey()).decrementAndGet();
        queuedSince.get(a.principalKey()).decrementAndGet();
    }

    /** {@code f} of the counts and the local sums, never half-way through a refresh. */
    private <T> T read(Function<Counts, T> f) {
        long stamp = lock.tryOptimisticRead();
        T value = f.apply(counts);
        if (lock.validate(stamp)) return value;
        stamp = lock.readLock();
        try {
            return f.apply(counts);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private static long since(Map<String, AtomicLong> counts, String key) {
        AtomicLong n = counts.get(key);
        return n == null ? 0 : n.get();
    }
}
