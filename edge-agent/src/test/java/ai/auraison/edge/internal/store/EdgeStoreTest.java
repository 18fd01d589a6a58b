package ai.auraison.edge.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.RunId;
import ai.auraison.contract.RunState;
import ai.auraison.testfixtures.ContractFixtures;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The edge's DuckDB store (a real DuckDB file): appends commit in groups, in order, durably; one bad write in a group
 * commit fails alone while the others of its group are written one by one, with gap-free positions.
 */
class EdgeStoreTest {

    private static List<AgentEvent> events(RunId run, int turns) {
        var stream = ContractFixtures.eventsOf(run)
                .started(AgentId.of("turtlebot-maze.edge"), ContractFixtures.anyIntentId());
        for (int t = 1; t <= turns; t++) stream.turn(t);
        return stream.build();
    }

    private static RunState pending(RunId run) {
        return RunState.pending(run, ContractFixtures.anyIntentId(), AgentId.of("turtlebot-maze.edge"), Instant.now());
    }

    @Test
    void aRepeatedEventFailsAloneAndTheRestOfItsGroupCommitIsWrittenInOrderWithoutGaps() throws Exception {
        Path file = Files.createTempDirectory("edge-store").resolve("edge.duckdb");
        Logger storeLog = (Logger) LoggerFactory.getLogger(EdgeStore.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        storeLog.addAppender(logged);
        List<AgentEvent> stored = new ArrayList<>();
        try (EdgeStore store = new EdgeStore(file)) {
            // a burst queued without waiting is committed in groups; the repeat almost always lands inside one, and
            // another burst follows until the group commit's fallback has been seen
            for (int round = 0; round < 10 && !fellBackOneByOne(logged); round++) {
                RunId run = RunId.random();
                List<AgentEvent> events = events(run, 299);
                RunState state = pending(run);
                List<CompletableFuture<Long>> appended = new ArrayList<>();
                for (int i = 0; i < 150; i++) appended.add(store.append(events.get(i), state, "acme", "edge"));
                CompletableFuture<Long> repeated = store.append(events.get(10), state, "acme", "edge");
                for (int i = 150; i < events.size(); i++)
                    appended.add(store.append(events.get(i), state, "acme", "edge"));

                long first = stored.size() + 1;
                assertThat(appended.stream().map(CompletableFuture::join).toList())
                        .containsExactlyElementsOf(
                                LongStream.range(first, first + 300).boxed().toList());
                assertThatThrownBy(repeated::join).isInstanceOf(CompletionException.class);
                stored.addAll(events);
            }
        } finally {
            storeLog.detachAppender(logged);
        }
        assertThat(fellBackOneByOne(logged))
                .as("a group commit fell back to one by one")
                .isTrue();

        try (EdgeStore reopened = new EdgeStore(file)) {
            List<EdgeStore.LogRow> log = reopened.log(0, 10_000);
            assertThat(log)
                    .extracting(EdgeStore.LogRow::position)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, stored.size()).boxed().toList());
            assertThat(log)
                    .extracting(EdgeStore.LogRow::eventId)
                    .containsExactlyElementsOf(
                            stored.stream().map(e -> e.eventId().value()).toList());
            // each event's own time, as central's log keeps it (the projection's timeline), not when it was stored
            assertThat(log)
                    .extracting(EdgeStore.LogRow::ts)
                    .containsExactlyElementsOf(
                            stored.stream().map(AgentEvent::ts).toList());
            assertThat(reopened.pending(10_000)).hasSize(stored.size());
            // positions go on after the last stored one
            RunId next = RunId.random();
            assertThat(reopened.append(events(next, 0).getFirst(), pending(next), "acme", "edge")
                            .join())
                    .isEqualTo(stored.size() + 1);
        }
    }

    private static boolean fellBackOneByOne(ListAppender<ILoggingEvent> logged) {
        return logged.list.stream().anyMatch(e -> e.getFormattedMessage().contains("writing them one by one"));
    }

    @Test
    void listsRunsNewestFirstByStatusPageByPageAndFindsTheUnfinishedAndTheirSessions() throws Exception {
        Path file = Files.createTempDirectory("edge-store").resolve("edge.duckdb");
        Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
        List<RunId> runs = new ArrayList<>();
        try (EdgeStore store = new EdgeStore(file)) {
            for (int i = 0; i < 5; i++) {
                RunId run = RunId.random();
                runs.add(run);
                List<AgentEvent> events = events(run, 1);
                RunState state = RunState.pending(
                        run, ContractFixtures.anyIntentId(), AgentId.of("turtlebot-maze.edge"), t0.plusSeconds(i));
                for (AgentEvent e : events) {
                    state = state.apply(e);
                    store.append(e, state, "acme", "edge").join();
                }
                if (i % 2 == 0) {
                    AgentEvent done = new AgentEvent.RunSucceeded(
                            ai.auraison.contract.EventId.random(),
                            run,
                            state.lastSeq() + 1,
                            Instant.now(),
                            state.treeRef(),
                            state.schemaVersion(),
                            "done",
                            java.util.Map.of());
                    state = state.apply(done);
                    store.append(done, state, "acme", "edge").join();
                }
                store.saveSession(run, "/sessions/" + i + ".jsonl");
            }
            // the session files are written with the next writes: one more append flushes them
            RunId last = RunId.random();
            store.append(events(last, 0).getFirst(), pending(last), "acme", "edge")
                    .join();

            List<RunId> page1 = ids(store.runs(2, "succeeded", null, null));
            assertThat(page1).containsExactly(runs.get(4), runs.get(2));
            EdgeStore.ListedRun after = store.runs(2, "succeeded", null, null).getLast();
            assertThat(ids(store.runs(
                            2,
                            "succeeded",
                            after.createdAt(),
                            after.run().state().runId().value())))
                    .containsExactly(runs.get(0));
            assertThat(ids(store.runs(10, "running", null, null))).containsExactly(runs.get(3), runs.get(1));
            assertThat(store.unfinished())
                    .extracting(r -> r.state().runId())
                    .containsExactlyInAnyOrder(runs.get(1), runs.get(3), last);
            assertThat(store.sessions()).hasSize(5).containsValue("/sessions/3.jsonl");
        }
    }

    @Test
    void aStoreWrittenBeforeTheStatusColumnsGainsThemFilledFromTheStoredStates() throws Exception {
        Path file = Files.createTempDirectory("edge-store").resolve("edge.duckdb");
        RunId run = RunId.random();
        RunState running = pending(run);
        for (AgentEvent e : events(run, 1)) running = running.apply(e);
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file);
                var st = c.createStatement()) {
            // the runs table as the first release created it
            st.execute("CREATE TABLE runs (run_id UUID PRIMARY KEY, tenant VARCHAR NOT NULL, origin VARCHAR NOT NULL, "
                    + "state VARCHAR NOT NULL, session_file VARCHAR, updated_at TIMESTAMP NOT NULL)");
            try (var ps = c.prepareStatement("INSERT INTO runs VALUES (?, 'acme', 'edge', ?, '/s/old.jsonl', now())")) {
                ps.setObject(1, run.value());
                ps.setString(2, ai.auraison.contract.ContractJson.write(running));
                ps.executeUpdate();
            }
        }
        Instant created = running.createdAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        try (EdgeStore store = new EdgeStore(file)) {
            assertThat(store.unfinished()).extracting(r -> r.state().runId()).containsExactly(run);
            assertThat(store.sessions()).containsEntry(running.treeRef().sessionId(), "/s/old.jsonl");
            assertThat(store.runs(10, "running", null, null))
                    .singleElement()
                    .satisfies(r -> assertThat(r.createdAt()).isEqualTo(created));
        }
    }

    private static List<RunId> ids(List<EdgeStore.ListedRun> rows) {
        return rows.stream().map(r -> r.run().state().runId()).toList();
    }
}
