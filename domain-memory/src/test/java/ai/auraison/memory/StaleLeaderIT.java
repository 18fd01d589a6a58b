package ai.auraison.memory;

import static ai.auraison.memory.ProjectorIT.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.auraison.memory.spi.Leadership;
import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader that lost its lock without knowing it (its PostgreSQL connection dropped mid-batch) cannot add a batch to a
 * shared DuckLake that the new leader already projected: every batch updates the one checkpoint row in the same
 * transaction as its rows, so DuckLake's optimistic concurrency refuses the second commit of the same range, and the
 * lake holds each event once.
 */
class StaleLeaderIT {

    @TempDir
    Path dir;

    @Test
    void theStaleLeadersBatchIsRefusedAtCommitAndNothingIsDuplicated() throws Exception {
        TestDatabase db = PostgresFixture.newDatabase("memory_stale_leader");
        try {
            ListEventLog log = new ListEventLog();
            List<RunScenarios.Run> runs = new RunScenarios(5).runs(4);
            for (RunScenarios.Run r : runs) log.append(r.tenant(), r.events());

            CountDownLatch staleHalted = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            Projector.Probe haltBeforeCommit = (point, batch) -> {
                if (point == Projector.Point.CHECKPOINT_WRITTEN) {
                    staleHalted.countDown();
                    try {
                        resume.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            // both believe they lead (the stale one's lock connection is gone, it has not noticed yet)
            try (MemoryStore staleStore = MemoryStore.open(TestStores.postgresLake(db, dir));
                    MemoryStore newStore = MemoryStore.open(TestStores.postgresLake(db, dir));
                    Projector stale = new Projector(
                            staleStore,
                            log,
                            Leadership.sole(),
                            new Projector.Options(10_000, 10_000, Duration.ofMillis(20), haltBeforeCommit),
                            MemoryMetrics.none(),
                            null);
                    Projector fresh = new Projector(
                            newStore,
                            log,
                            Leadership.sole(),
                            new Projector.Options(10_000, 10_000, Duration.ofMillis(20), null),
                            MemoryMetrics.none(),
                            null)) {
                CompletableFuture<Integer> staleBatch = CompletableFuture.supplyAsync(stale::projectBatch);
                assertThat(staleHalted.await(60, TimeUnit.SECONDS)).isTrue();

                // the new leader projects the same range and commits first
                assertThat(fresh.projectBatch()).isEqualTo(log.size());
                resume.countDown();

                assertThatThrownBy(staleBatch::join)
                        .hasRootCauseInstanceOf(java.sql.SQLException.class)
                        .hasMessageContaining("onflict");
                assertThat(count(newStore, "SELECT count(*) FROM events")).isEqualTo(log.size());
                assertThat(count(newStore, "SELECT count(DISTINCT event_id) FROM events"))
                        .isEqualTo(log.size());
                assertThat(count(newStore, "SELECT count(*) FROM runs")).isEqualTo(runs.size());
                // and the stale projector, once it reads the checkpoint again, has nothing left to do
                assertThat(stale.projectBatch()).isZero();
                assertThat(count(staleStore, "SELECT count(*) FROM events")).isEqualTo(log.size());
            }
        } finally {
            PostgresFixture.drop(db);
        }
    }
}
