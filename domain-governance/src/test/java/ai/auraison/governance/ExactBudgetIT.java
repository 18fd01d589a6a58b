package ai.auraison.governance;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.contract.RunId;
import ai.auraison.contract.TenantId;
import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicyHook;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.testfixtures.ContractFixtures;
import ai.auraison.testfixtures.HttpJson;
import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The budget ledger under load: many threads on two replicas (two Spring contexts on one PostgreSQL) reserve against
 * one budget; exactly as many calls as fit are allowed, never one more, and settling them lands exactly on the spend.
 */
class ExactBudgetIT {

    static final TestDatabase DB = PostgresFixture.newDatabase("budget_it");
    static ConfigurableApplicationContext one;
    static ConfigurableApplicationContext two;
    static HttpJson api;

    @BeforeAll
    static void start() throws Exception {
        one = GovernanceTestApp.start(DB, Files.createTempDirectory("budget-1"));
        two = GovernanceTestApp.start(DB, Files.createTempDirectory("budget-2"));
        api = HttpJson.local(GovernanceTestApp.port(one));
    }

    @AfterAll
    static void stop() {
        if (one != null) one.close();
        if (two != null) two.close();
    }

    private static String[] bearer(String key) {
        return GovernanceITBase.bearer(key);
    }

    private static String newTenant(String tenant) {
        HttpJson.Response r =
                api.post("/api/v1/tenants", Map.of("tenant", tenant), bearer(GovernanceTestApp.ADMIN_KEY));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().at("/admin/key").asString();
    }

    private static void budget(String admin, Map<String, Object> body) {
        HttpJson.Response r = api.post("/api/v1/budgets", body, bearer(admin));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private static PolicyHook hook(ConfigurableApplicationContext ctx) {
        return ctx.getBeansOfType(PolicyHook.class).values().stream()
                .filter(h -> h.name().equals("governance"))
                .findFirst()
                .orElseThrow();
    }

    private static BudgetLedger ledger(ConfigurableApplicationContext ctx) {
        return ctx.getBean(BudgetLedger.class);
    }

    private static DecisionContext ctx(String tenant, RunId run) {
        return new DecisionContext(TenantId.of(tenant), "gateway", null, null, run, Instant.now(), false, Map.of());
    }

    @Test
    void neverOvershootsUnderSixteenThreadsOnTwoReplicasAndSettlesExactly() throws Exception {
        String tenant = GovernanceITBase.uniqueTenant("exact");
        String admin = newTenant(tenant);
        budget(admin, Map.of("name", "monthly", "scope", "tenant", "period", "total", "limitUsd", 10.00));
        BigDecimal cost = new BigDecimal("0.07"); // 142 calls fit in $10.00 (9.94); the 143rd would be 10.01

        record Allowed(RunId run, int replica) {}
        ConcurrentLinkedQueue<Allowed> allowed = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> denials = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int replica = t % 2;
            PolicyHook hook = hook(replica == 0 ? one : two);
            futures.add(pool.submit(() -> {
                go.await();
                // each thread keeps asking until the budget refuses it twice
                int refused = 0;
                while (refused < 2) {
                    RunId run = RunId.random();
                    PolicyDecision d = hook.decide(
                            new PolicySubject.ModelCallSubject(TenantId.of(tenant), run, "claude-x", 1000, 500, cost),
                            ctx(tenant, run));
                    if (d instanceof PolicyDecision.Allow) allowed.add(new Allowed(run, replica));
                    else {
                        refused++;
                        denials.add(d.rule() + ": " + d.reason());
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) f.get();

        assertThat(allowed).hasSize(142);
        assertThat(allowed.stream().map(Allowed::replica).distinct()).containsExactlyInAnyOrder(0, 1);
        assertThat(denials).allSatisfy(d -> assertThat(d).startsWith("budget.monthly: budget monthly"));
        HttpJson.Response held = api.get("/api/v1/budgets/monthly", bearer(admin));
        assertThat(held.json().get("reservedUsd").decimalValue()).isEqualByComparingTo("9.94");
        assertThat(held.json().get("spentUsd").decimalValue()).isEqualByComparingTo("0");

        // settle every call at its estimate, from both replicas at once; a repeated settlement changes nothing
        List<Future<Boolean>> settled = new ArrayList<>();
        for (Allowed a : allowed) {
            BudgetLedger l = ledger(a.replica() == 0 ? one : two);
            ModelCallCost c =
                    new ModelCallCost("call-" + a.run(), null, a.run(), "claude-x", 1000, 500, cost, Instant.now());
            settled.add(pool.submit(() -> l.settle(c)));
            settled.add(pool.submit(() -> l.settle(c)));
        }
        long fresh = 0;
        for (Future<Boolean> f : settled) if (f.get()) fresh++;
        pool.shutdown();
        assertThat(fresh).isEqualTo(142);

        HttpJson.Response after = api.get("/api/v1/budgets/monthly", bearer(admin));
        assertThat(after.json().get("spentUsd").decimalValue()).isEqualByComparingTo("9.94");
        assertThat(after.json().get("reservedUsd").decimalValue()).isEqualByComparingTo("0");
        assertThat(after.json().get("spentTokens").asLong()).isEqualTo(142 * 1500);
        try (var c = DB.connect();
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT kind, count(*), sum(usd) FROM governance.ledger_entries e "
                        + "JOIN governance.budgets b USING (budget_id) WHERE b.tenant = '" + tenant
                        + "' GROUP BY kind ORDER BY kind")) {
            Map<String, BigDecimal> sums = new java.util.TreeMap<>();
            while (rs.next()) sums.put(rs.getString(1), rs.getBigDecimal(3));
            assertThat(sums.get("reserve")).isEqualByComparingTo("9.94");
            assertThat(sums.get("settle")).isEqualByComparingTo("9.94");
        }
    }

    @Test
    void admissionReservesRunEstimatesOncePerIntentAndRefusesTheRunThatWouldNotFit() {
        String tenant = GovernanceITBase.uniqueTenant("admission");
        String admin = newTenant(tenant);
        budget(
                admin,
                Map.of(
                        "name",
                        "robotics",
                        "scope",
                        "project",
                        "scopeKey",
                        tenant + "/robotics",
                        "period",
                        "month",
                        "limitUsd",
                        3,
                        "runEstimateUsd",
                        1));
        PolicyHook hook = hook(one);
        List<PolicyDecision> decisions = new ArrayList<>();
        List<RunId> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            var intent = ContractFixtures.anIntent().forTenant(tenant).build();
            intent = new ai.auraison.contract.Intent(
                    intent.intentId(),
                    intent.type(),
                    intent.params(),
                    new ai.auraison.contract.PolicyContext(TenantId.of(tenant), "admin", null, tenant + "/robotics"),
                    intent.targets(),
                    null,
                    null,
                    null);
            RunId run = RunId.random();
            runs.add(run);
            var subject = new PolicySubject.IntentSubject(intent);
            decisions.add(hook.decide(subject, ctx(tenant, run)));
            if (i == 0) {
                // the same intent admitted again (an idempotent resubmission) reserves nothing more
                assertThat(hook.decide(subject, ctx(tenant, RunId.random()))).isInstanceOf(PolicyDecision.Allow.class);
            }
        }
        assertThat(decisions.subList(0, 3)).allMatch(d -> d instanceof PolicyDecision.Allow);
        assertThat(decisions.get(3)).isInstanceOf(PolicyDecision.Deny.class);
        assertThat(decisions.get(3).rule()).isEqualTo("budget.robotics");
        assertThat(BudgetLedger.failureFor(decisions.get(3)).orElseThrow().code())
                .isEqualTo("budget.exceeded");

        // a model call of the first run draws on its estimate: nothing more is reserved
        PolicyDecision call = hook.decide(
                new PolicySubject.ModelCallSubject(
                        TenantId.of(tenant), runs.get(0), "m", 10, 10, new BigDecimal("0.60")),
                ctx(tenant, runs.get(0)));
        assertThat(call).isInstanceOf(PolicyDecision.Allow.class);
        assertThat(api.get("/api/v1/budgets/robotics", bearer(admin))
                        .json()
                        .get("reservedUsd")
                        .decimalValue())
                .isEqualByComparingTo("3");
        // beyond its estimate, it needs budget that is not there: stopped at its next model call
        PolicyDecision over = hook.decide(
                new PolicySubject.ModelCallSubject(
                        TenantId.of(tenant), runs.get(0), "m", 10, 10, new BigDecimal("0.50")),
                ctx(tenant, runs.get(0)));
        assertThat(over.rule()).isEqualTo("budget.robotics");

        ledger(one)
                .settle(new ModelCallCost("c1", null, runs.get(0), "m", 10, 10, new BigDecimal("0.55"), Instant.now()));
        ledger(one).release(runs.get(0));
        HttpJson.Response b = api.get("/api/v1/budgets/robotics", bearer(admin));
        assertThat(b.json().get("spentUsd").decimalValue()).isEqualByComparingTo("0.55");
        assertThat(b.json().get("reservedUsd").decimalValue()).isEqualByComparingTo("2");
        assertThat(hook.decide(
                                new PolicySubject.ModelCallSubject(
                                        TenantId.of(tenant), runs.get(1), "m", 10, 10, new BigDecimal("0.40")),
                                ctx(tenant, runs.get(1)))
                        .effect())
                .isEqualTo(ai.auraison.contract.PolicyEffect.ALLOW);
    }

    private static DecisionContext gateway(String tenant, RunId run, String phase, String callId) {
        return new DecisionContext(
                TenantId.of(tenant),
                "app-1",
                "model-gateway",
                null,
                run,
                Instant.now(),
                false,
                Map.of("gateway.phase", phase, "gateway.call-id", callId));
    }

    @Test
    void aSettlementWithoutItsCallIdIsRefusedAndChargesNothing() {
        String tenant = GovernanceITBase.uniqueTenant("nocallid");
        String admin = newTenant(tenant);
        budget(admin, Map.of("name", "t", "scope", "tenant", "period", "total", "limitUsd", 5));
        RunId run = RunId.random();
        String callId = "call-" + java.util.UUID.randomUUID(); // call ids are global, like the gateway's
        var estimate =
                new PolicySubject.ModelCallSubject(TenantId.of(tenant), run, "gpt", 100, 100, new BigDecimal("1.00"));
        assertThat(hook(one).decide(estimate, gateway(tenant, run, "reserve", callId)))
                .isInstanceOf(PolicyDecision.Allow.class);
        var actual =
                new PolicySubject.ModelCallSubject(TenantId.of(tenant), run, "gpt", 80, 20, new BigDecimal("0.25"));
        DecisionContext withoutCallId = new DecisionContext(
                TenantId.of(tenant),
                "app-1",
                "model-gateway",
                null,
                run,
                Instant.now(),
                false,
                Map.of("gateway.phase", "settle"));
        PolicyDecision refused = hook(one).decide(actual, withoutCallId);
        assertThat(refused).isInstanceOf(PolicyDecision.Deny.class);
        assertThat(refused.rule()).isEqualTo("budget.unsettled");
        HttpJson.Response meanwhile = api.get("/api/v1/budgets/t", bearer(admin));
        assertThat(meanwhile.json().get("spentUsd").decimalValue()).isEqualByComparingTo("0");
        assertThat(meanwhile.json().get("reservedUsd").decimalValue()).isEqualByComparingTo("1.00");
        hook(one).decide(actual, gateway(tenant, run, "settle", callId));
        HttpJson.Response settled = api.get("/api/v1/budgets/t", bearer(admin));
        assertThat(settled.json().get("spentUsd").decimalValue()).isEqualByComparingTo("0.25");
        assertThat(settled.json().get("reservedUsd").decimalValue()).isEqualByComparingTo("0");
    }

    private static long governanceRuns(RunId run) throws java.sql.SQLException {
        try (var c = DB.connect();
                var st = c.prepareStatement("SELECT count(*) FROM governance.runs WHERE run_id = ?")) {
            st.setObject(1, run.value());
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void anUnbudgetedTenantsModelCallsWriteNoRunRowAndAreStillBilledToIt() throws Exception {
        String tenant = GovernanceITBase.uniqueTenant("nobudget");
        String admin = newTenant(tenant);
        RunId run = RunId.random();
        String callId = "call-" + java.util.UUID.randomUUID();
        var estimate =
                new PolicySubject.ModelCallSubject(TenantId.of(tenant), run, "gpt", 100, 100, new BigDecimal("1.00"));
        assertThat(hook(one).decide(estimate, gateway(tenant, run, "reserve", callId)))
                .isInstanceOf(PolicyDecision.Allow.class);
        assertThat(governanceRuns(run)).isZero();
        var actual =
                new PolicySubject.ModelCallSubject(TenantId.of(tenant), run, "gpt", 80, 20, new BigDecimal("0.25"));
        hook(one).decide(actual, gateway(tenant, run, "settle", callId));
        HttpJson.Response usage = api.get("/api/v1/usage", bearer(admin));
        assertThat(usage.json().at("/items/0/calls").asLong()).isEqualTo(1);
        assertThat(usage.json().at("/items/0/costUsd").decimalValue()).isEqualByComparingTo("0.25");
    }

    @Test
    void aCallNamingAnotherTenantsRunIsChargedToTheCallersTenantNotToThatRun() throws Exception {
        String owner = GovernanceITBase.uniqueTenant("runowner");
        String ownerAdmin = newTenant(owner);
        budget(ownerAdmin, Map.of("name", "t", "scope", "tenant", "period", "total", "limitUsd", 5));
        RunId run = RunId.random();
        String ownCall = "call-" + java.util.UUID.randomUUID();
        hook(one)
                .decide(
                        new PolicySubject.ModelCallSubject(
                                TenantId.of(owner), run, "gpt", 10, 10, new BigDecimal("1.00")),
                        gateway(owner, run, "reserve", ownCall));
        assertThat(governanceRuns(run)).isEqualTo(1);

        String other = GovernanceITBase.uniqueTenant("intruder");
        String otherAdmin = newTenant(other);
        String call = "call-" + java.util.UUID.randomUUID();
        hook(one)
                .decide(
                        new PolicySubject.ModelCallSubject(
                                TenantId.of(other), run, "gpt", 10, 10, new BigDecimal("2.00")),
                        gateway(other, run, "reserve", call));
        hook(one)
                .decide(
                        new PolicySubject.ModelCallSubject(
                                TenantId.of(other), run, "gpt", 10, 10, new BigDecimal("2.00")),
                        gateway(other, run, "settle", call));
        assertThat(api.get("/api/v1/usage", bearer(otherAdmin))
                        .json()
                        .at("/items/0/costUsd")
                        .decimalValue())
                .isEqualByComparingTo("2.00");
        HttpJson.Response ownerBudget = api.get("/api/v1/budgets/t", bearer(ownerAdmin));
        assertThat(ownerBudget.json().get("spentUsd").decimalValue()).isEqualByComparingTo("0");
        assertThat(ownerBudget.json().get("reservedUsd").decimalValue()).isEqualByComparingTo("1.00");
        assertThat(api.get("/api/v1/usage", bearer(ownerAdmin))
                        .json()
                        .get("items")
                        .size())
                .isZero();
    }

    @Test
    void aGatewayCallDrawsOnItsRunsEstimateAndItsSettlementReleasesExactlyWhatItHeld() {
        String tenant = GovernanceITBase.uniqueTenant("gateway");
        String admin = newTenant(tenant);
        budget(
                admin,
                Map.of(
                        "name",
                        "p",
                        "scope",
                        "project",
                        "scopeKey",
                        "p",
                        "period",
                        "total",
                        "limitUsd",
                        5,
                        "runEstimateUsd",
                        1));
        var base = ContractFixtures.anIntent().build();
        var intent = new ai.auraison.contract.Intent(
                base.intentId(),
                base.type(),
                base.params(),
                new ai.auraison.contract.PolicyContext(TenantId.of(tenant), "admin", null, "p"),
                base.targets(),
                null,
                null,
                null);
        RunId run = RunId.random();
        PolicyHook hook = hook(one);
        assertThat(hook.decide(new PolicySubject.IntentSubject(intent), ctx(tenant, run)))
                .isInstanceOf(PolicyDecision.Allow.class);
        var estimate =
                new PolicySubject.ModelCallSubject(TenantId.of(tenant), run, "gpt", 100, 100, new BigDecimal("1.60"));
        assertThat(hook.decide(estimate, gateway(tenant, run, "reserve", "c1")))
                .isInstanceOf(PolicyDecision.Allow.class);
        // $1 drawn from the run's estimate, $0.60 reserved beyond it
        assertThat(api.get("/api/v1/budgets/p", bearer(admin))
                        .json()
                        .get("reservedUsd")
                        .decimalValue())
                .isEqualByComparingTo("1.60");
        var actual =
                new PolicySubject.ModelCallSubject(TenantId.of(tenant), run, "gpt", 80, 20, new BigDecimal("0.25"));
        hook(two).decide(actual, gateway(tenant, run, "settle", "c1"));
        hook(two).decide(actual, gateway(tenant, run, "settle", "c1"));
        HttpJson.Response after = api.get("/api/v1/budgets/p", bearer(admin));
        assertThat(after.json().get("spentUsd").decimalValue()).isEqualByComparingTo("0.25");
        assertThat(after.json().get("spentTokens").asLong()).isEqualTo(100);
        assertThat(after.json().get("reservedUsd").decimalValue()).isEqualByComparingTo("0");
        assertThat(api.get("/api/v1/usage", bearer(admin))
                        .json()
                        .at("/items/0/calls")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void refusesAnIntentWhoseBudgetRefNamesNoBudget() {
        String tenant = GovernanceITBase.uniqueTenant("unknownref");
        newTenant(tenant);
        var intent = ContractFixtures.anIntent().build();
        intent = new ai.auraison.contract.Intent(
                intent.intentId(),
                intent.type(),
                intent.params(),
                new ai.auraison.contract.PolicyContext(TenantId.of(tenant), "admin", null, "no-such-project"),
                intent.targets(),
                null,
                null,
                null);
        PolicyDecision d = hook(two).decide(new PolicySubject.IntentSubject(intent), ctx(tenant, RunId.random()));
        assertThat(d.rule()).isEqualTo("budget.no-such-project");
    }

    @Test
    void exportsUsagePerTenantModelAndDayAsCsvAndJson() {
        String tenant = GovernanceITBase.uniqueTenant("usage");
        String admin = newTenant(tenant);
        Instant day = Instant.parse("2026-03-02T10:00:00Z");
        ledger(one)
                .settle(new ModelCallCost(
                        "u1", TenantId.of(tenant), null, "claude-x", 100, 20, new BigDecimal("0.01"), day));
        ledger(two)
                .settle(new ModelCallCost(
                        "u2", TenantId.of(tenant), null, "claude-x", 50, 5, new BigDecimal("0.02"), day));
        ledger(one)
                .settle(new ModelCallCost(
                        "u3", TenantId.of(tenant), null, "gpt,mini", 7, 3, new BigDecimal("0.001"), day));
        ledger(one)
                .settle(new ModelCallCost(
                        "u3", TenantId.of(tenant), null, "gpt,mini", 7, 3, new BigDecimal("0.001"), day));
        HttpJson.Response json = api.get("/api/v1/usage?from=2026-03-01&to=2026-03-31", bearer(admin));
        assertThat(json.status()).as(json.toString()).isEqualTo(200);
        assertThat(json.json().get("items").size()).isEqualTo(2);
        assertThat(json.json().at("/items/0/model").asString()).isEqualTo("claude-x");
        assertThat(json.json().at("/items/0/tokensIn").asLong()).isEqualTo(150);
        assertThat(json.json().at("/items/0/calls").asLong()).isEqualTo(2);
        HttpJson.Response csv = api.get("/api/v1/usage?from=2026-03-01&to=2026-03-31&format=csv", bearer(admin));
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.text())
                .isEqualTo("tenant,day,model,tokens_in,tokens_out,cost_usd,calls\n"
                        + tenant + ",2026-03-02,claude-x,150,25,0.030000,2\n"
                        + tenant + ",2026-03-02,\"gpt,mini\",7,3,0.001000,1\n");
        String other = newTenant(GovernanceITBase.uniqueTenant("usage-b"));
        assertThat(api.get("/api/v1/usage?from=2026-03-01&to=2026-03-31", bearer(other))
                        .json()
                        .get("items"))
                .isEmpty();
    }
}
