package ai.auraison.memory;

import static ai.auraison.memory.ProjectorIT.count;
import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.memory.spi.Checkpoint;
import ai.auraison.memory.spi.Leadership;
import ai.auraison.memory.spi.LoggedEvent;
import ai.auraison.testfixtures.PostgresFixture;
import ai.auraison.testfixtures.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exactly-once across a real kill: a projector process is SIGKILLed at a chosen point of its third batch (rows
 * written; checkpoint written; committed), then a new projector resumes from what the store holds.
 */
class CrashIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Projector.Point.class)
    void aProjectorKilledInsideABatchNeitherLosesNorDuplicatesARow(Projector.Point point) throws Exception {
        TestDatabase db = PostgresFixture.newDatabase("memory_crash");
        PostgresEventLog log = new PostgresEventLog(db.dataSource()).create();
        List<RunScenarios.Run> runs = new RunScenarios(7).runs(12);
        for (RunScenarios.Run r : runs) log.append(r.tenant(), r.events());
        List<LoggedEvent> all = log.readAfter(Checkpoint.START, Integer.MAX_VALUE);

        try (ProjectorChild child = ProjectorChild.start("duckdb", dir, db, point + ":3")) {
            child.await("HALTED " + point + " 3");
            child.kill();
        }

        int committedBatches = point == Projector.Point.COMMITTED ? 3 : 2;
        try (MemoryStore store = MemoryStore.open(TestStores.embedded(dir));
                Projector projector = new Projector(
                        store,
                        log,
                        Leadership.sole(),
                        new Projector.Options(50, 1000, Duration.ofMillis(20), null),
                        MemoryMetrics.none(),
                        null)) {
            assertThat(projector.checkpoint())
                    .isEqualTo(all.get(committedBatches * 50 - 1).at());
            assertThat(count(store, "SELECT count(*) FROM events")).isEqualTo(committedBatches * 50L);

            projector.catchUp();
            assertThat(count(store, "SELECT count(*) FROM events")).isEqualTo(all.size());
            assertThat(count(store, "SELECT count(DISTINCT event_id) FROM events"))
                    .isEqualTo(all.size());
            assertThat(count(store, "SELECT count(*) FROM runs")).isEqualTo(runs.size());
            assertThat(count(store, "SELECT sum(events) FROM runs")).isEqualTo(all.size());
            assertThat(count(store, "SELECT sum(runs_started) FROM agent_health"))
                    .isEqualTo(runs.size());
        } finally {
            PostgresFixture.drop(db);
        }
    }
}
