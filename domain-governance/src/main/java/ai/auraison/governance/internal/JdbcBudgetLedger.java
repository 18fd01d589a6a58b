package ai.auraison.governance.internal;

import ai.auraison.contract.Intent;
import ai.auraison.contract.RunId;
import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.governance.BudgetLedger;
import ai.auraison.governance.ModelCallCost;
import ai.auraison.platform.ProblemException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The budget ledger on PostgreSQL. Budgets (per tenant, project or agent, in tokens and/or dollars, per day, month or
 * in total) have one balance row per period: {@code reserved} and {@code spent}. A <i>pool</i> (an intent's runs, a run
 * started at the edge, or a tenant's ad-hoc model calls of one day) holds reservations on the budgets that apply to
 * it.
 *
 * <ul>
 *   <li>Admission reserves the budgets' run estimates for the intent's pool (once per intent, however often it is
 *       submitted); model calls first draw on that, then reserve their own estimate beyond it.
 *   <li>Every reservation is one conditional {@code UPDATE} of the balance row ({@code spent + reserved + amount <=
 *       limit}), which PostgreSQL re-checks after waiting for the row lock: the limit holds under any concurrency and
 *       across replicas. Pool rows are locked before balance rows, in budget id order, so transactions never deadlock.
 *   <li>A settlement charges the actual cost to {@code spent} and releases up to as much of what the pool holds; the
 *       end of a run, or {@code idle-release} without activity, releases the rest.
 *   <li>Every change is an immutable ledger entry.
 * </ul>
 */
final class JdbcBudgetLedger implements BudgetLedger {

    /** A refusal: the budget that refused and why. The decision's rule is {@code budget.<name>}. */
    record Refusal(String budget, String reason) {
        String rule() {
            return "budget." + budget;
        }
    }

    record Budget(
            UUID id,
            String tenant,
            String name,
            String scope,
            String scopeKey,
            String period,
            Long limitTokens,
            BigDecimal limitUsd,
            long runEstimateTokens,
            BigDecimal runEstimateUsd) {}

    record BudgetView(
            String name,
            String scope,
            String scopeKey,
            String period,
            Long limitTokens,
            BigDecimal limitUsd,
            long runEstimateTokens,
            BigDecimal runEstimateUsd,
            LocalDate periodStart,
            long reservedTokens,
            BigDecimal reservedUsd,
            long spentTokens,
            BigDecimal spentUsd) {}

    record Entry(
            long entryId,
            LocalDate periodStart,
            String pool,
            String kind,
            long tokens,
            BigDecimal usd,
            long releasedTokens,
            BigDecimal releasedUsd,
            String ref,
            Instant at) {}

    record Usage(
            String tenant,
            LocalDate day,
            String model,
            long tokensIn,
            long tokensOut,
            BigDecimal costUsd,
            long calls) {}

    /** Tokens and dollars together. */
    record Amount(long tokens, BigDecimal usd) {
        static final Amount ZERO = new Amount(0, BigDecimal.ZERO);

        Amount {
            usd = usd.setScale(6, RoundingMode.UP);
        }

        boolean isZero() {
            return tokens == 0 && usd.signum() == 0;
        }

        Amount min(Amount o) {
            return new Amount(Math.min(tokens, o.tokens), usd.min(o.usd));
        }

        Amount minus(Amount o) {
            return new Amount(tokens - o.tokens, usd.subtract(o.usd));
        }
    }

    static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,62}$");

    private static final Logger log = LoggerFactory.getLogger(JdbcBudgetLedger.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final boolean requireKnownRef;
    private final GovernanceMetrics metrics;

    JdbcBudgetLedger(
            JdbcClient jdbc, TransactionTemplate tx, Clock clock, boolean requireKnownRef, GovernanceMetrics metrics) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.requireKnownRef = requireKnownRef;
        this.metrics = metrics;
    }

    // ---- reservations -------------------------------------------------------------------------------------------

    /** Reserves the run estimates of the budgets that apply to an intent; idempotent per intent. */
    Optional<Refusal> reserveForIntent(Intent intent, RunId runId, String agent) {
        String tenant = intent.policyCtx().tenant().value();
        String budgetRef = intent.policyCtx().budgetRef();
        List<Budget> budgets = applicable(tenant, budgetRef, agent);
        if (budgetRef != null
                && requireKnownRef
                && budgets.stream().noneMatch(b -> b.scope().equals("project"))) {
            metrics.reservation("refused");
            return Optional.of(new Refusal(
                    budgetRef, "policyCtx.budgetRef names no budget of tenant " + tenant + ": " + budgetRef));
        }
        if (budgets.isEmpty()) {
            // nothing to reserve, nothing to write: admission without budgets costs no database work here
            metrics.reservation("unbudgeted");
            return Optional.empty();
        }
        String pool = "intent:" + intent.intentId().value();
        // each budget's period, from one reading of the clock: the pool row, its ledger entry and the balance
        // reservation must name the same period, also when this runs across midnight (UTC) or the start of a month
        Instant now = clock.instant();
        Map<UUID, LocalDate> periods = new HashMap<>();
        for (Budget b : budgets) periods.put(b.id(), periodStart(b.period(), now));
        Optional<Refusal> refusal = tx.execute(status -> {
            // Durable without waiting for its own WAL flush: the admission that follows commits synchronously, and
            // flushing its commit record flushes this earlier one too; if the server crashes before that, the intent
            // was not admitted either (ADR 0053).
            jdbc.sql("SET LOCAL synchronous_commit TO off").update();
            jdbc.sql("INSERT INTO governance.runs (run_id, tenant, principal, budget_ref, agent_id, pool_key) "
                            + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING")
                    .params(runId.value(), tenant, intent.policyCtx().principal(), budgetRef, agent, pool)
                    .update();
            // Claim the pool and record what it will hold in one statement per budget, and write the ledger entries,
            // before touching the (shared, contended) balance rows: their row locks are then held only for the last
            // statements of the transaction. A refusal rolls all of it back.
            int claimed = 0;
            for (Budget b : budgets) {
                Amount estimate = new Amount(b.runEstimateTokens(), b.runEstimateUsd());
                claimed += jdbc.sql(
                                "INSERT INTO governance.budget_pools (pool_key, budget_id, period_start, held_tokens, "
                                        + "held_usd, unclaimed_tokens, unclaimed_usd) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                        .params(
                                pool,
                                b.id(),
                                Date.valueOf(periods.get(b.id())),
                                estimate.tokens(),
                                estimate.usd(),
                                estimate.tokens(),
                                estimate.usd())
                        .update();
            }
            if (claimed == 0) {
                metrics.reservation("replayed");
                return Optional.<Refusal>empty();
            }
            if (claimed != budgets.size()) {
                // a budget created since the pool was claimed: leave this (replayed) intent's pool as it was
                status.setRollbackOnly();
                metrics.reservation("replayed");
                return Optional.<Refusal>empty();
            }
            for (Budget b : budgets) {
                entry(
                        b.id(),
                        periods.get(b.id()),
                        pool,
                        "reserve",
                        new Amount(b.runEstimateTokens(), b.runEstimateUsd()),
                        Amount.ZERO,
                        "intent:" + intent.intentId().value());
            }
            for (Budget b : budgets) {
                Amount estimate = new Amount(b.runEstimateTokens(), b.runEstimateUsd());
                LocalDate period = periods.get(b.id());
                if (!reserve(b, period, estimate)) {
                    status.setRollbackOnly();
                    metrics.reservation("refused");
                    return Optional.of(refusal(b, period, estimate, "the run estimate"));
                }
            }
            metrics.reservation("reserved");
            return Optional.<Refusal>empty();
        });
        return refusal;
    }

    /**
     * Reserves a model call's estimate for its run's pool (or the tenant's ad-hoc pool of the day), drawing first on
     * what the run's admission reserved and not yet used.
     */
    Optional<Refusal> reserveForModelCall(PolicySubject.ModelCallSubject call, DecisionContext ctx) {
        String tenant =
                call.tenant() != null ? call.tenant().value() : ctx.tenant().value();
        String agent = ctx.agent() == null ? null : ctx.agent().value();
        String budgetRef = null;
        String pool;
        if (budgets(tenant).isEmpty()) {
            // a tenant without budgets has nothing to reserve: no database work on its model calls' path (ADR 0053)
            metrics.reservation("unbudgeted");
            return Optional.empty();
        }
        if (call.runId() != null) {
            jdbc.sql(
                            "INSERT INTO governance.runs (run_id, tenant, principal, agent_id, pool_key) VALUES (?, ?, ?, ?, ?) "
                                    + "ON CONFLICT (run_id) DO NOTHING")
                    .params(call.runId().value(), tenant, ctx.principal(), agent, "run:" + call.runId())
                    .update();
            record Run(String tenant, String pool, String budgetRef, String agent) {}
            Run run = jdbc.sql("SELECT tenant, pool_key, budget_ref, agent_id FROM governance.runs WHERE run_id = ?")
                    .param(call.runId().value())
                    .query((rs, i) -> new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                    .single();
            if (!run.tenant().equals(tenant)) {
                return Optional.of(new Refusal("tenant", "run " + call.runId() + " belongs to another tenant"));
            }
            pool = run.pool();
            budgetRef = run.budgetRef();
            if (run.agent() != null) agent = run.agent();
        } else {
            pool = adHocPool(tenant, clock.instant());
        }
        List<Budget> budgets = applicable(tenant, budgetRef, agent);
        if (budgets.isEmpty()) {
            metrics.reservation("unbudgeted");
            return Optional.empty();
        }
        Amount estimate = new Amount(
                Math.addExact(call.estimatedTokensIn(), call.estimatedTokensOut()),
                call.estimatedCostUsd() == null ? BigDecimal.ZERO : call.estimatedCostUsd());
        String finalPool = pool;
        String callId = ctx.attributes().get(ai.auraison.contract.spi.ModelCallPhases.CALL_ID);
        String callPool = callId == null ? null : "call:" + callId;
        Optional<Refusal> refusal = tx.execute(status -> {
            if (callPool != null
                    && jdbc.sql("SELECT EXISTS (SELECT 1 FROM governance.budget_pools WHERE pool_key = ?)")
                            .param(callPool)
                            .query(Boolean.class)
                            .single()) {
                metrics.reservation("replayed");
                return Optional.<Refusal>empty();
            }
            for (Budget b : budgets) {
                jdbc.sql("INSERT INTO governance.budget_pools (pool_key, budget_id, period_start) VALUES (?, ?, ?) "
                                + "ON CONFLICT DO NOTHING")
                        .params(finalPool, b.id(), Date.valueOf(periodStart(b.period())))
                        .update();
            }
            for (Budget b : budgets) {
                record Held(LocalDate period, Amount unclaimed) {}
                Held held = jdbc.sql(
                                "SELECT period_start, unclaimed_tokens, unclaimed_usd FROM governance.budget_pools "
                                        + "WHERE pool_key = ? AND budget_id = ? FOR UPDATE")
                        .params(finalPool, b.id())
                        .query((rs, i) ->
                                new Held(rs.getDate(1).toLocalDate(), new Amount(rs.getLong(2), rs.getBigDecimal(3))))
                        .single();
                Amount drawn = estimate.min(held.unclaimed());
                Amount extra = estimate.minus(drawn);
                if (!extra.isZero() && !reserve(b, held.period(), extra)) {
                    status.setRollbackOnly();
                    metrics.reservation("refused");
                    return Optional.of(refusal(b, held.period(), estimate, "the model call's estimate"));
                }
                if (callPool == null) {
                    jdbc.sql(
                                    "UPDATE governance.budget_pools SET held_tokens = held_tokens + ?, held_usd = held_usd + ?, "
                                            + "unclaimed_tokens = unclaimed_tokens - ?, unclaimed_usd = unclaimed_usd - ?, "
                                            + "last_activity = now() WHERE pool_key = ? AND budget_id = ?")
                            .params(extra.tokens(), extra.usd(), drawn.tokens(), drawn.usd(), finalPool, b.id())
                            .update();
                    entry(b.id(), held.period(), finalPool, "reserve", extra, Amount.ZERO, "model:" + call.model());
                } else {
                    // a call the gateway will settle by its id: what it drew from the run moves to the call's own pool,
                    // so that its settlement releases exactly what was held for it
                    jdbc.sql(
                                    "UPDATE governance.budget_pools SET held_tokens = held_tokens - ?, held_usd = held_usd - ?, "
                                            + "unclaimed_tokens = unclaimed_tokens - ?, unclaimed_usd = unclaimed_usd - ?, "
                                            + "last_activity = now() WHERE pool_key = ? AND budget_id = ?")
                            .params(drawn.tokens(), drawn.usd(), drawn.tokens(), drawn.usd(), finalPool, b.id())
                            .update();
                    Amount callHeld = new Amount(
                            drawn.tokens() + extra.tokens(), drawn.usd().add(extra.usd()));
                    jdbc.sql(
                                    "INSERT INTO governance.budget_pools (pool_key, budget_id, period_start, held_tokens, held_usd) "
                                            + "VALUES (?, ?, ?, ?, ?)")
                            .params(callPool, b.id(), Date.valueOf(held.period()), callHeld.tokens(), callHeld.usd())
                            .update();
                    entry(b.id(), held.period(), callPool, "reserve", extra, Amount.ZERO, "model:" + call.model());
                }
            }
            metrics.reservation("reserved");
            return Optional.<Refusal>empty();
        });
        return refusal;
    }

    /** One conditional reservation on a balance row; false when it would pass the limit (or the budget is spent). */
    private boolean reserve(Budget b, LocalDate period, Amount amount) {
        for (int attempt = 0; ; attempt++) {
            int updated = jdbc.sql("UPDATE governance.budget_balances bb SET reserved_tokens = bb.reserved_tokens + ?, "
                            + "reserved_usd = bb.reserved_usd + ? FROM governance.budgets b "
                            + "WHERE b.budget_id = bb.budget_id AND bb.budget_id = ? AND bb.period_start = ? "
                            + "AND (b.limit_tokens IS NULL OR bb.spent_tokens + bb.reserved_tokens + ? <= b.limit_tokens) "
                            + "AND (b.limit_usd IS NULL OR bb.spent_usd + bb.reserved_usd + ? <= b.limit_usd) "
                            + "AND (? OR ((b.limit_tokens IS NULL OR bb.spent_tokens + bb.reserved_tokens < b.limit_tokens) "
                            + "AND (b.limit_usd IS NULL OR bb.spent_usd + bb.reserved_usd < b.limit_usd)))")
                    .params(
                            amount.tokens(),
                            amount.usd(),
                            b.id(),
                            Date.valueOf(period),
                            amount.tokens(),
                            amount.usd(),
                            !amount.isZero())
                    .update();
            if (updated == 1) return true;
            // refused, or the period's balance row does not exist yet: create it (once) and try again
            int created = jdbc.sql("INSERT INTO governance.budget_balances (budget_id, period_start) VALUES (?, ?) "
                            + "ON CONFLICT DO NOTHING")
                    .params(b.id(), Date.valueOf(period))
                    .update();
            if (created == 0 || attempt > 0) return false;
        }
    }

    private Refusal refusal(Budget b, LocalDate period, Amount wanted, String what) {
        BudgetView v = view(b, period);
        String remaining = (b.limitUsd() == null
                        ? ""
                        : "$"
                                + b.limitUsd()
                                        .subtract(v.spentUsd())
                                        .subtract(v.reservedUsd())
                                        .max(BigDecimal.ZERO)
                                        .stripTrailingZeros()
                                        .toPlainString()
                                + " ")
                + (b.limitTokens() == null
                        ? ""
                        : Math.max(0, b.limitTokens() - v.spentTokens() - v.reservedTokens()) + " tokens ");
        return new Refusal(
                b.name(),
                "budget " + b.name() + " (" + b.scope() + " " + b.scopeKey() + ", " + b.period() + " from " + period
                        + ") has " + remaining.trim() + " left; " + what + " needs $"
                        + wanted.usd().stripTrailingZeros().toPlainString() + " / " + wanted.tokens() + " tokens");
    }

    // ---- settlement and release ---------------------------------------------------------------------------------

    @Override
    public boolean settle(ModelCallCost cost) {
        return settle(cost, null);
    }

    /**
     * Settles a call the gateway reserved by its call id: charges the actual cost and releases everything the call's
     * pool held (the call is over). Falls back to the run's pool when the call reserved nothing (no budget applied).
     */
    boolean settleCall(ModelCallCost cost, String callId) {
        return settle(cost, "call:" + callId);
    }

    private boolean settle(ModelCallCost cost, String callPool) {
        Boolean done = tx.execute(status -> {
            String tenant;
            String pool;
            if (cost.runId() != null) {
                record Run(String tenant, String pool) {}
                Optional<Run> run = jdbc.sql("SELECT tenant, pool_key FROM governance.runs WHERE run_id = ?")
                        .param(cost.runId().value())
                        .query((rs, i) -> new Run(rs.getString(1), rs.getString(2)))
                        .optional();
                if (run.isEmpty() && cost.tenant() == null) {
                    log.debug(
                            "settlement {} for run {} unknown to governance: nothing charged",
                            cost.ref(),
                            cost.runId());
                    return false;
                }
                if (run.isPresent()
                        && cost.tenant() != null
                        && !run.get().tenant().equals(cost.tenant().value())) {
                    // a call of one tenant naming another tenant's run: charged to the caller's tenant, not to the
                    // run's pool (the reservation refuses this for budgeted tenants; an unbudgeted one reserves
                    // nothing, so the settlement checks it too)
                    log.warn(
                            "settlement {} of tenant {} names run {} of another tenant: charged to {} only",
                            cost.ref(),
                            cost.tenant(),
                            cost.runId(),
                            cost.tenant());
                    run = Optional.empty();
                }
                tenant = run.map(Run::tenant).orElseGet(() -> cost.tenant().value());
                pool = run.map(Run::pool).orElse(null);
            } else {
                tenant = cost.tenant().value();
                pool = adHocPool(tenant, cost.at());
            }
            int fresh = jdbc.sql(
                            "INSERT INTO governance.settlements (ref, tenant) VALUES (?, ?) ON CONFLICT DO NOTHING")
                    .params(cost.ref(), tenant)
                    .update();
            if (fresh == 0) return false;
            jdbc.sql("INSERT INTO governance.usage_daily (tenant, model, day, tokens_in, tokens_out, cost_usd, calls) "
                            + "VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (tenant, day, model) DO UPDATE SET "
                            + "tokens_in = usage_daily.tokens_in + EXCLUDED.tokens_in, "
                            + "tokens_out = usage_daily.tokens_out + EXCLUDED.tokens_out, "
                            + "cost_usd = usage_daily.cost_usd + EXCLUDED.cost_usd, calls = usage_daily.calls + 1")
                    .params(
                            tenant,
                            cost.model(),
                            Date.valueOf(LocalDate.ofInstant(cost.at(), ZoneOffset.UTC)),
                            cost.tokensIn(),
                            cost.tokensOut(),
                            cost.costUsd())
                    .update();
            List<PoolRow> callRows = callPool == null ? List.of() : lockPool(callPool);
            boolean closing = !callRows.isEmpty();
            if (closing) pool = callPool;
            if (pool == null) return true;
            Amount actual = new Amount(Math.addExact(cost.tokensIn(), cost.tokensOut()), cost.costUsd());
            for (PoolRow row : closing ? callRows : lockPool(pool)) {
                // a call's own pool gives back everything it held; a shared pool gives back what was spent
                Amount take = closing ? row.held() : actual.min(row.held());
                Amount left = row.held().minus(take);
                jdbc.sql("UPDATE governance.budget_pools SET held_tokens = ?, held_usd = ?, "
                                + "unclaimed_tokens = LEAST(unclaimed_tokens, ?), unclaimed_usd = LEAST(unclaimed_usd, ?), "
                                + "last_activity = now() WHERE pool_key = ? AND budget_id = ?")
                        .params(left.tokens(), left.usd(), left.tokens(), left.usd(), pool, row.budget())
                        .update();
                jdbc.sql("UPDATE governance.budget_balances SET reserved_tokens = reserved_tokens - ?, "
                                + "reserved_usd = reserved_usd - ?, spent_tokens = spent_tokens + ?, spent_usd = spent_usd + ? "
                                + "WHERE budget_id = ? AND period_start = ?")
                        .params(
                                take.tokens(),
                                take.usd(),
                                actual.tokens(),
                                actual.usd(),
                                row.budget(),
                                Date.valueOf(row.period()))
                        .update();
                entry(row.budget(), row.period(), pool, "settle", actual, take, cost.ref());
            }
            return true;
        });
        metrics.settlement(Boolean.TRUE.equals(done) ? "settled" : "ignored");
        return Boolean.TRUE.equals(done);
    }

    @Override
    public void release(RunId runId) {
        jdbc.sql("SELECT pool_key FROM governance.runs WHERE run_id = ?")
                .param(runId.value())
                .query(String.class)
                .optional()
                .ifPresent(pool -> releasePool(pool, "run:" + runId, null));
    }

    /** Releases everything a pool holds (only if idle since {@code idleBefore}, when given). */
    void releasePool(String pool, String ref, Instant idleBefore) {
        tx.executeWithoutResult(status -> {
            for (PoolRow row : lockPool(pool)) {
                if (row.held().isZero()) continue;
                if (idleBefore != null && row.lastActivity().isAfter(idleBefore)) continue;
                jdbc.sql("UPDATE governance.budget_pools SET held_tokens = 0, held_usd = 0, unclaimed_tokens = 0, "
                                + "unclaimed_usd = 0 WHERE pool_key = ? AND budget_id = ?")
                        .params(pool, row.budget())
                        .update();
                jdbc.sql("UPDATE governance.budget_balances SET reserved_tokens = reserved_tokens - ?, "
                                + "reserved_usd = reserved_usd - ? WHERE budget_id = ? AND period_start = ?")
                        .params(row.held().tokens(), row.held().usd(), row.budget(), Date.valueOf(row.period()))
                        .update();
                entry(row.budget(), row.period(), pool, "release", Amount.ZERO, row.held(), ref);
            }
        });
    }

    /** Releases the pools idle for longer than {@code idle}; returns how many pools it looked at. */
    int releaseIdle(Duration idle) {
        Instant before = clock.instant().minus(idle);
        List<String> pools = jdbc.sql("SELECT DISTINCT pool_key FROM governance.budget_pools "
                        + "WHERE (held_usd > 0 OR held_tokens > 0) AND last_activity < ? LIMIT 1000")
                .param(java.sql.Timestamp.from(before))
                .query(String.class)
                .list();
        for (String pool : pools) {
            // one pool that fails must not keep the others from being released
            try {
                releasePool(pool, "idle", before);
            } catch (RuntimeException e) {
                log.warn("idle release: could not release pool {}, trying again next time: {}", pool, e.toString());
            }
        }
        return pools.size();
    }

    /** Releases what an intent's pool holds (its approval was denied, or it was refused after reserving). */
    void releaseIntent(String intentId) {
        releasePool("intent:" + intentId, "intent:" + intentId, null);
    }

    private record PoolRow(UUID budget, LocalDate period, Amount held, Instant lastActivity) {}

    private List<PoolRow> lockPool(String pool) {
        return jdbc.sql(
                        "SELECT budget_id, period_start, held_tokens, held_usd, last_activity FROM governance.budget_pools "
                                + "WHERE pool_key = ? ORDER BY budget_id FOR UPDATE")
                .param(pool)
                .query((rs, i) -> new PoolRow(
                        rs.getObject(1, UUID.class),
                        rs.getDate(2).toLocalDate(),
                        new Amount(rs.getLong(3), rs.getBigDecimal(4)),
                        rs.getTimestamp(5).toInstant()))
                .list();
    }

    private void entry(
            UUID budget, LocalDate period, String pool, String kind, Amount amount, Amount released, String ref) {
        jdbc.sql("INSERT INTO governance.ledger_entries (budget_id, period_start, pool_key, kind, tokens, usd, "
                        + "released_tokens, released_usd, ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        budget,
                        Date.valueOf(period),
                        pool,
                        kind,
                        amount.tokens(),
                        amount.usd(),
                        released.tokens(),
                        released.usd(),
                        ref)
                .update();
    }

    private static String adHocPool(String tenant, Instant at) {
        return "adhoc:" + tenant + ":" + LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    // ---- budgets --------------------------------------------------------------------------------------------------

    private record Cached(long loadedAt, List<Budget> budgets) {}

    private static final long BUDGET_CACHE_NANOS = 1_000_000_000L;

    /** Each tenant's budgets, re-read after a second (at once after a change on this replica). */
    private final java.util.Map<String, Cached> budgetCache = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The budgets of a tenant that apply to a run: the tenant's, its project's and its agent's, in id order. Read from
     * a per-tenant cache at most a second old, so a budget created on another replica applies within a second.
     */
    List<Budget> applicable(String tenant, String budgetRef, String agent) {
        List<Budget> out = new ArrayList<>();
        for (Budget b : budgets(tenant)) {
            if (b.scope().equals("tenant")
                    || (b.scope().equals("project") && b.scopeKey().equals(budgetRef))
                    || (b.scope().equals("agent") && b.scopeKey().equals(agent))) {
                out.add(b);
            }
        }
        return out;
    }

    /** All budgets of {@code tenant}, in id order, from the per-tenant cache (at most a second old). */
    private List<Budget> budgets(String tenant) {
        Cached c = budgetCache.get(tenant);
        if (c == null || System.nanoTime() - c.loadedAt() > BUDGET_CACHE_NANOS) {
            List<Budget> all = new ArrayList<>(jdbc.sql(SELECT_BUDGET + " WHERE tenant = ?")
                    .param(tenant)
                    .query(JdbcBudgetLedger::mapBudget)
                    .list());
            all.sort(Comparator.comparing(Budget::id));
            c = new Cached(System.nanoTime(), List.copyOf(all));
            budgetCache.put(tenant, c);
        }
        return c.budgets();
    }

    Budget create(
            String tenant,
            String name,
            String scope,
            String scopeKey,
            String period,
            Long limitTokens,
            BigDecimal limitUsd,
            Long runEstimateTokens,
            BigDecimal runEstimateUsd) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ProblemException.unprocessable("invalid-budget", "name must match " + NAME.pattern())
                    .with("field", "name");
        }
        if (!List.of("tenant", "project", "agent").contains(String.valueOf(scope))) {
            throw ProblemException.unprocessable("invalid-budget", "scope is tenant, project or agent")
                    .with("field", "scope");
        }
        if (!List.of("day", "month", "total").contains(String.valueOf(period))) {
            throw ProblemException.unprocessable("invalid-budget", "period is day, month or total")
                    .with("field", "period");
        }
        String key = scope.equals("tenant") ? tenant : scopeKey;
        if (key == null || key.isBlank()) {
            throw ProblemException.unprocessable(
                            "invalid-budget", "a " + scope + " budget names its " + scope + " in scopeKey")
                    .with("field", "scopeKey");
        }
        checkLimits(limitTokens, limitUsd, runEstimateTokens, runEstimateUsd);
        int n = jdbc.sql(
                        "INSERT INTO governance.budgets (budget_id, tenant, name, scope, scope_key, period, limit_tokens, "
                                + "limit_usd, run_estimate_tokens, run_estimate_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                + "ON CONFLICT (tenant, name) DO NOTHING")
                .params(
                        UUID.randomUUID(),
                        tenant,
                        name,
                        scope,
                        key,
                        period,
                        limitTokens,
                        limitUsd,
                        runEstimateTokens == null ? 0 : runEstimateTokens,
                        runEstimateUsd == null ? BigDecimal.ZERO : runEstimateUsd)
                .update();
        if (n == 0)
            throw ProblemException.conflict("budget-exists", "budget " + name + " already exists")
                    .with("field", "name");
        budgetCache.remove(tenant);
        return budget(tenant, name);
    }

    Budget update(
            String tenant,
            String name,
            Long limitTokens,
            BigDecimal limitUsd,
            Long runEstimateTokens,
            BigDecimal runEstimateUsd) {
        Budget b = budget(tenant, name);
        Long tokens = limitTokens != null ? limitTokens : b.limitTokens();
        BigDecimal usd = limitUsd != null ? limitUsd : b.limitUsd();
        checkLimits(tokens, usd, runEstimateTokens, runEstimateUsd);
        jdbc.sql(
                        "UPDATE governance.budgets SET limit_tokens = ?, limit_usd = ?, run_estimate_tokens = ?, run_estimate_usd = ? "
                                + "WHERE budget_id = ?")
                .params(
                        tokens,
                        usd,
                        runEstimateTokens != null ? runEstimateTokens : b.runEstimateTokens(),
                        runEstimateUsd != null ? runEstimateUsd : b.runEstimateUsd(),
                        b.id())
                .update();
        budgetCache.remove(tenant);
        return budget(tenant, name);
    }

    private static void checkLimits(Long limitTokens, BigDecimal limitUsd, Long estTokens, BigDecimal estUsd) {
        if (limitTokens == null && limitUsd == null) {
            throw ProblemException.unprocessable("invalid-budget", "a budget needs limitTokens and/or limitUsd")
                    .with("field", "limitUsd");
        }
        if ((limitTokens != null && limitTokens < 0) || (limitUsd != null && limitUsd.signum() < 0)) {
            throw ProblemException.unprocessable("invalid-budget", "limits must not be negative")
                    .with("field", "limitUsd");
        }
        if ((estTokens != null && estTokens < 0) || (estUsd != null && estUsd.signum() < 0)) {
            throw ProblemException.unprocessable("invalid-budget", "run estimates must not be negative")
                    .with("field", "runEstimateUsd");
        }
    }

    Budget budget(String tenant, String name) {
        return jdbc.sql(SELECT_BUDGET + " WHERE tenant = ? AND name = ?")
                .params(tenant, name)
                .query(JdbcBudgetLedger::mapBudget)
                .optional()
                .orElseThrow(() -> ProblemException.notFound("budget", name));
    }

    List<BudgetView> views(String tenant) {
        return jdbc
                .sql(SELECT_BUDGET + " WHERE tenant = ? ORDER BY name")
                .param(tenant)
                .query(JdbcBudgetLedger::mapBudget)
                .list()
                .stream()
                .map(b -> view(b, periodStart(b.period())))
                .toList();
    }

    BudgetView view(String tenant, String name) {
        Budget b = budget(tenant, name);
        return view(b, periodStart(b.period()));
    }

    private BudgetView view(Budget b, LocalDate period) {
        record Bal(long rt, BigDecimal ru, long st, BigDecimal su) {}
        Bal bal = jdbc.sql(
                        "SELECT reserved_tokens, reserved_usd, spent_tokens, spent_usd FROM governance.budget_balances "
                                + "WHERE budget_id = ? AND period_start = ?")
                .params(b.id(), Date.valueOf(period))
                .query((rs, i) -> new Bal(rs.getLong(1), rs.getBigDecimal(2), rs.getLong(3), rs.getBigDecimal(4)))
                .optional()
                .orElse(new Bal(0, BigDecimal.ZERO, 0, BigDecimal.ZERO));
        return new BudgetView(
                b.name(),
                b.scope(),
                b.scopeKey(),
                b.period(),
                b.limitTokens(),
                b.limitUsd(),
                b.runEstimateTokens(),
                b.runEstimateUsd(),
                period,
                bal.rt(),
                bal.ru(),
                bal.st(),
                bal.su());
    }

    List<Entry> ledger(String tenant, String name, Long beforeEntry, int limit) {
        Budget b = budget(tenant, name);
        return jdbc.sql(
                        "SELECT entry_id, period_start, pool_key, kind, tokens, usd, released_tokens, released_usd, ref, at "
                                + "FROM governance.ledger_entries WHERE budget_id = ? AND entry_id < ? ORDER BY entry_id DESC LIMIT ?")
                .params(b.id(), beforeEntry == null ? Long.MAX_VALUE : beforeEntry, limit)
                .query((rs, i) -> new Entry(
                        rs.getLong(1),
                        rs.getDate(2).toLocalDate(),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getBigDecimal(6),
                        rs.getLong(7),
                        rs.getBigDecimal(8),
                        rs.getString(9),
                        rs.getTimestamp(10).toInstant()))
                .list();
    }

    List<Usage> usage(String tenant, LocalDate from, LocalDate to, String model) {
        return jdbc.sql(
                        "SELECT tenant, day, model, tokens_in, tokens_out, cost_usd, calls FROM governance.usage_daily "
                                + "WHERE tenant = ? AND day >= ? AND day <= ? AND (?::text IS NULL OR model = ?) ORDER BY day, model")
                .params(tenant, Date.valueOf(from), Date.valueOf(to), model, model)
                .query((rs, i) -> new Usage(
                        rs.getString(1),
                        rs.getDate(2).toLocalDate(),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getBigDecimal(6),
                        rs.getLong(7)))
                .list();
    }

    private LocalDate periodStart(String period) {
        return periodStart(period, clock.instant());
    }

    private static LocalDate periodStart(String period, Instant at) {
        LocalDate today = LocalDate.ofInstant(at, ZoneOffset.UTC);
        return switch (period) {
            case "day" -> today;
            case "month" -> today.withDayOfMonth(1);
            default -> LocalDate.of(1970, 1, 1);
        };
    }

    private static final String SELECT_BUDGET =
            "SELECT budget_id, tenant, name, scope, scope_key, period, limit_tokens, limit_usd, run_estimate_tokens, "
                    + "run_estimate_usd FROM governance.budgets";

    private static Budget mapBudget(ResultSet rs, int i) throws SQLException {
        long lt = rs.getLong(7);
        Long limitTokens = rs.wasNull() ? null : lt;
        return new Budget(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                limitTokens,
                rs.getBigDecimal(8),
                rs.getLong(9),
                rs.getBigDecimal(10));
    }
}
