package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * Something that happened in a run: the single event model of both runtimes. Pi events (edge) and Claude Managed
 * Agent session events (central) are both mapped into it, and the event log of record is a sequence of these.
 *
 * <p>Every event carries the envelope {@code eventId} (the de-duplication key), {@code runId}, {@code seq} (1, 2, …
 * without gaps within a run), {@code ts}, an optional {@code treeRef} into the harness session tree and the
 * {@code schemaVersion}; the JSON form names the kind in {@code kind}. A {@link RunState} changes only by applying
 * these events in {@code seq} order.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AgentEvent.RunQueued.class, name = "RunQueued"),
    @JsonSubTypes.Type(value = AgentEvent.RunRejected.class, name = "RunRejected"),
    @JsonSubTypes.Type(value = AgentEvent.RunDispatched.class, name = "RunDispatched"),
    @JsonSubTypes.Type(value = AgentEvent.RunRequeued.class, name = "RunRequeued"),
    @JsonSubTypes.Type(value = AgentEvent.RunStarted.class, name = "RunStarted"),
    @JsonSubTypes.Type(value = AgentEvent.TurnStarted.class, name = "TurnStarted"),
    @JsonSubTypes.Type(value = AgentEvent.TurnCompleted.class, name = "TurnCompleted"),
    @JsonSubTypes.Type(value = AgentEvent.MessageCompleted.class, name = "MessageCompleted"),
    @JsonSubTypes.Type(value = AgentEvent.ToolCallRequested.class, name = "ToolCallRequested"),
    @JsonSubTypes.Type(value = AgentEvent.ToolCallCompleted.class, name = "ToolCallCompleted"),
    @JsonSubTypes.Type(value = AgentEvent.ModelCallCompleted.class, name = "ModelCallCompleted"),
    @JsonSubTypes.Type(value = AgentEvent.PolicyDecided.class, name = "PolicyDecided"),
    @JsonSubTypes.Type(value = AgentEvent.RunSucceeded.class, name = "RunSucceeded"),
    @JsonSubTypes.Type(value = AgentEvent.RunFailed.class, name = "RunFailed"),
    @JsonSubTypes.Type(value = AgentEvent.RunCancelled.class, name = "RunCancelled"),
    @JsonSubTypes.Type(value = AgentEvent.RunExpired.class, name = "RunExpired")
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface AgentEvent {

    EventId eventId();

    RunId runId();

    long seq();

    Instant ts();

    TreeRef treeRef();

    String schemaVersion();

    /** The wire name of this event's kind, as in its {@code kind} property. */
    @JsonIgnore
    default String kind() {
        return getClass().getSimpleName();
    }

    /** Whether this event ends its run. */
    @JsonIgnore
    default boolean isTerminal() {
        return this instanceof RunSucceeded
                || this instanceof RunFailed
                || this instanceof RunCancelled
                || this instanceof RunExpired
                || this instanceof RunRejected;
    }

    /** Admission accepted the intent and queued the run for {@code agentId}. */
    record RunQueued(
            @NotNull EventId eventId,
            @NotNull RunId runId,
            @Min(1) long seq,
            @NotNull Instant ts,
            TreeRef treeRef,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @NotNull IntentId intentId,
            @NotNull AgentId agentId,
            @NotNull TenantId tenant,
            @Min(0) int priority,
            Instant deadline)
            implements AgentEvent {}

    /** Admission refused the intent; {@code failure} names the rule. */
    record RunRejected(
            @NotNull EventId eventId,
            @NotNull RunId runId,
            @Min(1) long seq,
            @NotNull Instant ts,
            TreeRef treeRef,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @NotNull IntentId intentId,
            @NotNull Failure failure)
            implements AgentEvent {}

    /** The run was leased to {@code agentId} for attempt {@code attempt}, until {@code leaseExpiresAt}. */
    record RunDispatched(
            @NotNull EventId eventId,
            @NotNull RunId runId,
            @Min(1) long seq,
            @NotNull Instant ts,
            TreeRef treeRef,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @NotNull AgentId agentId,
            @Min(1) int attempt,
            @NotNull Instant leaseExpiresAt)
            implements AgentEvent {}

    /** The run went back to its queue (a lost lease or a retried failure); {@code failure} says why. */
    record RunRequeued(
            @NotNull EventId eventId,
            @NotNull RunId runId,
            @Min(1) long seq,
            @NotNull Instant ts,
            TreeRef treeRef,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @NotNull Failure failure,
            Instant notBefore)
            implements AgentEvent {}

    /**
     * The harness started the run: {@code harness} names it ({@code pi}, {@code cma}); {@code forkedFrom} is the tree
     * entry it was forked from, if any.
     */
    record RunStarted(
            @NotNull EventId eventId,
            @NotNull RunId runId,
            @Min(1) long seq,
            @NotNull Instant ts,
            TreeRef treeRef,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @NotNull AgentId agentId,
            @NotNull IntentId intentId,
            @Min(1) int attempt,

            @NotNull @Pattern(regexp = "^[a-z][a-z0-9-]{0,31}$")
            String harness,

            TreeRef forkedFrom)
            implements AgentEvent {}

    /** A model turn began (turns count from 1 within a run). */
    record TurnStarted(
            @NotNull EventId eventId,
            @NotNull RunId runId,
            @Min(1) long seq,
            @NotNull Instant ts,
            TreeRef treeRef,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @Min(1) int turn)
            implements AgentEvent {}

    /** A model turn ended, after its tool calls (if any) returned. */
    record TurnCompleted(
            @NotNull EventId eventId,
            @NotNull RunId runId,
            @Min(1) long seq,
            @NotNull Instant ts,
            TreeRef treeRef,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @Min(1) int turn,
            @Min(0) int toolCalls)
            implements AgentEvent {}

    /**
     * A whole message was recorded: {@code role} is {@code user}, {@code assistant} or {@code system}; {@code text} is
     * its text content; {@code stopReason} for assistant messages ({@code stop}, {@code toolUse}, {@code length},
     * {@code error}, {@code aborted}).
     */
    record MessageCompleted(
            @NotNull EventId eventId,
            @NotNull RunId runId,
            @Min(1) long seq,
            @NotNull Instant ts,
            TreeRef treeRef,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @NotNull @Pattern(regexp = "^(user|assistant|system)$")
            String role,

            @NotNull @Size(max = 1048576) String text,
            String stopReason)
            implements AgentEvent {}

    /** The model asked for a tool call. */
    record ToolCallRequested(
            @NotNull EventId eventId,
            @NotNull RunId runId,
            @Min(1) long seq,
            @NotNull Instant ts,
            TreeRef treeRef,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @NotNull ToolCallId toolCallId,
            @NotNull @Size(min = 1, max = 64) String tool,
            @NotNull Map<String, Object> input)
            implements AgentEvent {}

    /** A tool call finished, with an output or an error, after {@code durationMs}. */
    record ToolCallCompleted(
            @NotNull EventId eventId,
            @NotNull RunId runId,
            @Min(1) long seq,
            @NotNull Instant ts,
            TreeRef treeRef,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @NotNull ToolCallId toolCallId,
            @NotNull @Size(min = 1, max = 64) String tool,
            @NotNull ToolResult result,
            @Min(0) long durationMs)
            implements AgentEvent {}

    /**
     * A model call finished: the virtual model asked for, the model and provider that served it, token counts, cost
     * in US dollars, time to first token and total latency, whether the cache answered, and how many retries and
     * fallbacks it took.
     */
    record ModelCallCompleted(
            @NotNull EventId eventId,
            @NotNull RunId runId,
            @Min(1) long seq,
            @NotNull Instant ts,
            TreeRef treeRef,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @NotNull @Size(min = 1, max = 256) String model,
            @Size(min = 1, max = 256) String virtualModel,
            @NotNull @Size(min = 1, max = 64) String provider,
            @Min(0) long tokensIn,
            @Min(0) long tokensOut,
            @NotNull BigDecimal costUsd,
            Long ttftMs,
            @Min(0) long latencyMs,
            boolean cacheHit,
            @Min(0) int retries,
            boolean fallbackUsed)
            implements AgentEvent {}

    /**
     * A policy hook decided on a subject: {@code subjectRef} is the intent id, tool call id or model name; {@code rule}
     * the rule that decided; {@code degraded} when the edge decided from a stale policy bundle.
     */
    record PolicyDecided(
            @NotNull EventId eventId,
            @NotNull RunId runId,
            @Min(1) long seq,
            @NotNull Instant ts,
            TreeRef treeRef,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @NotNull PolicySubjectKind subject,
            @NotNull @Size(min = 1, max = 256) String subjectRef,
            @NotNull PolicyEffect effect,
            @NotNull @Size(min = 1, max = 256) String rule,
            @Size(max = 4096) String reason,
            boolean degraded)
            implements AgentEvent {}

    /** The run finished successfully; {@code summary} is the agent's final answer. */
    record RunSucceeded(
            @NotNull EventId eventId,
            @NotNull RunId runId,
            @Min(1) long seq,
            @NotNull Instant ts,
            TreeRef treeRef,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @Size(max = 1048576) String summary,
            Map<String, Object> output)
            implements AgentEvent {}

    /** The run failed; {@code failure} says why. */
    record RunFailed(
            @NotNull EventId eventId,
            @NotNull RunId runId,
            @Min(1) long seq,
            @NotNull Instant ts,
            TreeRef treeRef,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @NotNull Failure failure)
            implements AgentEvent {}

    /** The run was cancelled by {@code by} (a principal, or {@code system}). */
    record RunCancelled(
            @NotNull EventId eventId,
            @NotNull RunId runId,
            @Min(1) long seq,
            @NotNull Instant ts,
            TreeRef treeRef,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @NotNull @Size(min = 1, max = 128) String by,
            @Size(max = 4096) String reason)
            implements AgentEvent {}

    /** The run's deadline passed before it finished; it was not (or no longer) run. */
    record RunExpired(
            @NotNull EventId eventId,
            @NotNull RunId runId,
            @Min(1) long seq,
            @NotNull Instant ts,
            TreeRef treeRef,

            @NotNull @Pattern(regexp = SchemaVersions.ACCEPTED_PATTERN)
            String schemaVersion,

            @NotNull Instant deadline)
            implements AgentEvent {}
}
