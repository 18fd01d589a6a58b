package ai.auraison.memory;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.Domain;
import ai.auraison.contract.ProjectionEvent;
import ai.auraison.memory.spi.Checkpoint;
import ai.auraison.memory.spi.Leadership;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The projector on an embedded DuckDB file, fed from an in-memory log of realistic runs. */
class ProjectorIT {

    @TempDir
    Path dir;

    private static Projector projector(MemoryStore store, ListEventLog log, int batch, List<ProjectionEvent> sink) {
        return new Projector(
                store,
                log,
                Leadership.sole(),
                new Projector.Options(batch, 1000, Duration.ofMillis(20), null),
                MemoryMetrics.none(),
                sink::add);
    }

    @Test
    void projectsEveryTableFromTheLogAndMovesTheCheckpoint() throws Exception {
        ListEventLog log = new ListEventLog();
        List<RunScenarios.Run> runs = new RunScenarios(1).runs(40);
        runs.forEach(r -> log.append(r.tenant(), r.events()));
        List<AgentEvent> all = runs.stream().flatMap(r -> r.events().stream()).toList();
        try (MemoryStore store = MemoryStore.open(TestStores.embedded(dir))) {
            Projector projector = projector(store, log, 97, new ArrayList<>());
            assertThat(projector.catchUp()).isEqualTo(all.size());
            assertThat(projector.checkpoint())
                    .isEqualTo(log.readAfter(Checkpoint.START, Integer.MAX_VALUE)
                            .getLast()
                            .at());

            assertThat(count(store, "SELECT count(*) FROM events")).isEqualTo(all.size());
            assertThat(count(store, "SELECT count(DISTINCT event_id) FROM events"))
                    .isEqualTo(all.size());
            assertThat(count(store, "SELECT count(*) FROM runs")).isEqualTo(runs.size());
            long failed =
                    all.stream().filter(e -> e instanceof AgentEvent.RunFailed).count();
            assertThat(count(
                            store,
                            "SELECT count(*) FROM runs WHERE status = 'failed' AND failure_code = 'harness.crashed'"))
                    .isEqualTo(failed);
            assertThat(count(store, "SELECT count(*) FROM runs WHERE status = 'succeeded'"))
                    .isEqualTo(runs.size() - failed);
            long toolCalls = all.stream()
                    .filter(e -> e instanceof AgentEvent.ToolCallCompleted)
                    .count();
            long toolErrors = all.stream()
                    .filter(e -> e instanceof AgentEvent.ToolCallCompleted c
                            && c.result() instanceof ai.auraison.contract.ToolResult.Error)
                    .count();
            assertThat(count(store, "SELECT count(*) FROM tool_calls")).isEqualTo(toolCalls);
            assertThat(count(
                            store,
                            "SELECT count(*) FROM tool_calls WHERE outcome = 'error' AND error_code = 'tool.timeout'"))
                    .isEqualTo(toolErrors);
            assertThat(count(store, "SELECT count(*) FROM tool_calls WHERE requested_ts IS NULL OR agent_id IS NULL"))
                    .isZero();
            assertThat(count(store, "SELECT count(*) FROM tool_calls_open")).isZero();
            BigDecimal cost = all.stream()
                    .filter(e -> e instanceof AgentEvent.ModelCallCompleted)
                    .map(e -> ((AgentEvent.ModelCallCompleted) e).costUsd())
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(decimal(store, "SELECT sum(cost_usd) FROM model_calls")).isEqualByComparingTo(cost);
            assertThat(decimal(store, "SELECT sum(cost_usd) FROM runs")).isEqualByComparingTo(cost);
            assertThat(count(store, "SELECT count(*) FROM policy_decisions"))
                    .isEqualTo(all.stream()
                            .filter(e -> e instanceof AgentEvent.PolicyDecided)
                            .count());
            assertThat(count(store, "SELECT sum(runs_started) FROM agent_health"))
                    .isEqualTo(runs.size());
            assertThat(count(store, "SELECT sum(tool_errors) FROM agent_health"))
                    .isEqualTo(toolErrors);
        }
    }

    @Test
    void emitsOneBatchProjectedPerBatchAndDomain() throws Exception {
        ListEventLog log = new ListEventLog();
        new RunScenarios(2).runs(10).forEach(r -> log.append(r.tenant(), r.events()));
        List<ProjectionEvent> emitted = new CopyOnWriteArrayList<>();
        try (MemoryStore store = MemoryStore.open(TestStores.embedded(dir))) {
            Projector projector = projector(store, log, 1_000, emitted);
            assertThat(projector.projectBatch()).isEqualTo(log.size());
        }
        assertThat(emitted)
                .allSatisfy(e -> assertThat(e).isInstanceOf(ProjectionEvent.BatchProjected.class))
                .extracting(ProjectionEvent::domain)
                .containsExactly(Domain.MEMORY, Domain.ORCHESTRATION, Domain.EXECUTION, Domain.GOVERNANCE);
        var memory = (ProjectionEvent.BatchProjected) emitted.getFirst();
        assertThat(memory.events()).isEqualTo(log.size());
        assertThat(memory.rows()).containsEntry("events", (long) log.size());
        assertThat(((ProjectionEvent.BatchProjected) emitted.get(2)).rows()).containsKeys("tool_calls", "model_calls");
    }

    @Test
    void resumesAfterItsCheckpointWhenReopened() throws Exception {
        ListEventLog log = new ListEventLog();
        RunScenarios scenarios = new RunScenarios(3);
        scenarios.runs(5).forEach(r -> log.append(r.tenant(), r.events()));
        try (MemoryStore store = MemoryStore.open(TestStores.embedded(dir));
                Projector first = projector(store, log, 10, new ArrayList<>())) {
            first.catchUp();
        }
        scenarios.runs(5).forEach(r -> log.append(r.tenant(), r.events()));
        try (MemoryStore store = MemoryStore.open(TestStores.embedded(dir));
                Projector projector = projector(store, log, 10, new ArrayList<>())) {
            projector.catchUp();
            assertThat(count(store, "SELECT count(*) FROM events")).isEqualTo(log.size());
            assertThat(count(store, "SELECT count(DISTINCT event_id) FROM events"))
                    .isEqualTo(log.size());
            assertThat(count(store, "SELECT count(*) FROM runs")).isEqualTo(10);
        }
    }

    @Test
    void leavesNoRowsWhenABatchFails() throws Exception {
        ListEventLog log = new ListEventLog();
        new RunScenarios(4).runs(3).forEach(r -> log.append(r.tenant(), r.events()));
        try (MemoryStore store = MemoryStore.open(TestStores.embedded(dir))) {
            List<ProjectionEvent> emitted = new ArrayList<>();
            Projector failing = new Projector(
                    store,
                    log,
                    Leadership.sole(),
                    new Projector.Options(1_000, 1_000, Duration.ofMillis(20), (point, batch) -> {
                        if (point == Projector.Point.CHECKPOINT_WRITTEN) throw new IllegalStateException("injected");
                    }),
                    MemoryMetrics.none(),
                    emitted::add);
            org.assertj.core.api.Assertions.assertThatThrownBy(failing::projectBatch)
                    .hasMessageContaining("injected");
            assertThat(emitted).singleElement().isInstanceOf(ProjectionEvent.ProjectionFailed.class);
            assertThat(count(store, "SELECT count(*) FROM events")).isZero();
            assertThat(failing.checkpoint()).isEqualTo(Checkpoint.START);
            failing.close();
        }
    }

    static long count(MemoryStore store, String sql) throws SQLException {
        try (Connection c = store.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    static BigDecimal decimal(MemoryStore store, String sql) throws SQLException {
        try (Connection c = store.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getBigDecimal(1);
        }
    }
}
