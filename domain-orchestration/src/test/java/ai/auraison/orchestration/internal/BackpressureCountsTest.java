package ai.auraison.orchestration.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The quota counts of {@link Backpressure} are exact on one replica: an admission is counted once whether a refresh
 * runs before its insert, while it is uncommitted, or after it committed, and never twice (a count published with
 * the local sums of another moment overshot what had been admitted: CI saw a quota answer "current 4" for 3). Real PostgreSQL, with the
 * columns of {@code orchestration.work_items} that the counts read.
 */
class BackpressureCountsTest {

    static final TestDatabase DB = PostgresFixture.newDatabase("backpressure_counts");
    static final DataSource DB_SOURCE = DB.dataSource();
    static JdbcClient jdbc;

    @BeforeAll
    static void schema() {
        jdbc = JdbcClient.create(DB_SOURCE);
        jdbc.sql("CREATE SCHEMA orchestration").update();
        jdbc.sql("""
                        CREATE TABLE orchestration.work_items (
                            run_id uuid PRIMARY KEY, agent_id text NOT NULL, tenant text NOT NULL, principal text,
                            status text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())
                        """).update();
    }

    private static Backpressure backpressure() {
        return new Backpressure(
                jdbc,
                new DataSourceTransactionManager(DB_SOURCE),
                1_000_000,
                1_000_000,
                new OrchestrationMetrics(new SimpleMeterRegistry()));
    }

    private static void insert(Connection c, UUID runId, String tenant) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO orchestration.work_items "
                + "(run_id, agent_id, tenant, principal, status) VALUES (?, 'a.' || ?, ?, 'ops', 'ready')")) {
            ps.setObject(1, runId);
            ps.setString(2, tenant);
            ps.setString(3, tenant);
            ps.executeUpdate();
        }
    }

    @Test
    void anAdmissionCountsOnceBeforeWhileAndAfterItsInsertCommits() throws Exception {
        Backpressure bp = backpressure();
        String tenant = "t-" + UUID.randomUUID();
        UUID run = UUID.randomUUID();
        bp.admitting(run, "a." + tenant, tenant, "ops");
        bp.refresh();
        assertThat(bp.usage(tenant, "ops", null).tenantQueued()).isEqualTo(1);

        try (Connection c = DB.connect()) {
            c.setAutoCommit(false);
            insert(c, run, tenant);
            bp.refresh(); // the insert is not visible yet: still counted locally
            assertThat(bp.usage(tenant, "ops", null).tenantQueued()).isEqualTo(1);
            c.commit();
        }
        bp.refresh(); // now counted by the query, dropped locally
        Backpressure.Usage usage = bp.usage(tenant, "ops", null);
        assertThat(usage.tenantQueued()).isEqualTo(1);
        assertThat(usage.principalQueued()).isEqualTo(1);
        assertThat(bp.depth("a." + tenant)).isEqualTo(1);

        jdbc.sql("UPDATE orchestration.work_items SET status = 'leased' WHERE run_id = ?")
                .param(run)
                .update();
        bp.refresh();
        assertThat(bp.usage(tenant, "ops", null)).isEqualTo(new Backpressure.Usage(0, 1, 0, 1));
    }

    @Test
    void aWithdrawnAdmissionStopsCountingAndAWithdrawalAfterARefreshSawItChangesNothing() throws Exception {
        Backpressure bp = backpressure();
        String tenant = "t-" + UUID.randomUUID();
        Backpressure.Admission refused = bp.admitting(UUID.randomUUID(), "a." + tenant, tenant, "ops");
        assertThat(bp.usage(tenant, "ops", null).tenantQueued()).isEqualTo(1);
        bp.withdraw(refused);
        assertThat(bp.usage(tenant, "ops", null).tenantQueued()).isZero();

        UUID run = UUID.randomUUID();
        Backpressure.Admission stored = bp.admitting(run, "a." + tenant, tenant, "ops");
        try (Connection c = DB.connect()) {
            insert(c, run, tenant);
        }
        bp.refresh();
        bp.withdraw(stored); // as if the insert had committed and then failed to answer
        assertThat(bp.usage(tenant, "ops", null).tenantQueued()).isEqualTo(1);
    }

    @Test
    void underConcurrentAdmissionsAndRefreshesACountIsNeverBelowWhatCommittedNorAboveWhatWasAdmitted()
            throws Exception {
        Backpressure bp = backpressure();
        String tenant = "t-" + UUID.randomUUID();
        AtomicLong admitted = new AtomicLong(); // counted up before admitting
        AtomicLong committed = new AtomicLong(); // counted up after the insert committed
        AtomicBoolean done = new AtomicBoolean();
        List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                writers.add(pool.submit(() -> {
                    try (Connection c = DB.connect()) {
                        for (int i = 0; i < 150; i++) {
                            UUID run = UUID.randomUUID();
                            admitted.incrementAndGet();
                            bp.admitting(run, "a." + tenant, tenant, "ops");
                            insert(c, run, tenant);
                            committed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Future<?> refresher = pool.submit(() -> {
                while (!done.get()) bp.refresh();
            });
            Future<?> reader = pool.submit(() -> {
                while (!done.get()) {
                    long low = committed.get();
                    long seen = bp.usage(tenant, "ops", null).tenantQueued();
                    long high = admitted.get();
                    if (seen < low || seen > high) violations.add(low + " <= " + seen + " <= " + high);
                }
            });
            for (Future<?> f : writers) f.get();
            done.set(true);
            refresher.get();
            reader.get();
        } finally {
            pool.shutdownNow();
        }
        bp.refresh();
        assertThat(violations).isEmpty();
        assertThat(bp.usage(tenant, "ops", null).tenantQueued()).isEqualTo(450);
        assertThat(bp.depth("a." + tenant)).isEqualTo(450);
    }
}
