package ai.auraison.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The event log as tailers read it: no entry of a transaction that commits late is ever skipped. */
class EventLogIT extends OrchestrationITBase {

    @Autowired
    EventLog eventLog;

    @Test
    void holdsBackLaterTransactionsUntilAnEarlierOneCommitsAndThenReturnsBothInOrder() throws Exception {
        EventLog.Entry last = tail();
        long txId = last == null ? 0 : last.txId();
        long position = last == null ? 0 : last.position();
        UUID early = UUID.randomUUID();
        UUID late = UUID.randomUUID();
        try (Connection slow = DB.connect();
                Connection fast = DB.connect()) {
            slow.setAutoCommit(false);
            insertRunWithEvent(slow, early, "tenant-early");
            insertRunWithEvent(fast, late, "tenant-late"); // autocommit: commits now, after slow began writing

            assertThat(eventLog.readAfter(txId, position, 1000))
                    .extracting(EventLog.Entry::runId)
                    .doesNotContain(early, late);

            slow.commit();
        }
        List<EventLog.Entry> after = eventLog.readAfter(txId, position, 1000);
        List<UUID> runs = after.stream()
                .map(EventLog.Entry::runId)
                .filter(r -> r.equals(early) || r.equals(late))
                .toList();
        assertThat(runs).containsExactly(early, late);
        EventLog.Entry first =
                after.stream().filter(e -> e.runId().equals(early)).findFirst().orElseThrow();
        assertThat(first.tenant()).isEqualTo("tenant-early");
        assertThat(first.kind()).isEqualTo("RunStarted");
        assertThat(first.body()).contains("\"kind\"");
        assertThat(after.stream().map(e -> List.of(e.txId(), e.position())).toList())
                .isSortedAccordingTo((a, b) -> a.get(0).equals(b.get(0))
                        ? Long.compare(a.get(1), b.get(1))
                        : Long.compare(a.get(0), b.get(0)));
    }

    private EventLog.Entry tail() {
        EventLog.Entry last = null;
        List<EventLog.Entry> page;
        long tx = 0;
        long pos = 0;
        while (!(page = eventLog.readAfter(tx, pos, 1000)).isEmpty()) {
            last = page.getLast();
            tx = last.txId();
            pos = last.position();
        }
        return last;
    }

    private static void insertRunWithEvent(Connection c, UUID runId, String tenant) throws Exception {
        try (PreparedStatement run = c.prepareStatement(
                "INSERT INTO orchestration.runs (run_id, intent_id, tenant, origin, status, last_seq, state, created_at,"
                        + " updated_at) VALUES (?, 'it', ?, 'edge', 'running', 1, '{}'::jsonb, now(), now())")) {
            run.setObject(1, runId);
            run.setString(2, tenant);
            run.executeUpdate();
        }
        try (PreparedStatement event =
                c.prepareStatement("INSERT INTO orchestration.run_events (event_id, run_id, seq, kind, ts, body) "
                        + "VALUES (?, ?, 1, 'RunStarted', now(), ?::jsonb)")) {
            event.setObject(1, UUID.randomUUID());
            event.setObject(2, runId);
            event.setString(3, "{\"kind\": \"RunStarted\"}");
            event.executeUpdate();
        }
    }
}
