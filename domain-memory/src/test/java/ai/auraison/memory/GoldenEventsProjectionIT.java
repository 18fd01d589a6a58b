package ai.auraison.memory;

import static ai.auraison.memory.ProjectorIT.count;
import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.ContractJson;
import ai.auraison.memory.spi.Checkpoint;
import ai.auraison.memory.spi.Leadership;
import ai.auraison.memory.spi.LoggedEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The projection reads the contract's wire form: every golden AgentEvent sample of the contract (one per kind)
 * projects, and the fields the tables take from the JSON are the ones the Java records hold. A renamed contract field
 * fails here.
 */
class GoldenEventsProjectionIT {

    @TempDir
    Path dir;

    @Test
    void projectsTheGoldenSampleOfEveryEventKindWithTheContractsFieldValues() throws Exception {
        Path golden = Path.of("../runtime-contract/src/test/resources/golden/agent-event");
        List<LoggedEvent> entries = new ArrayList<>();
        List<AgentEvent> events = new ArrayList<>();
        try (Stream<Path> files = Files.list(golden)) {
            for (Path f : files.sorted().toList()) {
                String json = Files.readString(f);
                AgentEvent e = ContractJson.read(json, AgentEvent.class);
                events.add(e);
                // each sample stands alone: give it a run and an id of its own
                entries.add(new LoggedEvent(
                        new Checkpoint(1, entries.size() + 1),
                        "acme",
                        java.util.UUID.randomUUID(),
                        new java.util.UUID(0, entries.size() + 1),
                        e.seq(),
                        e.kind(),
                        e.ts(),
                        json));
            }
        }
        assertThat(events).extracting(AgentEvent::kind).contains("ToolCallCompleted", "ModelCallCompleted");
        EventLogSourceOfList source = new EventLogSourceOfList(entries);
        try (MemoryStore store = MemoryStore.open(TestStores.embedded(dir));
                Projector projector = new Projector(
                        store,
                        source,
                        Leadership.sole(),
                        new Projector.Options(1_000, 1_000, Duration.ofMillis(20), null),
                        MemoryMetrics.none(),
                        null)) {
            assertThat(projector.catchUp()).isEqualTo(entries.size());
            assertThat(count(store, "SELECT count(*) FROM events")).isEqualTo(entries.size());
            for (AgentEvent e : events) {
                switch (e) {
                    case AgentEvent.ModelCallCompleted m ->
                        assertThat(row(
                                        store,
                                        "SELECT model, virtual_model, provider, tokens_in, tokens_out, cost_usd, ttft_ms,"
                                                + " latency_ms, cache_hit, retries, fallback_used FROM model_calls"))
                                .containsExactly(
                                        m.model(),
                                        m.virtualModel(),
                                        m.provider(),
                                        Long.toString(m.tokensIn()),
                                        Long.toString(m.tokensOut()),
                                        m.costUsd().setScale(8).toPlainString(),
                                        String.valueOf(m.ttftMs()),
                                        Long.toString(m.latencyMs()),
                                        Boolean.toString(m.cacheHit()),
                                        Integer.toString(m.retries()),
                                        Boolean.toString(m.fallbackUsed()));
                    case AgentEvent.ToolCallCompleted t ->
                        assertThat(row(store, "SELECT tool_call_id, tool, duration_ms, outcome FROM tool_calls"))
                                .containsExactly(
                                        t.toolCallId().value(),
                                        t.tool(),
                                        Long.toString(t.durationMs()),
                                        t.result() instanceof ai.auraison.contract.ToolResult.Error
                                                ? "error"
                                                : "output");
                    case AgentEvent.PolicyDecided p ->
                        assertThat(
                                        row(
                                                store,
                                                "SELECT subject, subject_ref, effect, rule, reason, degraded FROM policy_decisions"))
                                .containsExactly(
                                        ContractJson.tree(p).get("subject").asString(),
                                        p.subjectRef(),
                                        ContractJson.tree(p).get("effect").asString(),
                                        p.rule(),
                                        p.reason(),
                                        Boolean.toString(p.degraded()));
                    case AgentEvent.RunQueued q ->
                        assertThat(row(
                                        store,
                                        "SELECT intent_id, agent_id, status FROM runs WHERE run_id = '"
                                                + entries.get(events.indexOf(e)).runId() + "'"))
                                .containsExactly(
                                        q.intentId().value(), q.agentId().value(), "queued");
                    case AgentEvent.RunFailed f ->
                        assertThat(row(
                                        store,
                                        "SELECT status, failure_code FROM runs WHERE run_id = '"
                                                + entries.get(events.indexOf(e)).runId() + "'"))
                                .containsExactly("failed", f.failure().code());
                    default -> {
                        // kinds that only land in events (and in runs' counters)
                    }
                }
            }
        }
    }

    private static List<String> row(MemoryStore store, String sql) throws Exception {
        try (Connection c = store.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            assertThat(r.next()).as(sql).isTrue();
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) out.add(r.getString(i));
            assertThat(r.next()).as("one row of " + sql).isFalse();
            return out;
        }
    }

    private record EventLogSourceOfList(List<LoggedEvent> entries) implements ai.auraison.memory.spi.EventLogSource {
        @Override
        public List<LoggedEvent> readAfter(Checkpoint after, int max) {
            return entries.stream()
                    .filter(e -> e.at().compareTo(after) > 0)
                    .limit(max)
                    .toList();
        }
    }
}
