package ai.auraison.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunStateTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final String V = SchemaVersions.CURRENT;
    private final RunId run = RunId.random();
    private final IntentId intent = IntentId.of("maze-1");
    private final AgentId agent = AgentId.of("turtlebot-maze.edge-1");

    private Instant at(int s) {
        return T0.plusSeconds(s);
    }

    private AgentEvent queued(long seq) {
        return new AgentEvent.RunQueued(
                EventId.random(), run, seq, at(1), null, V, intent, agent, TenantId.of("acme"), 4, null);
    }

    private AgentEvent dispatched(long seq, int attempt) {
        return new AgentEvent.RunDispatched(EventId.random(), run, seq, at(2), null, V, agent, attempt, at(32));
    }

    private AgentEvent started(long seq, int attempt) {
        return new AgentEvent.RunStarted(
                EventId.random(), run, seq, at(3), new TreeRef("s-1", null), V, agent, intent, attempt, "pi", null);
    }

    private AgentEvent turn(long seq) {
        return new AgentEvent.TurnStarted(EventId.random(), run, seq, at(4), new TreeRef("s-1", "0000000a"), V, 1);
    }

    @Test
    void walksTheHappyPathFromPendingToSucceeded() {
        RunState s = RunState.pending(run, intent, null, T0)
                .apply(queued(1))
                .apply(dispatched(2, 1))
                .apply(started(3, 1))
                .apply(turn(4))
                .apply(new AgentEvent.RunSucceeded(EventId.random(), run, 5, at(9), null, V, "done", Map.of()));
        assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(s.lastSeq()).isEqualTo(5);
        assertThat(s.attempt()).isEqualTo(1);
        assertThat(s.agentId()).isEqualTo(agent);
        assertThat(s.treeRef()).isEqualTo(new TreeRef("s-1", "0000000a"));
        assertThat(s.startedAt()).isEqualTo(at(3));
        assertThat(s.finishedAt()).isEqualTo(at(9));
    }

    @Test
    void startsEdgeLocalRunsWithoutDispatch() {
        RunState s = RunState.pending(run, intent, agent, T0).apply(started(1, 1));
        assertThat(s.status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void requeuesAfterALostLeaseAndCountsTheNextAttempt() {
        RunState s = RunState.pending(run, intent, null, T0).apply(queued(1)).apply(dispatched(2, 1));
        s = s.apply(new AgentEvent.RunRequeued(
                EventId.random(), run, 3, at(40), null, V, new Failure("lease.lost", "expired"), null));
        assertThat(s.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(s.failure().code()).isEqualTo("lease.lost");
        s = s.apply(dispatched(4, 2)).apply(started(5, 2));
        assertThat(s.attempt()).isEqualTo(2);
        assertThat(s.failure()).isNull();
    }

    @Test
    void refusesAnOutOfOrderEventAndStaysUnchanged() {
        RunState s = RunState.pending(run, intent, null, T0).apply(queued(1));
        assertThatThrownBy(() -> s.apply(dispatched(3, 1)))
                .isInstanceOf(RunState.IllegalTransitionException.class)
                .hasMessageContaining("expects seq 2")
                .extracting(e -> ((RunState.IllegalTransitionException) e).code())
                .isEqualTo("event.out_of_order");
        assertThat(s.status()).isEqualTo(RunStatus.QUEUED);
    }

    @Test
    void refusesHarnessEventsBeforeTheRunStarted() {
        RunState s = RunState.pending(run, intent, null, T0).apply(queued(1));
        assertThatThrownBy(() -> s.apply(turn(2)))
                .isInstanceOf(RunState.IllegalTransitionException.class)
                .hasMessageContaining("queued")
                .hasMessageContaining("TurnStarted");
    }

    @Test
    void refusesEveryEventAfterTheRunFinished() {
        RunState s = RunState.pending(run, intent, agent, T0)
                .apply(started(1, 1))
                .apply(new AgentEvent.RunCancelled(EventId.random(), run, 2, at(5), null, V, "operator@acme", "stop"));
        assertThatThrownBy(() -> s.apply(turn(3)))
                .extracting(e -> ((RunState.IllegalTransitionException) e).code())
                .isEqualTo("run.finished");
    }

    @Test
    void refusesAnEventOfAnotherRun() {
        RunState other = RunState.pending(RunId.random(), intent, agent, T0);
        assertThatThrownBy(() -> other.apply(queued(1)))
                .extracting(e -> ((RunState.IllegalTransitionException) e).code())
                .isEqualTo("event.wrong_run");
    }

    @Test
    void rejectsAtAdmission() {
        RunState s = RunState.pending(run, intent, null, T0)
                .apply(new AgentEvent.PolicyDecided(
                        EventId.random(),
                        run,
                        1,
                        at(1),
                        null,
                        V,
                        PolicySubjectKind.INTENT,
                        "maze-1",
                        PolicyEffect.DENY,
                        "admission.targets",
                        "unknown agent",
                        false))
                .apply(new AgentEvent.RunRejected(
                        EventId.random(),
                        run,
                        2,
                        at(1),
                        null,
                        V,
                        intent,
                        new Failure("admission.unknown_target", "unknown agent")));
        assertThat(s.status()).isEqualTo(RunStatus.REJECTED);
        assertThat(s.status().isTerminal()).isTrue();
    }
}
