package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;

/**
 * The state of one run: a left fold of its {@link AgentEvent}s. It changes only through {@link #apply(AgentEvent)},
 * which enforces the per-run sequence and the lifecycle:
 *
 * <pre>
 * PENDING    --RunQueued--> QUEUED  --RunDispatched--> DISPATCHED --RunStarted--> RUNNING
 * PENDING|QUEUED --RunStarted--> RUNNING          (edge-local runs are never dispatched)
 * DISPATCHED|RUNNING --RunRequeued--> QUEUED      (lease lost, retried failure)
 * PENDING    --RunRejected--> REJECTED
 * any non-terminal --RunSucceeded|RunFailed|RunCancelled|RunExpired--> terminal
 * </pre>
 *
 * Other kinds (turns, messages, tool and model calls, policy decisions) keep the status; harness kinds require
 * {@code RUNNING}. Every event must carry {@code seq == lastSeq + 1}. Instances are immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunState(
        @NotNull RunId runId,
        @NotNull IntentId intentId,
        AgentId agentId,
        TreeRef treeRef,
        @NotNull RunStatus status,
        @Min(0) int attempt,
        @Min(0) long lastSeq,
        @NotNull Instant createdAt,
        @NotNull Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        Failure failure,

        @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
        String schemaVersion) {

    public RunState {
        if (runId == null || intentId == null || status == null || createdAt == null) {
            throw new IllegalArgumentException("runId, intentId, status and createdAt are required");
        }
        updatedAt = updatedAt == null ? createdAt : updatedAt;
        schemaVersion = schemaVersion == null ? SchemaVersions.CURRENT : schemaVersion;
    }

    /** A run that exists but has no events yet. */
    public static RunState pending(RunId runId, IntentId intentId, AgentId agentId, Instant createdAt) {
        return new RunState(
                runId, intentId, agentId, null, RunStatus.PENDING, 0, 0, createdAt, createdAt, null, null, null, null);
    }

    /**
     * The state after {@code event}. Throws {@link IllegalTransitionException} when the event does not belong to this
     * run, is out of sequence, or is not allowed in the current status; the state is then unchanged.
     */
    public RunState apply(AgentEvent event) {
        if (!event.runId().equals(runId)) {
            throw new IllegalTransitionException(
                    "event.wrong_run",
                    "event " + event.eventId() + " belongs to run " + event.runId() + ", not " + runId);
        }
        if (event.seq() != lastSeq + 1) {
            throw new IllegalTransitionException(
                    "event.out_of_order",
                    "run " + runId + " expects seq " + (lastSeq + 1) + " but event " + event.eventId() + " has seq "
                            + event.seq());
        }
        if (status.isTerminal()) {
            throw new IllegalTransitionException(
                    "run.finished", "run " + runId + " is " + status.wireName() + "; it takes no " + event.kind());
        }
        TreeRef tree = event.treeRef() != null ? event.treeRef() : treeRef;
        Instant at = event.ts();
        return switch (event) {
            case AgentEvent.RunQueued e -> {
                require(event, RunStatus.PENDING);
                yield next(RunStatus.QUEUED, e.agentId(), tree, attempt, at, startedAt, null, failure, e.seq());
            }
            case AgentEvent.RunRejected e -> {
                require(event, RunStatus.PENDING);
                yield next(RunStatus.REJECTED, agentId, tree, attempt, at, startedAt, at, e.failure(), e.seq());
            }
            case AgentEvent.RunDispatched e -> {
                require(event, RunStatus.QUEUED);
                yield next(RunStatus.DISPATCHED, e.agentId(), tree, e.attempt(), at, startedAt, null, failure, e.seq());
            }
            case AgentEvent.RunRequeued e -> {
                require(event, RunStatus.DISPATCHED, RunStatus.RUNNING);
                yield next(RunStatus.QUEUED, agentId, tree, attempt, at, startedAt, null, e.failure(), e.seq());
            }
            case AgentEvent.RunStarted e -> {
                require(event, RunStatus.PENDING, RunStatus.QUEUED, RunStatus.DISPATCHED);
                yield next(RunStatus.RUNNING, e.agentId(), tree, e.attempt(), at, at, null, null, e.seq());
            }
            case AgentEvent.RunSucceeded e ->
                next(RunStatus.SUCCEEDED, agentId, tree, attempt, at, startedAt, at, null, e.seq());
            case AgentEvent.RunFailed e ->
                next(RunStatus.FAILED, agentId, tree, attempt, at, startedAt, at, e.failure(), e.seq());
            case AgentEvent.RunCancelled e ->
                next(RunStatus.CANCELLED, agentId, tree, attempt, at, startedAt, at, failure, e.seq());
            case AgentEvent.RunExpired e ->
                next(RunStatus.EXPIRED, agentId, tree, attempt, at, startedAt, at, failure, e.seq());
            case AgentEvent.PolicyDecided e ->
                next(status, agentId, tree, attempt, at, startedAt, null, failure, e.seq());
            case AgentEvent.TurnStarted e -> harnessEvent(e, tree);
            case AgentEvent.TurnCompleted e -> harnessEvent(e, tree);
            case AgentEvent.MessageCompleted e -> harnessEvent(e, tree);
            case AgentEvent.ToolCallRequested e -> harnessEvent(e, tree);
            case AgentEvent.ToolCallCompleted e -> harnessEvent(e, tree);
            case AgentEvent.ModelCallCompleted e -> harnessEvent(e, tree);
        };
    }

    private RunState harnessEvent(AgentEvent event, TreeRef tree) {
        require(event, RunStatus.RUNNING);
        return next(status, agentId, tree, attempt, event.ts(), startedAt, null, failure, event.seq());
    }

    private void require(AgentEvent event, RunStatus... allowed) {
        for (RunStatus s : allowed) {
            if (s == status) return;
        }
        throw new IllegalTransitionException(
                "run.illegal_transition",
                "run " + runId + " is " + status.wireName() + "; it takes no " + event.kind());
    }

    private RunState next(
            RunStatus nextStatus,
            AgentId agent,
            TreeRef tree,
            int nextAttempt,
            Instant at,
            Instant started,
            Instant finished,
            Failure nextFailure,
            long seq) {
        return new RunState(
                runId,
                intentId,
                agent,
                tree,
                nextStatus,
                nextAttempt,
                seq,
                createdAt,
                at,
                started,
                finished,
                nextFailure,
                schemaVersion);
    }

    /** Thrown when an event cannot be applied to a run; {@code code} is stable, the message says why. */
    public static final class IllegalTransitionException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String code;

        public IllegalTransitionException(String code, String message) {
            super(message);
            this.code = code;
        }

        /** A stable code: {@code event.wrong_run}, {@code event.out_of_order}, {@code run.finished}, {@code run.illegal_transition}. */
        public String code() {
            return code;
        }
    }
}
