package ai.auraison.memory;

import static ai.auraison.memory.ProjectorIT.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.auraison.memory.spi.Checkpoint;
import ai.auraison.memory.spi.LoggedEvent;
import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas project one DuckLake (catalog in PostgreSQL): only the holder of the advisory lock writes, and when it
 * is killed in the middle of a batch the other takes over from the committed checkpoint.
 */
class TakeoverIT {

    @TempDir
    Path dir;

    @Test
    void aSecondReplicaTakesOverWhenTheProjectingOneIsKilled() throws Exception {
        TestDatabase db = PostgresFixture.newDatabase("memory_takeover");
        try {
            PostgresEventLog log = new PostgresEventLog(db.dataSource()).create();
            List<RunScenarios.Run> runs = new RunScenarios(21).runs(12);
            for (RunScenarios.Run r : runs) log.append(r.tenant(), r.events());
            List<LoggedEvent> all = log.readAfter(Checkpoint.START, Integer.MAX_VALUE);

            try (ProjectorChild first = ProjectorChild.start("pglake", dir, db, "ROWS_WRITTEN:4")) {
                first.await("LEADER");
                try (MemoryStore store = MemoryStore.open(TestStores.postgresLake(db, dir));
                        Projector second = new Projector(
                                store,
                                log,
                                new PostgresLeadership(db.dataSource(), PostgresLeadership.keyFor(store.identity())),
                                new Projector.Options(50, 1000, Duration.ofMillis(20), null),
                                MemoryMetrics.none(),
                                null)) {
                    second.start();
                    first.await("HALTED ROWS_WRITTEN 4");
                    assertThat(second.isLeader()).isFalse();
                    assertThat(second.checkpoint())
                            .isEqualTo(all.get(3 * 50 - 1).at());

                    first.kill();

                    await().atMost(Duration.ofSeconds(30)).until(second::isLeader);
                    await().atMost(Duration.ofSeconds(30))
                            .until(() ->
                                    second.checkpoint().equals(all.getLast().at()));
                    assertThat(count(store, "SELECT count(*) FROM events")).isEqualTo(all.size());
                    assertThat(count(store, "SELECT count(DISTINCT event_id) FROM events"))
                            .isEqualTo(all.size());
                    assertThat(count(store, "SELECT count(*) FROM runs")).isEqualTo(runs.size());
                    assertThat(count(store, "SELECT sum(events) FROM runs")).isEqualTo(all.size());
                }
            }
        } finally {
            PostgresFixture.drop(db);
        }
    }
}
