package ai.auraison.governance.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.contract.Intent;
import ai.auraison.contract.RunId;
import ai.auraison.governance.GovernanceTestApp;
import ai.auraison.testfixtures.ContractFixtures;
import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import java.nio.file.Files;
import java.sql.Date;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The budget ledger's periods and idle release, on a real PostgreSQL, with a ledger on a clock the test sets. */
@SpringBootTest(
        classes = GovernanceTestApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "auraison.governance.bootstrap-admin-key=" + GovernanceTestApp.ADMIN_KEY
        })
class BudgetLedgerIT {

    static final TestDatabase DB = PostgresFixture.newDatabase("budget_ledger_it");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws Exception {
        registry.add("spring.datasource.url", DB::jdbcUrl);
        registry.add("spring.datasource.username", DB::username);
        registry.add("spring.datasource.password", DB::password);
        String dataDir = Files.createTempDirectory("budget-ledger-it").toString();
        registry.add("auraison.data-dir", () -> dataDir);
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager txm;

    @Autowired
    GovernanceMetrics metrics;

    @Autowired
    JdbcBudgetLedger budgets;

    private JdbcBudgetLedger ledger(Clock clock) {
        return new JdbcBudgetLedger(jdbc, new TransactionTemplate(txm), clock, false, metrics);
    }

    private String tenant(String prefix) {
        String tenant = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("INSERT INTO governance.tenants (tenant, display_name, created_by) VALUES (?, ?, 'test')")
                .params(tenant, tenant)
                .update();
        return tenant;
    }

    /** A clock that reads {@code first} once, then {@code later}: time passing between two readings. */
    private static Clock steppingClock(Instant first, Instant later) {
        AtomicBoolean read = new AtomicBoolean();
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return read.getAndSet(true) ? later : first;
            }
        };
    }

    @Test
    void anAdmissionAcrossMidnightAndAMonthsStartReservesInOnePeriodPerBudget() {
        String tenant = tenant("midnight");
        var day = budgets.create(tenant, "daily", "tenant", null, "day", 1000L, null, 10L, null);
        var month = budgets.create(tenant, "monthly", "tenant", null, "month", 1000L, null, 10L, null);
        JdbcBudgetLedger crossing =
                ledger(steppingClock(Instant.parse("2026-01-31T23:59:59.999Z"), Instant.parse("2026-02-01T00:00:00Z")));
        Intent intent = ContractFixtures.anIntent().forTenant(tenant).build();

        assertThat(crossing.reserveForIntent(intent, RunId.random(), "turtlebot-maze.edge-1"))
                .isEmpty();

        String pool = "intent:" + intent.intentId().value();
        for (var expected : List.of(
                new Object[] {day.id(), LocalDate.parse("2026-01-31")},
                new Object[] {month.id(), LocalDate.parse("2026-01-01")})) {
            UUID budget = (UUID) expected[0];
            LocalDate period = (LocalDate) expected[1];
            assertThat(jdbc.sql("SELECT period_start FROM governance.budget_pools WHERE pool_key = ? AND budget_id = ?")
                            .params(pool, budget)
                            .query(Date.class)
                            .single()
                            .toLocalDate())
                    .isEqualTo(period);
            assertThat(jdbc.sql(
                                    "SELECT period_start FROM governance.ledger_entries WHERE pool_key = ? AND budget_id = ?")
                            .params(pool, budget)
                            .query(Date.class)
                            .list())
                    .extracting(Date::toLocalDate)
                    .containsExactly(period);
            assertThat(jdbc.sql("SELECT period_start, reserved_tokens FROM governance.budget_balances "
                                    + "WHERE budget_id = ? AND reserved_tokens > 0")
                            .param(budget)
                            .query((rs, i) -> rs.getDate(1).toLocalDate() + "=" + rs.getLong(2))
                            .list())
                    .containsExactly(period + "=10");
        }
    }

    @Test
    void aPoolThatFailsToReleaseDoesNotKeepTheOthersFromTheIdleRelease() {
        String tenant = tenant("idle");
        budgets.create(tenant, "daily", "tenant", null, "day", 1000L, null, 10L, null);
        JdbcBudgetLedger ledger = ledger(Clock.systemUTC());
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<String> pools = List.of("idle-0-" + suffix, "idle-m-" + suffix, "idle-z-" + suffix).stream()
                .map(id -> {
                    Intent intent = ContractFixtures.anIntent()
                            .withId(id)
                            .forTenant(tenant)
                            .build();
                    assertThat(ledger.reserveForIntent(intent, RunId.random(), "turtlebot-maze.edge-1"))
                            .isEmpty();
                    return "intent:" + id;
                })
                .toList();
        String failing = pools.get(1);
        String fn = "refuse_release_" + suffix;
        jdbc.sql("CREATE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "RAISE EXCEPTION 'release refused by the test'; END $$")
                .update();
        jdbc.sql("CREATE TRIGGER " + fn + " BEFORE UPDATE ON governance.budget_pools FOR EACH ROW WHEN "
                        + "(OLD.pool_key = '" + failing + "') EXECUTE FUNCTION " + fn + "()")
                .update();
        try {
            assertThat(ledger.releaseIdle(Duration.ZERO)).isGreaterThanOrEqualTo(3);
        } finally {
            jdbc.sql("DROP TRIGGER " + fn + " ON governance.budget_pools").update();
        }
        for (String pool : pools) {
            long held = jdbc.sql("SELECT held_tokens FROM governance.budget_pools WHERE pool_key = ?")
                    .param(pool)
                    .query(Long.class)
                    .single();
            assertThat(held).as(pool).isEqualTo(pool.equals(failing) ? 10 : 0);
        }
    }
}
