package ai.auraison.orchestration.internal;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.EventId;
import ai.auraison.contract.IntentId;
import ai.auraison.contract.RunId;
import ai.auraison.contract.RunState;
import ai.auraison.platform.ProblemException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongFunction;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs and their events: the event log of record ({@code orchestration.run_events}) and the run state derived from
 * it. A run's state changes only by applying events in {@code seq} order ({@link RunState#apply}) under a row lock,
 * in the same transaction that appends them; duplicates (same {@code eventId}) are accepted and ignored.
 */
final class RunLog {

    /** What happened to one ingested event. */
    record Outcome(EventId eventId, String status, long seq, String code, String detail, Long expectedSeq) {

        static Outcome accepted(AgentEvent e) {
            return new Outcome(e.eventId(), "accepted", e.seq(), null, null, null);
        }

        static Outcome duplicate(AgentEvent e) {
            return new Outcome(e.eventId(), "duplicate", e.seq(), null, null, null);
        }

        static Outcome rejected(AgentEvent e, String code, String detail, Long expected) {
            return new Outcome(e.eventId(), "rejected", e.seq(), code, detail, expected);
        }

        boolean ok() {
            return !"rejected".equals(status);
        }
    }

    /** A run that an edge started on its own, declared so that its events can be ingested. */
    record Declaration(RunId runId, IntentId intentId, AgentId agentId, String tenant) {}

    /** A run row: its state and the facts around it. */
    record Run(RunState state, String tenant, String origin) {}

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate tx;
    private final Signals signals;

    RunLog(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate tx, Signals signals) {
        this.jdbc = jdbc;
        this.template = template;
        this.tx = tx;
        this.signals = signals;
    }

    /** Inserts a run row with {@code state}; inside the caller's transaction. */
    void insert(RunState state, String tenant, String origin) {
        jdbc.sql(
                        "INSERT INTO orchestration.runs (run_id, intent_id, tenant, agent_id, origin, status, last_seq, state, "
                                + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)")
                .params(
                        state.runId().value(),
                        state.intentId().value(),
                        tenant,
                        state.agentId() == null ? null : state.agentId().value(),
                        origin,
                        state.status().wireName(),
                        state.lastSeq(),
                        ContractJson.write(state),
                        Timestamp.from(state.createdAt()),
                        Timestamp.from(state.updatedAt()))
                .update();
    }

    /** Locks a run for update; inside the caller's transaction. */
    Optional<Run> lock(RunId runId) {
        return jdbc.sql("SELECT state, tenant, origin FROM orchestration.runs WHERE run_id = ? FOR UPDATE")
                .param(runId.value())
                .query(RunLog::mapRun)
                .optional();
    }

    Optional<Run> find(RunId runId) {
        return jdbc.sql("SELECT state, tenant, origin FROM orchestration.runs WHERE run_id = ?")
                .param(runId.value())
                .query(RunLog::mapRun)
                .optional();
    }

    Run get(RunId runId) {
        return find(runId).orElseThrow(() -> ProblemException.notFound("run", runId));
    }

    /**
     * Appends central-made events to a locked run, each built from its sequence number; inside the caller's
     * transaction. Returns the new state.
     */
    RunState appendNew(Run run, List<LongFunction<AgentEvent>> builders) {
        RunState state = run.state();
        List<AgentEvent> events = new ArrayList<>(builders.size());
        for (LongFunction<AgentEvent> b : builders) {
            AgentEvent e = b.apply(state.lastSeq() + 1);
            state = state.apply(e);
            events.add(e);
        }
        write(state, events);
        return state;
    }

    /** Locks the run and appends central-made events in a new transaction of their own (or the caller's). */
    RunState appendNew(RunId runId, List<LongFunction<AgentEvent>> builders) {
        return tx.execute(status -> {
            Run run = lock(runId).orElseThrow(() -> ProblemException.notFound("run", runId));
            return appendNew(run, builders);
        });
    }

    /**
     * Ingests events of one run produced elsewhere (an edge), in {@code seq} order, in one transaction. Stops at the
     * first event that cannot be applied; later events of the run are rejected as out of order. A run unknown here is
     * created from {@code declaration} when one is given. With a {@code scope} (the caller's tenant), a run of another
     * tenant, or a declaration naming one, is answered as not found — checked on the locked row, in the same
     * transaction. Returns one outcome per event, in the order given.
     */
    List<Outcome> ingest(RunId runId, List<AgentEvent> events, Declaration declaration, Optional<String> scope) {
        List<Integer> order = java.util.stream.IntStream.range(0, events.size())
                .boxed()
                .sorted(java.util.Comparator.comparingLong(i -> events.get(i).seq()))
                .toList();
        List<AgentEvent> sorted = order.stream().map(events::get).toList();
        List<Outcome> bySeq = applyInOrder(runId, sorted, declaration, scope);
        Outcome[] aligned = new Outcome[events.size()];
        for (int k = 0; k < order.size(); k++) aligned[order.get(k)] = bySeq.get(k);
        return List.of(aligned);
    }

    private List<Outcome> applyInOrder(
            RunId runId, List<AgentEvent> sorted, Declaration declaration, Optional<String> scope) {
        return tx.execute(status -> {
            Optional<Run> locked = lock(runId);
            boolean declaredInScope = declaration != null
                    && scope.map(declaration.tenant()::equals).orElse(true);
            if (locked.isEmpty() && declaredInScope) {
                insert(
                        RunState.pending(runId, declaration.intentId(), declaration.agentId(), Instant.now()),
                        declaration.tenant(),
                        "edge");
                locked = lock(runId);
            }
            List<Outcome> outcomes = new ArrayList<>(sorted.size());
            if (locked.isPresent()
                    && scope.isPresent()
                    && !locked.get().tenant().equals(scope.get())) {
                for (AgentEvent e : sorted) outcomes.add(Outcome.rejected(e, "run-not-found", "no run " + runId, null));
                return outcomes;
            }
            if (locked.isEmpty()) {
                for (AgentEvent e : sorted) {
                    outcomes.add(Outcome.rejected(
                            e,
                            "run-not-found",
                            "no run " + runId + "; an edge-started run must be declared in the batch's runs[] first",
                            null));
                }
                return outcomes;
            }
            Set<UUID> known = existing(sorted);
            RunState state = locked.get().state();
            List<AgentEvent> fresh = new ArrayList<>();
            boolean broken = false;
            for (AgentEvent e : sorted) {
                if (known.contains(e.eventId().value())) {
                    outcomes.add(Outcome.duplicate(e));
                    continue;
                }
                if (broken) {
                    outcomes.add(Outcome.rejected(
                            e,
                            "event-out-of-order",
                            "an earlier event of run " + runId + " in this request was rejected",
                            state.lastSeq() + 1));
                    continue;
                }
                try {
                    state = state.apply(e);
                    fresh.add(e);
                    known.add(e.eventId().value());
                    outcomes.add(Outcome.accepted(e));
                } catch (RunState.IllegalTransitionException ex) {
                    broken = true;
                    outcomes.add(Outcome.rejected(
                            e,
                            ex.code().replace('.', '-').replace('_', '-'),
                            ex.getMessage(),
                            "event.out_of_order".equals(ex.code()) ? state.lastSeq() + 1 : null));
                }
            }
            if (!fresh.isEmpty()) write(state, fresh);
            return outcomes;
        });
    }

    /** Events of a run after {@code afterSeq}, in order. */
    List<AgentEvent> events(RunId runId, long afterSeq, int limit) {
        return jdbc.sql("SELECT body FROM orchestration.run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?")
                .params(runId.value(), afterSeq, limit)
                .query((rs, i) -> ContractJson.read(rs.getString(1), AgentEvent.class))
                .list();
    }

    private Set<UUID> existing(List<AgentEvent> events) {
        UUID[] ids = events.stream().map(e -> e.eventId().value()).toArray(UUID[]::new);
        return new HashSet<>(jdbc.sql("SELECT event_id FROM orchestration.run_events WHERE event_id = ANY(?)")
                .param(ids)
                .query(UUID.class)
                .list());
    }

    private void write(RunState state, List<AgentEvent> events) {
        template.batchUpdate(
                "INSERT INTO orchestration.run_events (event_id, run_id, seq, kind, ts, body) VALUES (?, ?, ?, ?, ?, ?::jsonb)",
                events.stream()
                        .map(e -> new Object[] {
                            e.eventId().value(),
                            e.runId().value(),
                            e.seq(),
                            e.kind(),
                            Timestamp.from(e.ts()),
                            ContractJson.write(e)
                        })
                        .toList());
        jdbc.sql(
                        "UPDATE orchestration.runs SET status = ?, last_seq = ?, state = ?::jsonb, agent_id = ?, updated_at = ? "
                                + "WHERE run_id = ?")
                .params(
                        state.status().wireName(),
                        state.lastSeq(),
                        ContractJson.write(state),
                        state.agentId() == null ? null : state.agentId().value(),
                        Timestamp.from(state.updatedAt()),
                        state.runId().value())
                .update();
        if (state.status().isTerminal()) {
            String work = switch (state.status()) {
                case CANCELLED -> "cancelled";
                case EXPIRED -> "expired";
                default -> "done";
            };
            // the lease id stays, so that a heartbeat can tell the agent what became of its lease
            jdbc.sql("UPDATE orchestration.work_items SET status = ?, lease_expires_at = NULL, "
                            + "updated_at = now() WHERE run_id = ? AND status IN ('ready', 'leased')")
                    .params(work, state.runId().value())
                    .update();
        }
        signals.publish(Signals.RUNS, state.runId().toString());
    }

    static Run mapRun(ResultSet rs, int row) throws SQLException {
        return new Run(
                ContractJson.read(rs.getString("state"), RunState.class),
                rs.getString("tenant"),
                rs.getString("origin"));
    }
}
